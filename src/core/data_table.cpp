#include "core/data_table.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave {
namespace {

std::string read_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw FileError(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) throw FileError(path, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot be opened for reading");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every value finite, and at least one row and one column.
void check_values(const DataMatrix& m) {
  if (m.rows == 0 || m.cols == 0) {
    throw FileError(m.path, "holds no data (" + std::to_string(m.rows) + " rows, " +
                                std::to_string(m.cols) + " columns)");
  }
  for (std::uint64_t r = 0; r < m.rows; ++r) {
    for (std::uint64_t c = 0; c < m.cols; ++c) {
      if (!std::isfinite(m.at(r, c))) {
        throw FileError(m.path, "value at row " + std::to_string(r) + ", column " +
                                    std::to_string(c) + " is not finite (NaN or infinity)");
      }
    }
  }
}

// The value of `key` in a .npy header dictionary ("{'descr': '<f8', 'fortran_order': False, ...").
std::string npy_field(const std::string& header, const std::string& key, const std::string& path) {
  const std::size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) throw FileError(path, "not a .npy file: no '" + key + "' in header");
  std::size_t begin = header.find(':', at);
  if (begin == std::string::npos) throw FileError(path, "not a .npy file: malformed header");
  ++begin;
  while (begin < header.size() && header[begin] == ' ') ++begin;
  std::size_t end = begin;
  if (begin < header.size() && header[begin] == '(') {
    end = header.find(')', begin);
    if (end == std::string::npos) throw FileError(path, "not a .npy file: malformed shape");
    return header.substr(begin + 1, end - begin - 1);
  }
  end = header.find_first_of(",}", begin);
  std::string value = header.substr(begin, end - begin);
  value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
  return value;
}

template <class T>
double load_as(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return static_cast<double>(v);
}

// Converts one little-endian element of NumPy type descr ('<f8', '|u1', ...) to double.
using Loader = double (*)(const char*);
Loader npy_loader(const std::string& descr, std::size_t& size, const std::string& path) {
  if (descr.size() < 3 || (descr[0] != '<' && descr[0] != '|')) {
    throw FileError(path, "unsupported .npy dtype '" + descr +
                              "' (expected little-endian numbers, e.g. '<f8', '<i4', '|u1')");
  }
  const std::string type = descr.substr(1);
  struct Entry {
    const char* name;
    std::size_t size;
    Loader load;
  };
  static const Entry entries[] = {
      {"f8", 8, &load_as<double>},        {"f4", 4, &load_as<float>},
      {"i8", 8, &load_as<std::int64_t>},  {"i4", 4, &load_as<std::int32_t>},
      {"i2", 2, &load_as<std::int16_t>},  {"i1", 1, &load_as<std::int8_t>},
      {"u8", 8, &load_as<std::uint64_t>}, {"u4", 4, &load_as<std::uint32_t>},
      {"u2", 2, &load_as<std::uint16_t>}, {"u1", 1, &load_as<std::uint8_t>},
      {"b1", 1, &load_as<std::uint8_t>}};
  for (const Entry& e : entries) {
    if (type == e.name) {
      size = e.size;
      return e.load;
    }
  }
  throw FileError(path, "unsupported .npy dtype '" + descr + "'");
}

std::vector<std::uint64_t> npy_shape(const std::string& text, const std::string& path) {
  std::vector<std::uint64_t> shape;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(std::remove_if(item.begin(), item.end(),
                              [](unsigned char c) { return std::isspace(c) || c == 'L'; }),
               item.end());
    if (item.empty()) continue;
    if (!std::all_of(item.begin(), item.end(), [](unsigned char c) { return std::isdigit(c); })) {
      throw FileError(path, "not a .npy file: bad shape '(" + text + ")'");
    }
    shape.push_back(std::stoull(item));
  }
  if (shape.empty() || shape.size() > 2) {
    throw FileError(path, "holds a " + std::to_string(shape.size()) +
                              "-dimensional array; expected 1 (one row) or 2 (rows x columns)");
  }
  return shape;
}

