#include "jobs/part_file.hpp"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave::jobs {

std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void save_part_file(const std::string& path, const PartMagic& magic, const std::string& payload) {
  std::string bytes(magic, 8);
  bytes += payload;
  const std::uint64_t sum = fnv1a(bytes);
  bytes.append(reinterpret_cast<const char*>(&sum), 8);
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw FileError(temporary, "cannot write the part file");
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw FileError(path,
                    std::string("cannot rename the part file into place: ") + std::strerror(errno));
  }
}

std::optional<std::string> load_part_file(const std::string& path, const PartMagic& magic) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string bytes = buffer.str();
  if (bytes.size() < 16 || std::memcmp(bytes.data(), magic, 8) != 0) return std::nullopt;
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  const std::string body = bytes.substr(0, bytes.size() - 8);
  if (fnv1a(body) != stored) return std::nullopt;
  return body.substr(8);
}

}  // namespace spikeweave::jobs
