#pragma once
// A table of numbers read from a file, one row per sample: the encoders' data (with HDF5 through
// io/data_matrix.hpp) and projection weight matrices. Plain C++, no HDF5.
#include <cstdint>
#include <string>
#include <vector>

namespace spikeweave {

struct DataMatrix {
  std::string path;  // the file it came from (for messages)
  std::uint64_t rows = 0;
  std::uint64_t cols = 0;
  std::vector<double> values;  // row-major rows x cols
  double at(std::uint64_t row, std::uint64_t col) const { return values[row * cols + col]; }
};

// NumPy .npy (1-D or 2-D, C or Fortran order, little-endian integer, unsigned, float or bool) or
// CSV (comma- or whitespace-separated numbers, one row per line; lines starting with '#' and one
// leading header line of non-numbers are skipped). A 1-D array is one row. Throws a FileError
// naming the file on a parse error, a ragged row, an empty table or a value that is not finite
// (with its row and column). `path` only names the source.
DataMatrix parse_npy(const std::string& bytes, const std::string& path);
DataMatrix parse_csv(const std::string& text, const std::string& path);

// Reads a .npy or .csv/.txt file (by extension); a missing file is a FileError naming it.
DataMatrix read_text_matrix(const std::string& path);

// Case-insensitive suffix test of a path ("x.NPY" has ".npy").
bool has_extension(const std::string& path, const std::string& suffix);
// FileError unless every value is finite and there is at least one row and column.
void check_data_values(const DataMatrix& m);

}  // namespace spikeweave
