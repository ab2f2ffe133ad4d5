#pragma once
// The neurons of one population on this rank: state Views, input ring, fired flags and the
// update kernel of the population's model. Each model's folder derives its own group (see
// docs/extending.md); the registry says which factory makes it.
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"
#include "model/neuron_model.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

// What a model's factory gets to create a population's neurons on this rank.
struct GroupArgs {
  const network::NetworkSpec& net;
  int index = 0;            // population index
  std::vector<Gid> gids;    // this rank's neurons, increasing
  int interval_steps = 1;   // steps per communication interval (rows of fired flags)
  int slots = 1;            // ring-buffer slots
  const AnyValue& lowered;  // the model's lowered parameters (NeuronModelInfo::lower)
};

// A state variable's View over this rank's neurons, for checkpoints: `int32` if `integer`,
// else `real`.
struct NeuronStateView {
  bool provided = false;
  bool integer = false;
  kernels::View<double*> real;
  kernels::View<std::int32_t*> int32;
};

// The view of `variable` among a model's refractory counter and its real state variables, by
// registry name; not provided if it is none of them.
inline NeuronStateView find_state_view(
    const std::string& variable, const kernels::View<std::int32_t*>& refractory_steps,
    std::initializer_list<std::pair<const char*, kernels::View<double*>>> reals) {
  NeuronStateView v;
  if (variable == "refractory_steps") {
    v.provided = v.integer = true;
    v.int32 = refractory_steps;
    return v;
  }
  for (const auto& [name, view] : reals) {
    if (variable == name) {
      v.provided = true;
      v.real = view;
    }
  }
  return v;
}

class NeuronGroup {
 public:
  virtual ~NeuronGroup() = default;

  // The View of a state variable the model's registry entry marks `checkpointed`, in the model's
  // internal representation (LIF potentials relative to e_l_mv, conductances in the current
  // Views). Not provided: the caller reports the model's missing state as a bug.
  virtual NeuronStateView checkpoint_view(const std::string& variable) {
    (void)variable;
    return {};
  }

  // Advances every local neuron by one step. Reads and clears ring slot (step mod slots), writes
  // fired flags of row `lag`.
  virtual void update(Step step, int lag) = 0;
  // Advances every local neuron through steps [first_step, first_step + lags) (rows 0..lags-1
  // of the fired flags) when nothing samples the state between them. Models whose kernel can
  // take each neuron through all the lags in one parallel region override this: one region per
  // interval instead of one per step, which is what lets threads pay on the update.
  virtual void update_interval(Step first_step, int lags) {
    for (int lag = 0; lag < lags; ++lag) update(first_step + lag, lag);
  }
  // Membrane potentials relative to e_l_mv() [mV], or an empty View for source models.
  virtual kernels::View<const double*> v_rel_mv() const { return {}; }
  virtual double e_l_mv() const { return 0.0; }
  // The View of a recordable state variable other than v_m_mv (model::StateVariableInfo::
  // recordable), in its declared unit, absolute; empty if the model has no such variable.
  virtual kernels::View<const double*> state_view(const std::string& /*variable*/) const {
    return {};
  }
  // After the updates of the interval starting at `first_step`: throws a UserError if the
  // model's kernel raised its error flag (see check_model_error). Most models cannot fail.
  virtual void check_errors(Step /*first_step*/, double /*dt_ms*/) {}

  const network::PopulationSpec& spec() const { return spec_; }
  const model::NeuronModelInfo& model() const { return *spec_.model; }
  int index() const { return index_; }
  int size() const { return static_cast<int>(gids_.size()); }
  const std::vector<Gid>& gids() const { return gids_; }
  kernels::View<const std::uint32_t*> device_gids() const { return device_gids_; }
  kernels::InputRing& ring() { return ring_; }
  kernels::FiredFlags& fired() { return fired_; }
  int slots() const { return slots_; }

 protected:
  // Receives input when the model does (a ring of `slots` slots), otherwise gets an empty ring.
  explicit NeuronGroup(const GroupArgs& args);

  network::PopulationSpec spec_;  // owned: a group never depends on the caller's spec
  int index_;
  std::vector<Gid> gids_;
  kernels::View<std::uint32_t*> device_gids_;
  kernels::InputRing ring_;
  kernels::FiredFlags fired_;
  int slots_;
};

// Creates population `index`'s neurons with its model's factory.
std::unique_ptr<NeuronGroup> make_neuron_group(const network::NetworkSpec& net, int index,
                                               std::vector<Gid> gids, int interval_steps, int slots,
                                               const AnyValue& lowered);

// The engine half of a model registered with the registry: the factory the model's entry names,
// or, for built-in models, the one in the generated list. Throws InternalError if none.
NeuronGroupFactory group_factory(const model::NeuronModelInfo& model);

// A new error flag (kernels::ModelErrorFlag) in its cleared state.
kernels::ModelErrorFlag make_model_error_flag(const std::string& name);
// Throws a UserError at the population's params key naming the neuron (node id) and the time if
// `flag` is raised. Statuses: kernels::OdeStatus, or the model's own (>= kOdeModelStatus)
// described by `model_status`.
void check_model_error(const kernels::ModelErrorFlag& flag, const NeuronGroup& group,
                       Step first_step, double dt_ms, const std::string& model_status);

// Initial values of one state variable: the population's `init` entry for `variable` (a number
// or draws keyed by (seed, population, variable, gid), so independent of the partition), else
// `fallback`; `offset` is subtracted (potentials are stored relative to e_l_mv).
void initialise_state(kernels::View<double*> values, const network::NetworkSpec& net,
                      int population, const std::vector<Gid>& gids, const std::string& variable,
                      double fallback, double offset);

}  // namespace spikeweave::engine
