#include "comm/mpi/mpi_context.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"

namespace spikeweave::comm::mpi {
namespace {

void check(int code, const char* call) {
  if (code != MPI_SUCCESS) {
    char message[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, message, &length);
    throw InternalError(std::string(call) + " failed: " + std::string(message, length));
  }
}

class MpiContext final : public Context {
 public:
  explicit MpiContext(MPI_Comm comm) {
    check(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
    check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }
  ~MpiContext() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Comm_free(&comm_);
  }
  MpiContext(const MpiContext&) = delete;
  MpiContext& operator=(const MpiContext&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string kind() const override { return "mpi"; }
  MPI_Comm comm() const { return comm_; }

  bool alltoallv(const std::vector<std::uint64_t>& send, const std::vector<int>& send_counts,
                 std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                 bool this_rank_failed) override {
    // A failing rank sends -1 as every count: all ranks see it in the count exchange and stop
    // before the data exchange, so nobody waits for a rank that has given up.
    std::vector<int> counts_out(size_);
    for (int r = 0; r < size_; ++r) counts_out[r] = this_rank_failed ? -1 : send_counts.at(r);
    recv_counts.assign(size_, 0);
    check(MPI_Alltoall(counts_out.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, comm_),
          "MPI_Alltoall");
    // Every rank receives every other rank's count, so all ranks see the same -1 and agree.
    if (this_rank_failed ||
        std::any_of(recv_counts.begin(), recv_counts.end(), [](int c) { return c < 0; })) {
      return true;
    }
    std::vector<int> send_offsets(size_, 0), recv_offsets(size_, 0);
    std::partial_sum(send_counts.begin(), send_counts.end() - 1, send_offsets.begin() + 1);
    std::partial_sum(recv_counts.begin(), recv_counts.end() - 1, recv_offsets.begin() + 1);
    recv.resize(static_cast<std::size_t>(recv_offsets.back()) + recv_counts.back());
    check(MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_UINT64_T,
                        recv.data(), recv_counts.data(), recv_offsets.data(), MPI_UINT64_T, comm_),
          "MPI_Alltoallv");
    return false;
  }

  void sum(std::vector<double>& v) override { allreduce(v.data(), v.size(), MPI_DOUBLE, MPI_SUM); }
  void sum(std::vector<std::uint64_t>& v) override {
    allreduce(v.data(), v.size(), MPI_UINT64_T, MPI_SUM);
  }
  void max(std::vector<double>& v) override { allreduce(v.data(), v.size(), MPI_DOUBLE, MPI_MAX); }
  void min(std::vector<double>& v) override { allreduce(v.data(), v.size(), MPI_DOUBLE, MPI_MIN); }

  std::uint64_t exclusive_prefix_sum(std::uint64_t value) override {
    std::uint64_t result = 0;
    check(MPI_Exscan(&value, &result, 1, MPI_UINT64_T, MPI_SUM, comm_), "MPI_Exscan");
    return rank_ == 0 ? 0 : result;
  }

  bool any(bool flag) override {
    int local = flag ? 1 : 0, global = 0;
    check(MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, comm_), "MPI_Allreduce");
    return global != 0;
  }

  void broadcast(std::string& text, int root) override {
    unsigned long long length = text.size();
    check(MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, comm_), "MPI_Bcast");
    text.resize(length);
    if (length > 0) {
      check(MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, root, comm_), "MPI_Bcast");
    }
  }

  std::vector<std::uint64_t> all_gather(std::uint64_t value) override {
    std::vector<std::uint64_t> values(size_);
    check(MPI_Allgather(&value, 1, MPI_UINT64_T, values.data(), 1, MPI_UINT64_T, comm_),
          "MPI_Allgather");
    return values;
  }

  void barrier() override { check(MPI_Barrier(comm_), "MPI_Barrier"); }

  std::unique_ptr<Context> split_node() override {
    MPI_Comm node;
    check(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node),
          "MPI_Comm_split_type");
    auto context = std::make_unique<MpiContext>(node);
    MPI_Comm_free(&node);
    return context;
  }

  std::unique_ptr<Context> split(int color, int key) override {
    MPI_Comm sub;
    check(MPI_Comm_split(comm_, color, key, &sub), "MPI_Comm_split");
    auto context = std::make_unique<MpiContext>(sub);
    MPI_Comm_free(&sub);
    return context;
  }

 private:
  void allreduce(void* data, std::size_t n, MPI_Datatype type, MPI_Op op) {
    if (n == 0) return;
    check(MPI_Allreduce(MPI_IN_PLACE, data, static_cast<int>(n), type, op, comm_), "MPI_Allreduce");
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

Environment::Environment(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    finalize_ = true;
  }
}

Environment::~Environment() {
  if (finalize_) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
}

std::unique_ptr<Context> make_mpi_context(MPI_Comm comm) {
  return std::make_unique<MpiContext>(comm);
}

MPI_Comm communicator_of(const Context& context) {
  if (const auto* mpi = dynamic_cast<const MpiContext*>(&context)) return mpi->comm();
  return MPI_COMM_SELF;
}

}  // namespace spikeweave::comm::mpi

namespace spikeweave::comm {
void abort_all_ranks(int code) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}
}  // namespace spikeweave::comm
