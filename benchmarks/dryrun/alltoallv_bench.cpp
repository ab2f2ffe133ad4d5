// The spike exchange's MPI calls alone, as comm::mpi's context makes them once per interval:
// MPI_Alltoall of one int per rank (the counts) then MPI_Alltoallv of `words` 64-bit words to
// every other rank. Prints one JSON line per message size with the median seconds per exchange
// over `reps` exchanges (after 20 warm-up ones), so that the communication model can be
// calibrated on this machine's shared-memory transport.
//
// Build and run (run_dryrun.py does both):
//   mpicxx -O2 -std=c++17 alltoallv_bench.cpp -o alltoallv_bench
//   mpirun -np 4 --oversubscribe ./alltoallv_bench [reps]
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int reps = argc > 1 ? std::atoi(argv[1]) : 400;
  for (int words : {0, 1, 16, 128, 1024, 8192, 65536}) {
    std::vector<int> send_counts(size, words), recv_counts(size), send_offsets(size),
        recv_offsets(size);
    send_counts[rank] = words;  // a rank sends itself its own spikes too, as the engine does
    std::vector<std::uint64_t> send(static_cast<std::size_t>(words) * size, 1), recv;
    std::vector<double> seconds;
    for (int k = 0; k < reps + 20; ++k) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double start = MPI_Wtime();
      MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
      std::partial_sum(send_counts.begin(), send_counts.end() - 1, send_offsets.begin() + 1);
      std::partial_sum(recv_counts.begin(), recv_counts.end() - 1, recv_offsets.begin() + 1);
      recv.resize(static_cast<std::size_t>(recv_offsets.back()) + recv_counts.back());
      MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_UINT64_T, recv.data(),
                    recv_counts.data(), recv_offsets.data(), MPI_UINT64_T, MPI_COMM_WORLD);
      double elapsed = MPI_Wtime() - start;
      // The exchange ends for everyone when the slowest rank is done.
      MPI_Allreduce(MPI_IN_PLACE, &elapsed, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
      if (k >= 20) seconds.push_back(elapsed);
    }
    std::sort(seconds.begin(), seconds.end());
    if (rank == 0) {
      std::printf(
          "{\"ranks\":%d,\"words_per_peer\":%d,\"reps\":%d,\"median_seconds\":%.9g,"
          "\"p10_seconds\":%.9g,\"p90_seconds\":%.9g}\n",
          size, words, reps, seconds[seconds.size() / 2], seconds[seconds.size() / 10],
          seconds[seconds.size() * 9 / 10]);
      std::fflush(stdout);
    }
  }
  MPI_Finalize();
  return 0;
}
