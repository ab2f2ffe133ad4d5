#include "engine/neuron_group.hpp"

#include <limits>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "core/value_range.hpp"
#include "kernels/rkf45.hpp"

namespace spikeweave::engine {
namespace {

void clear_model_error_flag(const kernels::ModelErrorFlag& flag) {
  auto host = Kokkos::create_mirror_view(flag);
  host(0) = 0;
  host(1) = std::numeric_limits<int>::max();
  host(2) = std::numeric_limits<int>::max();
  Kokkos::deep_copy(flag, host);
}

}  // namespace

// Generated from the registrations in the model folders' CMakeLists (cmake/SpikeWeaveRegistry).
NeuronGroupFactory builtin_group_factory(const std::string& model);

using kernels::View;

NeuronGroup::NeuronGroup(const GroupArgs& args)
    : spec_(args.net.populations[args.index]),
      index_(args.index),
      gids_(args.gids),
      slots_(args.slots) {
  const int n = size();
  const bool receives_input = spec_.model->receives_input();
  device_gids_ = View<std::uint32_t*>(spec_.name + ".gids", n);
  auto host = Kokkos::create_mirror_view(device_gids_);
  for (int i = 0; i < n; ++i) host(i) = static_cast<std::uint32_t>(gids_[i]);
  Kokkos::deep_copy(device_gids_, host);
  ring_ = kernels::InputRing(spec_.name + ".ring", kernels::kPortCount,
                             receives_input ? args.slots : 0, receives_input ? n : 0);
  fired_ = kernels::FiredFlags(spec_.name + ".fired", args.interval_steps, n);
}

void initialise_state(View<double*> values, const network::NetworkSpec& net, int population,
                      const std::vector<Gid>& gids, const std::string& variable, double fallback,
                      double offset) {
  const network::PopulationSpec& pop = net.populations[population];
  auto host = Kokkos::create_mirror_view(values);
  const Distribution* dist = nullptr;
  const DataMatrix* per_node = nullptr;
  int variable_index = 0;
  for (std::size_t k = 0; k < pop.init.size(); ++k) {
    if (pop.init[k].variable == variable) {
      dist = &pop.init[k].value;
      per_node = pop.init[k].per_node.get();
      variable_index = static_cast<int>(k);
    }
  }
  const std::string key = pop.key + ".init." + variable;
  for (std::size_t i = 0; i < gids.size(); ++i) {
    double value = fallback;
    if (per_node != nullptr) {
      value = per_node->values[gids[i] - pop.first_gid];
    } else if (dist != nullptr) {
      rng::Stream stream(net.simulation.seed, rng::Purpose::kInitialState,
                         static_cast<std::uint32_t>(population * 16 + variable_index),
                         static_cast<std::uint32_t>(gids[i]), 0);
      value = dist->sample(stream, key);
    }
    host(i) = value - offset;
  }
  Kokkos::deep_copy(values, host);
}

kernels::ModelErrorFlag make_model_error_flag(const std::string& name) {
  kernels::ModelErrorFlag flag(name);
  clear_model_error_flag(flag);
  return flag;
}

void check_model_error(const kernels::ModelErrorFlag& flag, const NeuronGroup& group,
                       Step first_step, double dt_ms, const std::string& model_status) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), flag);
  if (host(0) == 0) return;
  const int status = host(0);
  const std::string what =
      status == kernels::kOdeBudgetExceeded
          ? "the adaptive integrator needed more than max_substeps trial steps in one step "
            "(raise max_substeps or error_tol, or check the input)"
      : status == kernels::kOdeNonFinite ? "the state became NaN or infinite"
                                         : model_status;
  const std::uint64_t node = group.gids()[host(1)] - group.spec().first_gid;
  const double t_ms = static_cast<double>(first_step + host(2)) * dt_ms;
  throw UserError(group.spec().key + ".params",
                  "model " + group.model().name + ", population '" + group.spec().name +
                      "', neuron " + std::to_string(node) + ", step ending at " +
                      config::format_number(t_ms + dt_ms) + " ms: " + what);
}

NeuronGroupFactory group_factory(const model::NeuronModelInfo& model) {
  if (model.make_group != nullptr) return model.make_group;
  if (NeuronGroupFactory builtin = builtin_group_factory(model.name)) return builtin;
  throw InternalError("neuron model '" + model.name + "' has no engine factory");
}

std::unique_ptr<NeuronGroup> make_neuron_group(const network::NetworkSpec& net, int index,
                                               std::vector<Gid> gids, int interval_steps, int slots,
                                               const AnyValue& lowered) {
  const GroupArgs args{net, index, std::move(gids), interval_steps, slots, lowered};
  return group_factory(*net.populations[index].model)(args);
}

}  // namespace spikeweave::engine
