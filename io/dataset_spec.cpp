#include "io/dataset_spec.hpp"

#include "core/errors.hpp"
#include "io/hdf5_util.hpp"

namespace spikeweave::io {

std::string read_dataset_spec(const std::string& path, std::string& problem) {
  h5::silence_errors();
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) {
    problem = "cannot be opened as HDF5";
    return "";
  }
  Handle owner = file_handle(file, path);
  if (H5Lexists(file, "provenance", H5P_DEFAULT) <= 0) {
    problem = "has no /provenance group (not a SpikeWeave dataset)";
    return "";
  }
  try {
    Handle group = h5::open_group(file, "provenance", path);
    if (!h5::has_attribute(group, "spec")) {
      problem = "has no /provenance spec (not a SpikeWeave dataset)";
      return "";
    }
    return h5::read_string_attribute(group, "spec", path);
  } catch (const FileError& e) {
    problem = e.what();
    return "";
  }
}

}  // namespace spikeweave::io
