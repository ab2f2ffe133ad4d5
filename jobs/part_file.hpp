#pragma once
// Part files: one small binary file per finished work item (a dataset instance, a sweep point),
// written to a temporary name and renamed, with a magic word and an FNV-1a checksum, so that a
// process killed at any moment leaves either a complete part or none. Resumable jobs keep them
// in "<out>.parts/" until every item is done and the output file is assembled.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace spikeweave::jobs {

// The 8-byte magic word that starts a kind of part file, e.g. "SWSPIKE1".
using PartMagic = char[8];

std::uint64_t fnv1a(const std::string& bytes);

// Writes magic + payload + checksum(magic + payload) to `path` through "<path>.tmp" and a
// rename. Throws FileError.
void save_part_file(const std::string& path, const PartMagic& magic, const std::string& payload);

// The payload of a part file; nullopt when it is missing, truncated, damaged or of another kind.
std::optional<std::string> load_part_file(const std::string& path, const PartMagic& magic);

// Appends little fixed-size values and length-prefixed arrays to a payload.
class PartWriter {
 public:
  void u64(std::uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), 8); }
  template <class T>
  void array(const std::vector<T>& values) {
    u64(values.size());
    if (!values.empty())  // an empty vector's data() may be null
      out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void text(const std::string& s) {
    u64(s.size());
    out_ += s;
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// Reads what a PartWriter wrote; every call returns false once the payload runs out.
class PartReader {
 public:
  explicit PartReader(const std::string& bytes) : in_(bytes) {}
  bool u64(std::uint64_t& v) { return raw(&v); }
  bool f64(double& v) { return raw(&v); }
  template <class T>
  bool array(std::vector<T>& values) {
    std::uint64_t n = 0;
    if (!u64(n) || n > (in_.size() - at_) / sizeof(T)) return false;
    values.resize(n);
    if (n > 0) std::memcpy(values.data(), in_.data() + at_, n * sizeof(T));  // data() may be null
    at_ += n * sizeof(T);
    return true;
  }
  bool text(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > in_.size() - at_) return false;
    s = in_.substr(at_, n);
    at_ += n;
    return true;
  }
  bool at_end() const { return at_ == in_.size(); }

 private:
  template <class T>
  bool raw(T* v) {
    if (at_ + sizeof(T) > in_.size()) return false;
    std::memcpy(v, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  const std::string& in_;
  std::size_t at_ = 0;
};

}  // namespace spikeweave::jobs