// One CSV/whitespace-separated line as numbers; false if some field is not a number.
bool parse_fields(const std::string& line, std::vector<double>& out) {
  out.clear();
  std::string field;
  std::size_t i = 0;
  while (i <= line.size()) {
    const std::size_t end = line.find_first_of(", \t;\r", i);
    field = line.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!field.empty()) {
      char* stop = nullptr;
      const double v = std::strtod(field.c_str(), &stop);
      if (stop == field.c_str() || *stop != '\0') return false;
      out.push_back(v);
    }
    if (end == std::string::npos) break;
    i = end + 1;
  }
  return true;
}

}  // namespace

bool has_extension(const std::string& path, const std::string& suffix) {
  if (path.size() < suffix.size()) return false;
  std::string tail = path.substr(path.size() - suffix.size());
  std::transform(tail.begin(), tail.end(), tail.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return tail == suffix;
}

DataMatrix parse_npy(const std::string& bytes, const std::string& path) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    throw FileError(path, "not a .npy file (no \\x93NUMPY magic)");
  }
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) |
                 (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw FileError(path, "truncated .npy header");
    for (int k = 0; k < 4; ++k)
      header_len |= static_cast<std::size_t>(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
    offset = 12;
  } else {
    throw FileError(path, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) throw FileError(path, "truncated .npy header");
  const std::string header = bytes.substr(offset, header_len);
  std::size_t size = 0;
  const Loader load = npy_loader(npy_field(header, "descr", path), size, path);
  const bool fortran = npy_field(header, "fortran_order", path) == "True";
  const std::vector<std::uint64_t> shape = npy_shape(npy_field(header, "shape", path), path);
  DataMatrix m;
  m.path = path;
  m.rows = shape.size() == 2 ? shape[0] : 1;
  m.cols = shape.size() == 2 ? shape[1] : shape[0];
  const std::size_t data = offset + header_len;
  if (m.cols != 0 && m.rows > (bytes.size() - data) / size / m.cols) {
    throw FileError(path, "truncated .npy data: the header promises " + std::to_string(m.rows) +
                              " x " + std::to_string(m.cols) + " values");
  }
  m.values.resize(m.rows * m.cols);
  for (std::uint64_t r = 0; r < m.rows; ++r) {
    for (std::uint64_t c = 0; c < m.cols; ++c) {
      const std::uint64_t element = fortran ? c * m.rows + r : r * m.cols + c;
      m.values[r * m.cols + c] = load(bytes.data() + data + element * size);
    }
  }
  check_values(m);
  return m;
}

DataMatrix parse_csv(const std::string& text, const std::string& path) {
  DataMatrix m;
  m.path = path;
  std::istringstream in(text);
  std::string line;
  std::vector<double> fields;
  std::uint64_t line_number = 0;
  bool first_content = true;
  while (std::getline(in, line)) {
    ++line_number;
    const std::size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos || line[start] == '#') continue;
    if (!parse_fields(line, fields)) {
      if (first_content) {  // a header line of column names
        first_content = false;
        continue;
      }
      throw FileError(path, "line " + std::to_string(line_number) +
                                ": not a list of numbers (comma- or space-separated)");
    }
    first_content = false;
    if (m.rows == 0) m.cols = fields.size();
    if (fields.size() != m.cols) {
      throw FileError(path, "line " + std::to_string(line_number) + " has " +
                                std::to_string(fields.size()) + " columns; earlier rows have " +
                                std::to_string(m.cols));
    }
    m.values.insert(m.values.end(), fields.begin(), fields.end());
    ++m.rows;
  }
  check_values(m);
  return m;
}

DataMatrix read_text_matrix(const std::string& path) {
  if (has_extension(path, ".npy")) return parse_npy(read_bytes(path), path);
  if (has_extension(path, ".csv") || has_extension(path, ".txt")) {
    return parse_csv(read_bytes(path), path);
  }
  throw FileError(path, "unknown data file type; expected .npy or .csv");
}

void check_data_values(const DataMatrix& m) {
  check_values(m);
}

}  // namespace spikeweave
