// A deferred checkpoint block's pieces produced ahead on helper threads while the writer writes
// the earlier ones (see CheckpointBlock::produce and lanes).
//
// Why: producing a piece (the scatter of a projection's synapse values into per-target order) and
// writing it (HDF5's copy into the page cache) each cost a few ns per synapse, one after the other
// on the writer's thread, and the disk waited for both. Here each lane produces its pieces (lane l:
// l, l + lanes, ...) on a thread of its own into its buffers, taking turns, and hands each to the
// writer in order. With two buffers per lane, a lane produces its next piece while the writer
// still writes its last one: with one, each lane waited 0.15-0.35 s per checkpoint for the writer
// (scale 4, one rank, shared VM), which itself waited for the lanes.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "io/buffer_pool.hpp"
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
  // Each lane has `depth` buffers (at least 1), taken from `pool` (if given) and given back to it
  // when the pipeline ends.
  static constexpr unsigned kDefaultDepth = 2;
  PiecePipeline(const CheckpointBlock& block, std::size_t pieces, std::uint64_t row_bytes,
                unsigned lanes, std::vector<std::uint64_t> shifts = {},
                std::function<void(std::size_t, const void*)> produced = {},
                BufferPool* pool = nullptr, unsigned depth = kDefaultDepth);
  PiecePipeline(const PiecePipeline&) = delete;
  PiecePipeline& operator=(const PiecePipeline&) = delete;
  // Stops the lanes after the pieces they are producing (a writer that failed leaves early).
  ~PiecePipeline();

  // Piece k's values, once produced (k in increasing order, each once); a lane's failure is
  // rethrown here.
  const void* wait(std::size_t k);
  // The writer is done with piece k's values: its lane may produce its next piece there.
  void release(std::size_t k);
  // Bytes of a buffer for pieces of at most `piece_bytes`, shift included (what a BufferPool
  // should hold for them).
  static std::uint64_t buffer_bytes(std::uint64_t piece_bytes);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  struct Slot {                 // one of a lane's buffers
    BufferPool::Buffer buffer;  // aligned for any value type
    std::size_t ready = kNone;  // the piece in the buffer, once produced
    bool free = true;           // the writer is done with the buffer
    std::exception_ptr error;   // the lane's failure at that piece
  };
  void run(unsigned lane);
  // Piece k's buffer: its lane's buffers in turn.
  Slot& slot(std::size_t k) { return slots_[(k % lanes_) * depth_ + (k / lanes_) % depth_]; }
  unsigned char* place(std::size_t k);  // where piece k goes in its buffer
  void stop_and_join();

  const CheckpointBlock& block_;
  std::size_t pieces_;
  std::vector<std::uint64_t> shifts_;  // empty: none
  std::function<void(std::size_t, const void*)> produced_;
  BufferPool* pool_;
  std::size_t lanes_, depth_;
  std::vector<Slot> slots_;  // lane l's are [l * depth_, (l + 1) * depth_)
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
