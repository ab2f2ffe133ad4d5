#include "jobs/work_queue.hpp"

#include <mpi.h>

#include <algorithm>

#include "comm/mpi/mpi_context.hpp"
#include "core/errors.hpp"

namespace spikeweave::jobs {
namespace {
void check(int code, const char* call) {
  if (code != MPI_SUCCESS) throw InternalError(std::string(call) + " failed");
}
}  // namespace

struct WorkQueue::Impl {
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Win window = MPI_WIN_NULL;
  std::uint64_t* counter = nullptr;
};

WorkQueue::WorkQueue(comm::Context& context, std::uint64_t total)
    : impl_(std::make_unique<Impl>()), total_(total) {
  impl_->comm = comm::mpi::communicator_of(context);
  const MPI_Aint bytes = context.rank() == 0 ? sizeof(std::uint64_t) : 0;
  check(MPI_Win_allocate(bytes, sizeof(std::uint64_t), MPI_INFO_NULL, impl_->comm, &impl_->counter,
                         &impl_->window),
        "MPI_Win_allocate");
  if (context.rank() == 0) *impl_->counter = 0;
  // The counter is initialised before anyone reads it.
  check(MPI_Barrier(impl_->comm), "MPI_Barrier");
  check(MPI_Win_lock_all(MPI_MODE_NOCHECK, impl_->window), "MPI_Win_lock_all");
}

WorkQueue::~WorkQueue() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  MPI_Win_unlock_all(impl_->window);
  MPI_Win_free(&impl_->window);
}

std::pair<std::uint64_t, std::uint64_t> WorkQueue::take(std::uint64_t count) {
  std::uint64_t first = 0;
  check(MPI_Fetch_and_op(&count, &first, MPI_UINT64_T, 0, 0, MPI_SUM, impl_->window),
        "MPI_Fetch_and_op");
  check(MPI_Win_flush(0, impl_->window), "MPI_Win_flush");
  if (first >= total_) return {total_, 0};
  return {first, std::min(count, total_ - first)};
}

}  // namespace spikeweave::jobs
