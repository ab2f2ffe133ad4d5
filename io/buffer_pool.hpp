// Aligned buffers kept from one checkpoint to the next: the placement lanes' buffers
// (io/piece_pipeline.hpp).
//
// Why: a checkpoint's lanes place synapse values in buffers of tens of MB each (74 MB for 2,048
// targets of 9,000 float inputs). Fresh buffers cost page faults on the lanes' threads, on the
// checkpoint's critical path: 0.2-0.45 s of system time per lane at scale 4 on the shared VM
// (whose freed memory goes back to its host within seconds, so a later checkpoint may fault
// again). Buffers held here, their pages touched ahead on a thread while the simulation runs
// (reserve), cost none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "io/checkpoint_data.hpp"

namespace spikeweave::io {

class BufferPool {
 public:
  using Buffer = ValueVector<double>;  // aligned for any value type (2 MB from 2 MB on)

  // Holds `count` buffers of at least `bytes` each (more or larger ones if held already), their
  // pages touched. The pool keeps at most `count` buffers from then on (the largest); before any
  // reserve it keeps none. Thread-safe, as are take and give.
  void reserve(std::size_t count, std::uint64_t bytes);
  // A held buffer of at least `bytes` (the smallest such), or a new one of `bytes` (rounded up to
  // whole values), its pages untouched.
  Buffer take(std::uint64_t bytes);
  // A new buffer of `bytes` (rounded up to whole values), its pages untouched.
  static Buffer fresh(std::uint64_t bytes);
  // Keeps `buffer` for later takes, up to the reserved count (the smallest goes first).
  void give(Buffer buffer);
  // Bytes of the buffers held now.
  std::uint64_t held_bytes() const;

 private:
  mutable std::mutex mutex_;
  std::size_t capacity_ = 0;
  std::vector<Buffer> held_;
};

}  // namespace spikeweave::io
