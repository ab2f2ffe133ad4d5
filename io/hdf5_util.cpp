#include "io/hdf5_util.hpp"

#include <filesystem>

#include "io/output_path.hpp"

namespace spikeweave::io::h5 {

void silence_errors() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

std::string link_name(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c == '/') c = '_';
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

Handle create_group(hid_t parent, const std::string& name, const std::string& where) {
  return group_handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      where + ": cannot create group " + name);
}

Handle open_group(hid_t parent, const std::string& name, const std::string& where) {
  return group_handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), where + ": no group " + name);
}

bool exists(hid_t parent, const std::string& path) {
  // Check each component so that a missing intermediate group is not an error.
  std::string prefix;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    const std::size_t slash = path.find('/', pos);
    prefix = path.substr(0, slash);
    if (!prefix.empty() && H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    pos = slash == std::string::npos ? slash : slash + 1;
  }
  return true;
}

Handle create_extendible(hid_t parent, const std::string& name, hid_t type,
                         const std::vector<hsize_t>& tail, hsize_t chunk_rows,
                         const std::string& where, int deflate_level) {
  std::vector<hsize_t> dims{0}, max_dims{H5S_UNLIMITED}, chunk{chunk_rows};
  for (hsize_t t : tail) {
    dims.push_back(t);
    max_dims.push_back(t);
    chunk.push_back(t == 0 ? 1 : t);
  }
  const std::string what = where + ": cannot create dataset " + name;
  Handle space = space_handle(
      H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max_dims.data()), what);
  Handle plist = plist_handle(H5Pcreate(H5P_DATASET_CREATE), what);
  check(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()), what);
  if (deflate_level > 0) check(H5Pset_deflate(plist, static_cast<unsigned>(deflate_level)), what);
  return dataset_handle(
      H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), what);
}

Handle create_fixed(hid_t parent, const std::string& name, hid_t type,
                    const std::vector<hsize_t>& dims, const std::string& where) {
  const std::string what = where + ": cannot create dataset " + name;
  Handle space =
      space_handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what);
  return dataset_handle(
      H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), what);
}

namespace {
Handle string_type(const std::string& what) {
  Handle type = type_handle(H5Tcopy(H5T_C_S1), what);
  check(H5Tset_size(type, H5T_VARIABLE), what);
  check(H5Tset_cset(type, H5T_CSET_UTF8), what);
  return type;
}

void write_scalar_attribute(hid_t object, const std::string& name, hid_t type, const void* value,
                            const std::string& where) {
  const std::string what = where + ": cannot write attribute " + name;
  if (H5Aexists(object, name.c_str()) > 0) check(H5Adelete(object, name.c_str()), what);
  Handle space = space_handle(H5Screate(H5S_SCALAR), what);
  Handle attr = attribute_handle(
      H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), what);
  check(H5Awrite(attr, type, value), what);
}
}  // namespace

void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     const std::string& where) {
  Handle type = string_type(where);
  const char* text = value.c_str();
  write_scalar_attribute(object, name, type, &text, where);
}

void write_attribute(hid_t object, const std::string& name, double value,
                     const std::string& where) {
  write_scalar_attribute(object, name, H5T_NATIVE_DOUBLE, &value, where);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value,
                     const std::string& where) {
  write_scalar_attribute(object, name, H5T_NATIVE_INT64, &value, where);
}

bool has_attribute(hid_t object, const std::string& name) {
  return H5Aexists(object, name.c_str()) > 0;
}

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& where) {
  const std::string what = where + ": cannot read attribute " + name;
  Handle attr = attribute_handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), what);
  Handle file_type = type_handle(H5Aget_type(attr), what);
  if (H5Tis_variable_str(file_type) > 0) {
    Handle type = string_type(what);
    char* text = nullptr;
    check(H5Aread(attr, type, &text), what);
    std::string value = text ? text : "";
    Handle space = space_handle(H5Aget_space(attr), what);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, &text);
    return value;
  }
  const std::size_t size = H5Tget_size(file_type);
  std::string value(size, '\0');
  check(H5Aread(attr, file_type, value.data()), what);
  value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
  return value;
}

double read_double_attribute(hid_t object, const std::string& name, const std::string& where) {
  const std::string what = where + ": cannot read attribute " + name;
  Handle attr = attribute_handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), what);
  double value = 0.0;
  check(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), what);
  return value;
}

