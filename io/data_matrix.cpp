#include "io/data_matrix.hpp"

#include "core/errors.hpp"
#include "io/hdf5_util.hpp"

namespace spikeweave::io {
namespace {

DataMatrix read_hdf5(const std::string& path, const std::string& dataset) {
  if (dataset.empty()) {
    throw FileError(path, "an HDF5 data file needs the key `dataset` (the path of the dataset)");
  }
  const Handle file = h5::open_existing_file(path);
  const std::string where = path + ":" + dataset;
  if (!h5::exists(file, dataset)) throw FileError(where, "no such dataset in the file");
  const Handle data(H5Dopen2(file, dataset.c_str(), H5P_DEFAULT), H5Dclose, where);
  const Handle space(H5Dget_space(data), H5Sclose, where);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 1 || rank > 2) {
    throw FileError(where, "is " + std::to_string(rank) +
                               "-dimensional; expected 1 (one row) or 2 (rows x columns)");
  }
  hsize_t dims[2] = {1, 1};
  check(H5Sget_simple_extent_dims(space, dims, nullptr), where);
  const Handle type(H5Dget_type(data), H5Tclose, where);
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    throw FileError(where, "is not numeric (expected integers or floats)");
  }
  DataMatrix m;
  m.path = path;
  m.rows = rank == 2 ? dims[0] : 1;
  m.cols = rank == 2 ? dims[1] : dims[0];
  m.values.resize(m.rows * m.cols);
  if (!m.values.empty()) {
    check(H5Dread(data, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.values.data()), where);
  }
  return m;
}

}  // namespace

DataMatrix read_data_matrix(const std::string& path, const std::string& dataset) {
  if (has_extension(path, ".h5") || has_extension(path, ".hdf5")) {
    DataMatrix m = read_hdf5(path, dataset);
    check_data_values(m);
    return m;
  }
  if (!dataset.empty()) {
    throw FileError(path, "`dataset` is for HDF5 files (.h5, .hdf5); this file is read as " +
                              std::string(has_extension(path, ".npy") ? ".npy" : "CSV"));
  }
  if (has_extension(path, ".npy") || has_extension(path, ".csv") || has_extension(path, ".txt"))
    return read_text_matrix(path);
  throw FileError(path,
                  "unknown data file type; expected .h5/.hdf5 (with `dataset`), .npy or .csv");
}

}  // namespace spikeweave::io
