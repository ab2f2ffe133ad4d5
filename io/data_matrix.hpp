#pragma once
// Input data for the encoder stimuli: a table of numbers, one row per sample, read from an HDF5
// dataset, a NumPy .npy file or a CSV file. No HDF5 header here: the engine includes it.
#include <string>

#include "core/data_table.hpp"

namespace spikeweave::io {

using spikeweave::DataMatrix;

// Reads `path` by its extension: ".h5"/".hdf5" (the 1-D or 2-D numeric dataset `dataset`), or
// ".npy", ".csv"/".txt" (core/data_table.hpp). A 1-D array is one row. Throws a FileError naming
// the file on a missing file, a parse error, a ragged row, an empty table or a value that is not
// finite (with its row and column).
DataMatrix read_data_matrix(const std::string& path, const std::string& dataset = "");

}  // namespace spikeweave::io