std::int64_t read_int_attribute(hid_t object, const std::string& name, const std::string& where) {
  const std::string what = where + ": cannot read attribute " + name;
  Handle attr = attribute_handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), what);
  std::int64_t value = 0;
  check(H5Aread(attr, H5T_NATIVE_INT64, &value), what);
  return value;
}

Handle open_existing_file(const std::string& path) {
  silence_errors();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw FileError(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) throw FileError(path, "is a directory, not a file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw FileError(path, "not an HDF5 file");
  return file_handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path + ": cannot open");
}

namespace {
// After a collective call: throws on every rank (with `agree`) or on this one (without) if the
// call failed anywhere, with the message of the lowest failing rank.
void agree_or_throw(comm::Context* agree, bool failed, hid_t object, const std::string& where) {
  if (agree == nullptr) {
    if (failed) throw_write_failure(object, where);
    return;
  }
  std::string message;
  if (failed) {
    try {
      throw_write_failure(object, where);
    } catch (const FileError& e) {
      message = e.what();
    }
  }
  const std::string error = comm::first_error(*agree, message);
  if (!error.empty()) throw FileError("", error);
}
}  // namespace

void write_block(hid_t dataset, hid_t memory_type, const void* data, hsize_t total_rows,
                 hsize_t first_row, hsize_t rows, hsize_t first_col, hsize_t cols, hid_t transfer,
                 const std::string& where, comm::Context* agree) {
  const std::string what = where + ": cannot write";
  Handle current = space_handle(H5Dget_space(dataset), what);
  const int rank = H5Sget_simple_extent_ndims(current);
  if (rank < 1 || rank > 2) throw FileError(where, "expected a 1-D or 2-D dataset");
  hsize_t dims[2] = {0, 0};
  check(H5Sget_simple_extent_dims(current, dims, nullptr), what);
  if (dims[0] != total_rows) {
    hsize_t new_dims[2] = {total_rows, dims[1]};
    agree_or_throw(agree, H5Dset_extent(dataset, new_dims) < 0, dataset, where);
  }
  Handle file_space = space_handle(H5Dget_space(dataset), what);
  const hsize_t start[2] = {first_row, first_col};
  const hsize_t count[2] = {rows, cols};
  const bool empty = rows == 0 || (rank == 2 && cols == 0);
  const hsize_t placeholder[2] = {1, 1};  // a valid shape for ranks that select nothing
  Handle memory_space =
      space_handle(H5Screate_simple(rank, empty ? placeholder : count, nullptr), what);
  if (empty) {
    check(H5Sselect_none(file_space), what);
    check(H5Sselect_none(memory_space), what);
  } else {
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr), what);
  }
  agree_or_throw(agree,
                 H5Dwrite(dataset, memory_type, memory_space, file_space, transfer, data) < 0,
                 dataset, where);
}

[[noreturn]] void throw_write_failure(hid_t object, const std::string& where) {
  char name[4096] = {0};
  const bool named = H5Fget_name(object, name, sizeof name) > 0;
  const std::string reason = named ? storage_problem(name) : std::string();
  throw FileError(where,
                  "cannot write: " + (reason.empty() ? std::string("HDF5 call failed") : reason));
}

namespace {
template <class T>
std::vector<T> read_all(hid_t parent, const std::string& name, hid_t type,
                        const std::string& where) {
  const std::string what = where + ": cannot read dataset " + name;
  Handle dataset = dataset_handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), what);
  Handle space = space_handle(H5Dget_space(dataset), what);
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) throw FileError(where, what);
  std::vector<T> values(static_cast<std::size_t>(n));
  if (n > 0) check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), what);
  return values;
}
}  // namespace

std::vector<double> read_doubles(hid_t parent, const std::string& name, const std::string& where) {
  return read_all<double>(parent, name, H5T_NATIVE_DOUBLE, where);
}

std::vector<std::uint64_t> read_uint64s(hid_t parent, const std::string& name,
                                        const std::string& where) {
  return read_all<std::uint64_t>(parent, name, H5T_NATIVE_UINT64, where);
}

std::vector<std::string> child_names(hid_t group, const std::string& where) {
  H5G_info_t info;
  check(H5Gget_info(group, &info), where + ": cannot list group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length =
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) throw FileError(where, "cannot list group");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                       H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(name);
  }
  return names;
}

}  // namespace spikeweave::io::h5
