#pragma once
// A shared counter over [0, total) that any rank advances without waiting for the others (MPI
// one-sided MPI_Fetch_and_op on a window held by rank 0): ranks take the next items when they
// are ready, so a rank whose items were cheap simply takes more. With Open MPI's shared-memory
// and RDMA/UCX one-sided components the fetch completes without rank 0's participation.
#include <cstdint>
#include <memory>
#include <utility>

#include "comm/context.hpp"

namespace spikeweave::jobs {

class WorkQueue {
 public:
  // Collective over `context`.
  WorkQueue(comm::Context& context, std::uint64_t total);
  // Collective (frees the window).
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Claims the next `count` items: [first, first + claimed); claimed is 0 once exhausted.
  std::pair<std::uint64_t, std::uint64_t> take(std::uint64_t count);
  std::uint64_t total() const { return total_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t total_ = 0;
};

}  // namespace spikeweave::jobs
