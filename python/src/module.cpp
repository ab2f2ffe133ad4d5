// spikeweave._engine: SpikeWeave's compiled engine for Python (docs/python.md). The package's
// Python modules (spikeweave.rate, spikeweave.torch) wrap it; it is not meant to be used directly.
#include "bindings.hpp"
#include "core/version.hpp"

PYBIND11_MODULE(_engine, module) {
  module.doc() =
      "SpikeWeave's compiled engine (wrapped by spikeweave.Simulation, spikeweave.rate and "
      "spikeweave.torch)";
  module.attr("__version__") = spikeweave::kVersion;
  module.attr("git_commit") = spikeweave::kGitCommit;
  spikeweave::python::initialize_runtime(module);
  spikeweave::python::register_errors();
  pybind11::module_ rate = module.def_submodule(
      "rate", "Explicit rate networks: forward and backward (src/rate/explicit.hpp)");
  spikeweave::python::bind_rate(rate);
  // The spiking engine: a network from TOML text, run in steps, spikes, state and weights.
  spikeweave::python::bind_simulation(module);
}
