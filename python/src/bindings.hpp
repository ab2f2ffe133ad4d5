#pragma once
// The parts of spikeweave._engine, each registered by module.cpp.
#include <pybind11/pybind11.h>

namespace spikeweave::python {

// Kokkos is initialised when the module is imported and finalised at interpreter exit, after
// every registered cleanup (cached buffers) has run.
void initialize_runtime(pybind11::module_& module);
void at_finalize(void (*cleanup)());

// SpikeWeave's errors as Python exceptions: UserError (ConfigError, FileError) -> ValueError,
// InternalError -> RuntimeError, with the C++ message.
void register_errors();

// spikeweave._engine.rate: explicit rate networks, forward and backward (src/rate/explicit.hpp).
void bind_rate(pybind11::module_& rate);

// spikeweave._engine.Simulation: the spiking engine over the local or the MPI world context.
void bind_simulation(pybind11::module_& module);

}  // namespace spikeweave::python
