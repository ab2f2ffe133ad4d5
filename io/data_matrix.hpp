#pragma once
// Input data for the encoder stimuli: a table of numbers, one row per sample, read from an HDF5
// dataset, a NumPy .npy file or a CSV file. No HDF5 header here: the engine includes it.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeweave::io {

struct DataMatrix {
  std::string path;  // the file it came from (for messages)
  std::uint64_t rows = 0;
  std::uint64_t cols = 0;
  std::vector<double> values;  // row-major rows x cols
  double at(std::uint64_t row, std::uint64_t col) const { return values[row * cols + col]; }
};

// Reads `path` by its extension: ".h5"/".hdf5" (the 1-D or 2-D numeric dataset `dataset`),
// ".npy" (1-D or 2-D, C or Fortran order, little-endian integer, unsigned, float or bool) or
// ".csv"/".txt" (comma- or whitespace-separated numbers, one row per line; lines starting with
// '#' and one leading header line of non-numbers are skipped). A 1-D array is one row. Throws a
// FileError naming the file on a missing file, a parse error, a ragged row, an empty table or a
// value that is not finite (with its row and column).
DataMatrix read_data_matrix(const std::string& path, const std::string& dataset = "");

// Parsers of the text formats, for tests and fuzzers (`path` only names the source).
DataMatrix parse_npy(const std::string& bytes, const std::string& path);
DataMatrix parse_csv(const std::string& text, const std::string& path);

}  // namespace spikeweave::io
