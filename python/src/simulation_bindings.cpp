// spikeweave._engine.Simulation: the spiking engine (engine::Simulation) driven from Python,
// wrapped by spikeweave.Simulation (python/spikeweave/simulation.py, docs/python.md).
//
// Recordings go to an io::MemoryRunOutput instead of the HDF5 file.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "comm/context.hpp"
#include "comm/embedded_context.hpp"
#include "core/errors.hpp"
#include "engine/memory_check.hpp"
#include "engine/simulation.hpp"
#include "engine/state_access.hpp"
#include "io/memory_run_output.hpp"
#include "network/spec.hpp"

namespace py = pybind11;

namespace spikeweave::python {

namespace {

template <typename T>
py::array_t<T> to_array(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

class PySimulation;
// Live simulations, released before Kokkos is finalised at interpreter exit (their Views must
// not outlive it, and a module-level `sim` is only collected after atexit has run).
std::set<PySimulation*>& live() {
  static std::set<PySimulation*> simulations;
  return simulations;
}

class PySimulation {
 public:
  // Parses like `spikeweave run`: `source_name` is the file name the CLI would name in errors.
  PySimulation(const std::string& toml_text, const std::string& source_name,
               const std::vector<std::string>& overrides, bool memory_check) {
    context_ = comm::make_embedded_context();
    spec_ = network::parse_network(toml_text, source_name, overrides);
    if (memory_check) engine::check_memory(spec_, context_->size(), *context_);
    simulation_ = std::make_unique<engine::Simulation>(spec_, *context_);
    layout_ = simulation_->output_layout();
    output_ = std::make_unique<io::MemoryRunOutput>(layout_.spike_groups.size(),
                                                    layout_.reports.size(), layout_.weights.size());
    simulation_->set_output(output_.get());
    live().insert(this);
  }
  ~PySimulation() {
    live().erase(this);
    release();
  }
  PySimulation(const PySimulation&) = delete;
  PySimulation& operator=(const PySimulation&) = delete;

  void release() {
    simulation_.reset();
    output_.reset();
    context_.reset();
  }

  // Advances by t_ms of model time, a whole number of steps, up to simulation.t_stop_ms.
  void run(double t_ms) {
    engine::Simulation& sim = simulation();
    const double dt = spec_.simulation.dt_ms;
    if (!std::isfinite(t_ms) || t_ms < 0.0)
      throw ConfigError("run", "t_ms = " + std::to_string(t_ms) + " must be a finite time >= 0");
    const double steps_real = t_ms / dt;
    const Step steps = static_cast<Step>(std::llround(steps_real));
    if (std::abs(steps_real - static_cast<double>(steps)) > 1e-6)
      throw ConfigError(
          "run", "t_ms = " + std::to_string(t_ms) +
                     " is not a whole number of steps of simulation.dt_ms = " + std::to_string(dt));
    // The engine sizes its schedule (communication interval, weight samples, stimuli) for
    // t_stop_ms, so a run never goes past it.
    if (sim.step() + steps > spec_.simulation.steps)
      throw ConfigError(
          "run",
          "running " + std::to_string(t_ms) + " ms from t = " + std::to_string(sim.step() * dt) +
              " ms passes simulation.t_stop_ms = " + std::to_string(spec_.simulation.t_stop_ms) +
              " ms; raise simulation.t_stop_ms");
    // The engine takes its initial weight sample when a run starts at step 0: a run of no steps
    // would take it twice.
    if (steps == 0) return;
    try {
      py::gil_scoped_release unlocked;
      sim.run(steps);
    } catch (...) {
      // A failed interval leaves the ranks' state inconsistent: no further run.
      failed_ = true;
      throw;
    }
  }

  double t_ms() const { return static_cast<double>(simulation().step()) * spec_.simulation.dt_ms; }
  const network::NetworkSpec& spec() const { return spec_; }
  int rank() { return simulation().context().rank(); }
  int ranks() { return simulation().context().size(); }

  py::tuple spikes(const std::string& population) const {
    population_index(population, "spikes");
    const auto& groups = layout_.spike_groups;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].population != population) continue;
      const io::MemoryRunOutput::Spikes& s = output().spikes.at(g);
      return py::make_tuple(to_array(s.node_ids), to_array(s.times_ms));
    }
    throw ConfigError("record", "population \"" + population +
                                    "\" records no spikes: add it to a [[record]] table's spikes");
  }

  // This rank's neurons of `population` and their membrane potential now [mV].
  py::tuple v_m(const std::string& population) {
    const int p = population_index(population, "v_m");
    if (spec_.populations[static_cast<std::size_t>(p)].model->state_variable("v_m_mv") == nullptr)
      throw ConfigError("population \"" + population + "\"", "its model has no membrane potential");
    return state(population, "v_m_mv");
  }

