#pragma once
// The context of SpikeWeave embedded in another program (the Python module), which cannot own
// MPI's life the way `spikeweave`'s main does.
#include <memory>

#include "comm/context.hpp"

namespace spikeweave::comm {

// MPI_COMM_WORLD when MPI is initialised in this process: by the host (mpi4py), or here when
// the process was started by mpirun, mpiexec or srun (their environment says so), so that
// `mpirun -np N python3 script.py` needs no mpi4py. Otherwise one process without MPI: a plain
// interpreter never makes a singleton MPI_Init.
std::unique_ptr<Context> make_embedded_context();

// Finalises MPI if make_embedded_context initialised it. Call once at the host's exit, after
// every context it made is destroyed.
void finalize_embedded_mpi();

}  // namespace spikeweave::comm
