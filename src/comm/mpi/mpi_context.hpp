#pragma once
// The MPI implementation of comm::Context. Only this folder, io/ and jobs/ include <mpi.h>.
#include <mpi.h>

#include <memory>

#include "comm/context.hpp"

namespace spikeweave::comm::mpi {

// Initialises MPI (if needed) for the life of the object and finalises it at the end.
// A single process started without mpirun works (singleton MPI_Init).
class Environment {
 public:
  Environment(int* argc, char*** argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

 private:
  bool finalize_ = false;
};

// A context over a duplicate of `comm` (MPI_COMM_WORLD by default).
std::unique_ptr<Context> make_mpi_context(MPI_Comm comm = MPI_COMM_WORLD);

// The communicator behind a context: the MPI communicator of an MPI context, MPI_COMM_SELF for
// a local or dry-run context (used by io/ to open files).
MPI_Comm communicator_of(const Context& context);

}  // namespace spikeweave::comm::mpi
