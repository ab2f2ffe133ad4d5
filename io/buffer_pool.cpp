#include "io/buffer_pool.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace spikeweave::io {
namespace {
std::size_t values_for(std::uint64_t bytes) {
  return static_cast<std::size_t>((bytes + sizeof(double) - 1) / sizeof(double));
}
}  // namespace

void BufferPool::reserve(std::size_t count, std::uint64_t bytes) {
  const std::size_t values = values_for(bytes);
  std::vector<Buffer> added;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    capacity_ = std::max(capacity_, count);
    std::size_t large = 0;
    for (const Buffer& b : held_) large += b.size() >= values ? 1 : 0;
    added.resize(count > large ? count - large : 0);
  }
  // Allocated and touched outside the lock (hundreds of MB: a take need not wait for them).
  // memset, not one byte per page: the kernel zeroes each page at its fault either way.
  for (Buffer& b : added) {
    b = fresh(bytes);
    std::memset(b.data(), 0, b.size() * sizeof(double));
  }
  for (Buffer& b : added) give(std::move(b));
}

BufferPool::Buffer BufferPool::take(std::uint64_t bytes) {
  const std::size_t values = values_for(bytes);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto best = held_.end();
    for (auto it = held_.begin(); it != held_.end(); ++it) {
      if (it->size() >= values && (best == held_.end() || it->size() < best->size())) best = it;
    }
    if (best != held_.end()) {
      Buffer b = std::move(*best);
      held_.erase(best);
      return b;
    }
  }
  return fresh(bytes);
}

BufferPool::Buffer BufferPool::fresh(std::uint64_t bytes) {
  Buffer b;
  b.resize(values_for(bytes));
  return b;
}

void BufferPool::give(Buffer buffer) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (capacity_ == 0 || buffer.empty()) return;
  held_.push_back(std::move(buffer));
  if (held_.size() <= capacity_) return;
  auto smallest =
      std::min_element(held_.begin(), held_.end(),
                       [](const Buffer& a, const Buffer& b) { return a.size() < b.size(); });
  held_.erase(smallest);
}

std::uint64_t BufferPool::held_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t bytes = 0;
  for (const Buffer& b : held_) bytes += b.size() * sizeof(double);
  return bytes;
}

}  // namespace spikeweave::io
