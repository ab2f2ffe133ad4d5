#pragma once
// The result of `spikeweave fit`: a small serial HDF5 file (written by one rank).
//   /W_fit [N, N] float64    the fitted weights, W[i, j] from j onto i
//   /W_true [N, N] float64   the dataset's weights (for comparison)
//   /loss [iterations]       mean squared error before each update
//   /input_fit [N], /h0_fit [K, N]  (when fitted)
//   attributes on /: dataset, network, correlation, initial_loss, final_loss, learning_rate, ...
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spikeweave::io {

struct FitRecord {
  std::string dataset;
  std::uint64_t network = 0;
  int neurons = 0, trials = 0;
  std::vector<double> w_fit, w_true, loss, input_fit, h0_fit;
  std::map<std::string, double> numbers;  // correlation, final_loss, learning_rate, ...
  std::string command_line;
};

// Writes "<path>.partial" and renames it to path. Throws FileError.
void write_fit_file(const std::string& path, const FitRecord& record);

}  // namespace spikeweave::io
