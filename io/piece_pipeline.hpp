// A deferred checkpoint block's pieces produced ahead on helper threads while the writer writes
// the earlier ones (see CheckpointBlock::produce and lanes).
//
// Why: producing a piece (the scatter of a projection's synapse values into per-target order) and
// writing it (HDF5's copy into the page cache) each cost a few ns per synapse, one after the other
// on the writer's thread, and the disk waited for both. Here each lane produces its pieces (lane l:
// l, l + lanes, ...) into a buffer of its own on a thread of its own, and hands each to the writer
// in order; a lane starts its next piece once the writer is done with its buffer.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "io/checkpoint_data.hpp"

namespace spikeweave::io {

class PiecePipeline {
 public:
  // Pieces [0, pieces) of `block`, rows of `row_bytes` each, on `lanes` threads (at least 1, at
  // most block.lanes). Piece k is produced `shifts[k]` bytes (if given; a multiple of the value
  // size, below RawFile::kAlignment) past the start of its lane's buffer, which is aligned to
  // RawFile::kAlignment: a piece bound for file offset f with shift f % kAlignment can be written
  // with O_DIRECT (io/checkpoint_raw_file.hpp). The block must outlive the pipeline.
  // `produced(k, values)`, if given, runs on piece k's lane right after it is produced (the
  // piece's checksum chunks are hashed there, off the writer's thread).
  PiecePipeline(const CheckpointBlock& block, std::size_t pieces, std::uint64_t row_bytes,
                unsigned lanes, std::vector<std::uint64_t> shifts = {},
                std::function<void(std::size_t, const void*)> produced = {});
  PiecePipeline(const PiecePipeline&) = delete;
  PiecePipeline& operator=(const PiecePipeline&) = delete;
  // Stops the lanes after the pieces they are producing (a writer that failed leaves early).
  ~PiecePipeline();

  // Piece k's values, once produced (k in increasing order, each once); a lane's failure is
  // rethrown here.
  const void* wait(std::size_t k);
  // The writer is done with piece k's values: its lane may produce its next piece there.
  void release(std::size_t k);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Lane {
    ValueVector<double> buffer;  // aligned for any value type
    std::size_t ready = kNone;   // the piece in the buffer, once produced
    bool free = true;            // the writer is done with the buffer
    std::exception_ptr error;
  };
  void run(unsigned lane);
  unsigned char* place(std::size_t k);  // where piece k goes in its lane's buffer
  void stop_and_join();

  const CheckpointBlock& block_;
  std::size_t pieces_;
  std::vector<std::uint64_t> shifts_;  // empty: none
  std::function<void(std::size_t, const void*)> produced_;
  std::vector<Lane> lanes_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// The lanes worth running for a block of `pieces` pieces on this machine: 1 (one helper thread
// producing the pieces one at a time, as the writer takes them) unless the block has several
// lanes, there are several pieces and several cores.
unsigned pipeline_lanes(const CheckpointBlock& block, std::size_t pieces);

}  // namespace spikeweave::io
