#include "io/piece_pipeline.hpp"

#include <algorithm>
#include <utility>

#include "core/errors.hpp"
#include "io/checkpoint_raw_file.hpp"

namespace spikeweave::io {

unsigned pipeline_lanes(const CheckpointBlock& block, std::size_t pieces) {
  if (!block.produce || pieces < 2) return 1;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(
      std::min<std::size_t>({block.lanes == 0 ? 1u : block.lanes, pieces, cores}));
}

PiecePipeline::PiecePipeline(const CheckpointBlock& block, std::size_t pieces,
                             std::uint64_t row_bytes, unsigned lanes,
                             std::vector<std::uint64_t> shifts,
                             std::function<void(std::size_t, const void*)> produced,
                             BufferPool* pool, unsigned depth)
    : block_(block),
      pieces_(pieces),
      shifts_(std::move(shifts)),
      produced_(std::move(produced)),
      pool_(pool),
      lanes_(std::max(1u, lanes)),
      depth_(std::max(1u, depth)),
      slots_(lanes_ * depth_) {
  if (!shifts_.empty() && shifts_.size() < pieces_)
    throw InternalError("PiecePipeline: fewer shifts than pieces");
  std::vector<std::uint64_t> largest(slots_.size(), 0);  // bytes of its largest piece, shifted
  for (std::size_t k = 0; k < pieces_; ++k) {
    const std::uint64_t shift = shifts_.empty() ? 0 : shifts_[k];
    std::uint64_t& most = largest[static_cast<std::size_t>(&slot(k) - slots_.data())];
    most = std::max(most, (block_.pieces[k + 1] - block_.pieces[k]) * row_bytes + shift);
  }
  // A buffer for empty pieces only is a small one of its own.
  for (std::size_t s = 0; s < slots_.size(); ++s) {
    const std::uint64_t bytes = buffer_bytes(largest[s]);
    slots_[s].buffer =
        pool_ != nullptr && largest[s] > 0 ? pool_->take(bytes) : BufferPool::fresh(bytes);
  }
  const unsigned n = static_cast<unsigned>(lanes_);
  try {
    for (unsigned l = 0; l < n; ++l) threads_.emplace_back([this, l] { run(l); });
  } catch (...) {
    stop_and_join();  // the threads started
    throw;
  }
}

PiecePipeline::~PiecePipeline() {
  stop_and_join();
  if (pool_ == nullptr) return;
  for (Slot& s : slots_) pool_->give(std::move(s.buffer));
}

void PiecePipeline::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void PiecePipeline::run(unsigned l) {
  for (std::size_t k = l; k < pieces_; k += lanes_) {
    Slot& buffer = slot(k);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return buffer.free || stop_; });
      if (stop_) return;
      buffer.free = false;
    }
    std::exception_ptr error;
    try {
      if (block_.pieces[k + 1] > block_.pieces[k]) {
        block_.produce(k, place(k), l);
        if (produced_) produced_(k, place(k));
      }
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      buffer.ready = k;
      buffer.error = error;
    }
    changed_.notify_all();
    if (error) return;
  }
}

const void* PiecePipeline::wait(std::size_t k) {
  Slot& buffer = slot(k);
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return buffer.ready == k; });
  if (buffer.error) std::rethrow_exception(buffer.error);
  return place(k);
}

std::uint64_t PiecePipeline::buffer_bytes(std::uint64_t piece_bytes) {
  // Whole alignment units: buffers of 2 MB and more are aligned to 2 MB (ValueVector), smaller
  // ones are given an aligned start in place().
  return (piece_bytes + 2 * RawFile::kAlignment + 7) / 8 * 8;
}

unsigned char* PiecePipeline::place(std::size_t k) {
  auto* start = reinterpret_cast<unsigned char*>(slot(k).buffer.data());
  const std::uintptr_t misaligned = reinterpret_cast<std::uintptr_t>(start) % RawFile::kAlignment;
  if (misaligned != 0) start += RawFile::kAlignment - misaligned;
  return start + (shifts_.empty() ? 0 : shifts_[k]);
}

void PiecePipeline::release(std::size_t k) {
  Slot& buffer = slot(k);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    buffer.ready = kNone;
    buffer.free = true;
  }
  changed_.notify_all();
}

}  // namespace spikeweave::io
