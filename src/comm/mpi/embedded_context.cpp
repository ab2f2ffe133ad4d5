#include "comm/embedded_context.hpp"

#include <cstdlib>

#include "comm/mpi/mpi_context.hpp"

namespace spikeweave::comm {

namespace {

std::unique_ptr<mpi::Environment>& own_environment() {
  static std::unique_ptr<mpi::Environment> environment;
  return environment;
}

// Set in each process by mpirun/mpiexec (Open MPI, MPICH/Hydra) or srun (PMI, PMIx).
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace

std::unique_ptr<Context> make_embedded_context() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized && !finalized && launched_by_mpi()) {
    own_environment() = std::make_unique<mpi::Environment>(nullptr, nullptr);
    initialized = 1;
  }
  if (initialized && !finalized) return mpi::make_mpi_context();
  return make_local_context();
}

void finalize_embedded_mpi() {
  own_environment().reset();
}

}  // namespace spikeweave::comm