  // The recorded membrane potentials (record.v_m): node ids, sample times, data[samples, ids].
  py::tuple membrane(const std::string& population) const {
    population_index(population, "membrane");
    const auto& reports = layout_.reports;
    for (std::size_t r = 0; r < reports.size(); ++r) {
      if (reports[r].population != population) continue;
      const io::MemoryRunOutput::Report& report = output().reports.at(r);
      const std::size_t columns = reports[r].local_node_ids.size();
      std::vector<double> times(report.samples);
      for (std::size_t k = 0; k < times.size(); ++k)
        times[k] = reports[r].t_start_ms + static_cast<double>(k) * reports[r].every_ms;
      py::array_t<float> data(
          {static_cast<py::ssize_t>(report.samples), static_cast<py::ssize_t>(columns)});
      if (!report.values.empty())
        std::memcpy(data.mutable_data(), report.values.data(),
                    report.values.size() * sizeof(float));
      return py::make_tuple(to_array(reports[r].local_node_ids), to_array(times), data);
    }
    throw ConfigError("record", "population \"" + population +
                                    "\" records no membrane potential: add a [[record]] v_m table");
  }

  // This rank's synapses of `projection` now, in table order: source, target, weight.
  py::tuple weights(const std::string& projection) const {
    const int q = projection_index(projection, "weights");
    const std::vector<engine::SynapseState> states = simulation().synapse_states(q);
    std::vector<std::uint64_t> sources(states.size()), targets(states.size());
    std::vector<double> weights(states.size());
    for (std::size_t i = 0; i < states.size(); ++i) {
      sources[i] = states[i].source;
      targets[i] = states[i].target;
      weights[i] = states[i].weight;
    }
    return py::make_tuple(to_array(sources), to_array(targets), to_array(weights));
  }

  // The recorded weights (record.weights), as the file's /weights/<projection>: source, target,
  // sample times, weight[samples, synapses].
  py::tuple weight_record(const std::string& projection) const {
    projection_index(projection, "weight_record");
    const auto& groups = layout_.weights;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].projection != projection) continue;
      const io::MemoryRunOutput::Weights& w = output().weights.at(g);
      const std::size_t columns = groups[g].local_sources.size();
      py::array_t<double> data(
          {static_cast<py::ssize_t>(w.times_ms.size()), static_cast<py::ssize_t>(columns)});
      if (!w.values.empty())
        std::memcpy(data.mutable_data(), w.values.data(), w.values.size() * sizeof(double));
      return py::make_tuple(to_array(groups[g].local_sources), to_array(groups[g].local_targets),
                            to_array(w.times_ms), data);
    }
    throw ConfigError("record", "projection \"" + projection +
                                    "\" records no weights: add a [[record]] weights table");
  }

  // A state variable of this rank's neurons of `population` (engine/state_access.hpp).
  py::tuple state(const std::string& population, const std::string& variable) {
    const int p = population_index(population, "state");
    engine::NeuronValues v = engine::neuron_state(simulation(), p, variable);
    return py::make_tuple(to_array(v.node_ids), to_array(v.values));
  }
  void set_state(const std::string& population, const std::string& variable,
                 const std::vector<std::uint64_t>& node_ids, const std::vector<double>& values) {
    const int p = population_index(population, "set_state");
    engine::set_neuron_state(simulation(), p, variable, node_ids, values);
  }
  // Collective (a pair with no synapse anywhere is refused on every rank).
  void set_weights(const std::string& projection, const std::vector<std::uint64_t>& sources,
                   const std::vector<std::uint64_t>& targets, const std::vector<double>& weights) {
    const int q = projection_index(projection, "set_weights");
    engine::set_weights(simulation(), q, sources, targets, weights);
  }
  void set_all_weights(const std::string& projection, double weight) {
    engine::set_all_weights(simulation(), projection_index(projection, "set_weights"), weight);
  }
  void set_plasticity(const std::string& projection, bool on) {
    engine::set_learning(simulation(), projection_index(projection, "set_plasticity"), on);
  }
  void set_stimulus(int index, std::optional<double> rate_hz, std::optional<double> amplitude_pa) {
    if (index < 0 || static_cast<std::size_t>(index) >= spec_.stimuli.size())
      throw ConfigError("set_stimulus", "no stimulus[" + std::to_string(index) + "] (there are " +
                                            std::to_string(spec_.stimuli.size()) + ")");
    engine::set_stimulus(simulation(), index, rate_hz, amplitude_pa);
  }

  // Spikes per population so far, summed over ranks (collective).
  std::vector<std::uint64_t> spike_counts() { return simulation().global_spike_counts(); }

 private:
  engine::Simulation& simulation() const {
    if (!simulation_)
      throw ConfigError("Simulation", "the simulation was released (interpreter shutting down)");
    if (failed_) throw ConfigError("Simulation", "an earlier run failed; build a new simulation");
    return *simulation_;
  }
  const io::MemoryRunOutput& output() const {
    simulation();
    return *output_;
  }
  int population_index(const std::string& name, const char* call) const {
    const int p = spec_.population_index(name);
    if (p < 0) {
      std::string known;
      for (const auto& population : spec_.populations)
        known += (known.empty() ? "" : ", ") + population.name;
      throw ConfigError(call, "no population \"" + name + "\" (populations: " + known + ")");
    }
    return p;
  }
  int projection_index(const std::string& name, const char* call) const {
    const int q = spec_.projection_index(name);
    if (q < 0) {
      std::string known;
      for (const auto& projection : spec_.projections)
        known += (known.empty() ? "" : ", ") + projection.name;
      throw ConfigError(call, "no projection \"" + name + "\" (projections: " + known + ")");
    }
    return q;
  }

  std::unique_ptr<comm::Context> context_;  // outlives simulation_ (declared first)
  network::NetworkSpec spec_;
  std::unique_ptr<engine::Simulation> simulation_;
  io::RunOutputLayout layout_;  // which population or projection each recording is
  std::unique_ptr<io::MemoryRunOutput> output_;
  bool failed_ = false;
};

