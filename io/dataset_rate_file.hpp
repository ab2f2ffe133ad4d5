#pragma once
// The rate-dataset file: one parallel-HDF5 file holding M networks, written collectively and
// resumable after a kill at any moment.
//
//   /W         [M, N, N]     float32|float64  W[m, i, j]: weight from neuron j onto neuron i
//   /input     [M, N]        float32|float64  constant input I
//   /h0        [M, K, N]     float32|float64  initial state of each trial
//   /activity  [M, K, T, N]  float32          x = phi(h) after steps 1 .. T
//   /h         [M, K, T, N]  float32          h after steps 1 .. T (only with record_h)
//   /lyapunov_per_ms [M]     float64          largest Lyapunov exponent [1/ms] (only if asked)
//   /params    [M]           compound         network (uint64), then one float64 per parameter
//   /done      [M]           uint8            1 once network m is completely written
//   /provenance               attributes      spec (canonical TOML of everything that
//                                              determines the data), command line, version, ...
//
// Kill safety: the work file "<path>.partial" is created whole (as "<path>.partial.creating",
// renamed when complete), every dataset has its final shape and preallocated chunks, and no
// metadata changes afterwards: a round writes raw data, then (after a flush, or a barrier with
// set_sync(false)) sets /done. A kill at any moment leaves a file whose finished networks are
// marked and intact; rerunning rewrites the unmarked ones with identical bytes. Deflate compression
// changes metadata on every write, so a compressed dataset is generated uncompressed and compressed
// into "<path>.compressing" in one collective pass at the end, then renamed.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::io {

struct RateDatasetLayout {
  std::uint64_t networks = 0;     // M
  int neurons = 0;                // N
  int trials = 0;                 // K
  int steps = 0;                  // T
  bool double_precision = false;  // W, input, h0 stored as float64
  bool record_h = false;
  bool lyapunov = false;
  int deflate = 0;                         // 0 (none) .. 9
  std::vector<std::string> param_columns;  // float64 columns of /params after "network"
  std::string spec_toml;                   // canonical generating parameters
  std::string command_line;
  std::string backend;

  std::size_t real_bytes() const { return double_precision ? 8 : 4; }
};

// One rank's networks of a round, packed in increasing index order.
struct RateDatasetBlock {
  std::vector<std::uint64_t> indices;
  std::vector<unsigned char> w;      // [n][N][N] reals (float or double, as the layout says)
  std::vector<unsigned char> input;  // [n][N]
  std::vector<unsigned char> h0;     // [n][K][N]
  std::vector<float> activity;       // [n][K][T][N]
  std::vector<float> h;              // [n][K][T][N] (record_h)
  std::vector<double> lyapunov;      // [n] (lyapunov)

  void clear();
  std::uint64_t bytes() const;
};

enum class DatasetState { kFresh, kResumed, kComplete };

class RateDatasetWriter {
 public:
  // Collective. Opens (creates or resumes) the dataset at `path`:
  // - `path` exists: complete if made with the same spec, else a FileError (unless overwrite);
  // - "<path>.partial" exists: resumed if its spec matches, else a FileError naming the first
  //   differing keys (unless overwrite);
  // - otherwise (or with overwrite) a fresh work file; `param_row(m, row)` fills the
  //   param_columns of network m (called for this rank's share of rows).
  RateDatasetWriter(comm::Context& context, std::string path, const RateDatasetLayout& layout,
                    bool overwrite, const std::function<void(std::uint64_t, double*)>& param_row);
  ~RateDatasetWriter();
  RateDatasetWriter(const RateDatasetWriter&) = delete;
  RateDatasetWriter& operator=(const RateDatasetWriter&) = delete;

  DatasetState state() const { return state_; }
  // Done flags as found when opened (identical on every rank).
  const std::vector<std::uint8_t>& done_at_open() const { return done_; }

  // Collective: writes every rank's block (possibly empty) and marks it done: at once (after a
  // barrier) without sync; with sync, at the next write() or commit(), after a flush.
  void write(const RateDatasetBlock& block);
  // Flush (MPI_File_sync) the data before marking it done (default): survives a crashed node,
  // not only a killed process. The writeback of a round's data is started when it is written
  // (sync_file_range) and waited for, and the round marked done, at the next round's write, so
  // that the disk works while the next round is simulated; a kill loses the unmarked last round.
  void set_sync(bool sync) { sync_ = sync; }
  // Collective: marks every written network done now (flush first with sync). commit() does it.
  void mark_written();
  // Networks this rank has marked done so far (those a rerun would skip).
  std::uint64_t networks_marked() const { return marked_; }
  // Collective: closes the work file and moves (or compresses) it to the final path.
  void commit();
  // Bytes of raw data written by this rank so far.
  std::uint64_t bytes_written() const { return bytes_written_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DatasetState state_ = DatasetState::kFresh;
  std::vector<std::uint8_t> done_;
  std::uint64_t bytes_written_ = 0;
  bool sync_ = true;
  std::vector<std::uint64_t> unmarked_;  // this rank's written networks not yet marked done
  std::uint64_t marked_ = 0;
};

// Reading a rate dataset (any process, serial HDF5 access).
class RateDatasetReader {
 public:
  explicit RateDatasetReader(const std::string& path);
  ~RateDatasetReader();
  RateDatasetReader(const RateDatasetReader&) = delete;
  RateDatasetReader& operator=(const RateDatasetReader&) = delete;

  const std::string& spec_toml() const { return spec_; }
  std::uint64_t networks() const { return networks_; }
  int neurons() const { return neurons_; }
  int trials() const { return trials_; }
  int steps() const { return steps_; }
  bool done(std::uint64_t m) const;
  std::vector<double> weights(std::uint64_t m) const;  // [N][N]
  std::vector<double> input(std::uint64_t m) const;    // [N]
  std::vector<double> h0(std::uint64_t m) const;       // [K][N]
  std::vector<float> activity(std::uint64_t m) const;  // [K][T][N]
  // Column `name` of /params for network m.
  double param(std::uint64_t m, const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_, spec_;
  std::uint64_t networks_ = 0;
  int neurons_ = 0, trials_ = 0, steps_ = 0;
};

// Lines of two canonical spec texts that differ, as "key: file A, now B" (at most `limit`).
std::string describe_spec_difference(const std::string& in_file, const std::string& requested,
                                     int limit = 3);

}  // namespace spikeweave::io
