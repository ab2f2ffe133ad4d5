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
                             std::function<void(std::size_t, const void*)> produced)
    : block_(block),
      pieces_(pieces),
      shifts_(std::move(shifts)),
      produced_(std::move(produced)),
      lanes_(std::max(1u, lanes)) {
  if (!shifts_.empty() && shifts_.size() < pieces_)
    throw InternalError("PiecePipeline: fewer shifts than pieces");
  const unsigned n = static_cast<unsigned>(lanes_.size());
  for (unsigned l = 0; l < n; ++l) {
    std::uint64_t largest = 0;  // bytes of the lane's largest piece, shift included
    for (std::size_t k = l; k < pieces_; k += n) {
      const std::uint64_t shift = shifts_.empty() ? 0 : shifts_[k];
      largest = std::max(largest, (block_.pieces[k + 1] - block_.pieces[k]) * row_bytes + shift);
    }
    // Whole alignment units: buffers of 2 MB and more are aligned to 2 MB (ValueVector), smaller
    // ones are given an aligned start below.
    lanes_[l].buffer.resize((largest + 2 * RawFile::kAlignment + 7) / 8);
  }
  try {
    for (unsigned l = 0; l < n; ++l) threads_.emplace_back([this, l] { run(l); });
  } catch (...) {
    stop_and_join();  // the threads started
    throw;
  }
}

PiecePipeline::~PiecePipeline() {
  stop_and_join();
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
  Lane& lane = lanes_[l];
  const std::size_t stride = lanes_.size();
  for (std::size_t k = l; k < pieces_; k += stride) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return lane.free || stop_; });
      if (stop_) return;
      lane.free = false;
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
      lane.ready = k;
      lane.error = error;
    }
    changed_.notify_all();
    if (error) return;
  }
}

const void* PiecePipeline::wait(std::size_t k) {
  Lane& lane = lanes_[k % lanes_.size()];
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return lane.ready == k; });
  if (lane.error) std::rethrow_exception(lane.error);
  return place(k);
}

unsigned char* PiecePipeline::place(std::size_t k) {
  auto* start = reinterpret_cast<unsigned char*>(lanes_[k % lanes_.size()].buffer.data());
  const std::uintptr_t misaligned = reinterpret_cast<std::uintptr_t>(start) % RawFile::kAlignment;
  if (misaligned != 0) start += RawFile::kAlignment - misaligned;
  return start + (shifts_.empty() ? 0 : shifts_[k]);
}

void PiecePipeline::release(std::size_t k) {
  Lane& lane = lanes_[k % lanes_.size()];
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lane.ready = kNone;
    lane.free = true;
  }
  changed_.notify_all();
}

}  // namespace spikeweave::io