void release_all() {
  for (PySimulation* simulation : live()) simulation->release();
}

}  // namespace

void bind_simulation(py::module_& module) {
  // A rank's failure inside the loop (a kernel's error, or another rank's): RuntimeError with the
  // message the CLI prints. The interpreter goes on; the simulation refuses further runs.
  static py::exception<engine::RankLocalError> simulation_error(module, "SimulationError",
                                                                PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const engine::RankLocalError& e) {
      PyErr_SetString(simulation_error.ptr(), e.what());
    } catch (const engine::PeerFailure& e) {
      PyErr_SetString(simulation_error.ptr(), e.what());
    }
  });
  at_finalize(release_all);
  at_finalize(comm::finalize_embedded_mpi);  // after every simulation's communicator is freed

  py::class_<PySimulation>(module, "Simulation",
                           "A spiking network built from TOML text (wrapped by "
                           "spikeweave.Simulation)")
      .def(
          py::init<const std::string&, const std::string&, const std::vector<std::string>&, bool>(),
          py::arg("toml_text"), py::arg("source_name"), py::arg("overrides"),
          py::arg("memory_check") = true, py::call_guard<py::gil_scoped_release>())
      .def("run", &PySimulation::run, py::arg("t_ms"))
      .def_property_readonly("t_ms", &PySimulation::t_ms)
      .def_property_readonly("dt_ms",
                             [](const PySimulation& s) { return s.spec().simulation.dt_ms; })
      .def_property_readonly("t_stop_ms",
                             [](const PySimulation& s) { return s.spec().simulation.t_stop_ms; })
      .def_property_readonly("seed", [](const PySimulation& s) { return s.spec().simulation.seed; })
      .def_property_readonly("toml", [](const PySimulation& s) { return s.spec().toml_text; })
      .def_property_readonly("populations",
                             [](const PySimulation& s) {
                               std::vector<std::pair<std::string, std::uint64_t>> out;
                               for (const auto& p : s.spec().populations)
                                 out.emplace_back(p.name, p.size);
                               return out;
                             })
      .def_property_readonly("projections",
                             [](const PySimulation& s) {
                               std::vector<std::string> out;
                               for (const auto& q : s.spec().projections) out.push_back(q.name);
                               return out;
                             })
      .def_property_readonly("rank", &PySimulation::rank)
      .def_property_readonly("ranks", &PySimulation::ranks)
      .def("spikes", &PySimulation::spikes, py::arg("population"))
      .def("v_m", &PySimulation::v_m, py::arg("population"))
      .def("membrane", &PySimulation::membrane, py::arg("population"))
      .def("weights", &PySimulation::weights, py::arg("projection"))
      .def("weight_record", &PySimulation::weight_record, py::arg("projection"))
      .def("spike_counts", &PySimulation::spike_counts)
      .def("state", &PySimulation::state, py::arg("population"), py::arg("variable"))
      .def("set_state", &PySimulation::set_state, py::arg("population"), py::arg("variable"),
           py::arg("node_ids"), py::arg("values"))
      .def("set_weights", &PySimulation::set_weights, py::arg("projection"), py::arg("sources"),
           py::arg("targets"), py::arg("weights"))
      .def("set_all_weights", &PySimulation::set_all_weights, py::arg("projection"),
           py::arg("weight"))
      .def("set_plasticity", &PySimulation::set_plasticity, py::arg("projection"),
           py::arg("enabled"))
      .def("set_stimulus", &PySimulation::set_stimulus, py::arg("index"),
           py::arg("rate_hz") = std::nullopt, py::arg("amplitude_pa") = std::nullopt);
}

}  // namespace spikeweave::python
