// GoogleTest main for every SpikeWeave test binary: initialises MPI and Kokkos, lets rank 0 print
// the usual report while other ranks print only their failures, and returns the worst result
// over all ranks so that a failure on any rank fails the test.
#include <gtest/gtest.h>
#include <mpi.h>

#include <Kokkos_Core.hpp>
#include <cstdio>

#include "common/test_context.hpp"
#include "comm/mpi/mpi_context.hpp"

namespace {

class FailurePrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (result.failed()) {
      std::fprintf(stderr, "[rank %d] %s:%d: failure\n%s\n", rank_,
                   result.file_name() ? result.file_name() : "?", result.line_number(),
                   result.summary());
    }
  }

 private:
  int rank_;
};

std::unique_ptr<spikeweave::comm::Context> g_world;

}  // namespace

namespace spikeweave::test {
comm::Context& world() { return *g_world; }
}  // namespace spikeweave::test

int main(int argc, char** argv) {
  spikeweave::comm::mpi::Environment mpi(&argc, &argv);
  int result = 0;
  {
    Kokkos::ScopeGuard kokkos(argc, argv);
    g_world = spikeweave::comm::mpi::make_mpi_context();
    ::testing::InitGoogleTest(&argc, argv);
    const int rank = g_world->rank();
    if (rank != 0) {
      auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
      listeners.Append(new FailurePrinter(rank));
    }
    result = RUN_ALL_TESTS();
    int worst = 0;
    MPI_Allreduce(&result, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    result = worst;
    g_world.reset();
  }
  return result;
}
