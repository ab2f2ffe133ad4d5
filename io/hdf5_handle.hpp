#pragma once
// RAII ownership of HDF5 identifiers and checked calls: every HDF5 return code is checked and a
// failure becomes a FileError naming the file and the object.
#include <hdf5.h>

#include <string>
#include <utility>

#include "core/errors.hpp"

namespace spikeweave::io {

class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what) : id_(id), closer_(closer) {
    if (id < 0) throw FileError(what, "HDF5 call failed");
  }
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  operator hid_t() const { return id_; }  // NOLINT: handles are used where hid_t is expected
  void reset() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = -1;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

inline void check(herr_t status, const std::string& what) {
  if (status < 0) throw FileError(what, "HDF5 call failed");
}

inline Handle file_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Fclose, what);
}
inline Handle group_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Gclose, what);
}
inline Handle dataset_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Dclose, what);
}
inline Handle space_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Sclose, what);
}
inline Handle plist_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Pclose, what);
}
inline Handle type_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Tclose, what);
}
inline Handle attribute_handle(hid_t id, const std::string& what) {
  return Handle(id, H5Aclose, what);
}

}  // namespace spikeweave::io
