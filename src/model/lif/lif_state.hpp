#pragma once
// Engine half: a LIF population's state Views on this rank, allocated and set to their initial
// values (the `init` table, else V = e_l_mv and no synaptic input). The adaptive variants
// (src/model/lif_adaptive/) build their state on it.
#include "engine/neuron_group.hpp"
#include "model/lif/lif_update.hpp"

namespace spikeweave::engine {

// The recordable synaptic state of a LIF population (currents, or conductances for cond_exp,
// which live in the same Views), or an empty View.
inline kernels::View<const double*> lif_state_view(const kernels::LifState& s,
                                                   const std::string& variable) {
  if (variable == "i_syn_ex_pa" || variable == "g_ex_ns") return s.i_syn_ex_pa;
  if (variable == "i_syn_in_pa" || variable == "g_in_ns") return s.i_syn_in_pa;
  return {};
}

inline kernels::LifState make_lif_state(const GroupArgs& args, const NeuronGroup& group,
                                        model::LifVariant variant, const model::LifParams& p) {
  using kernels::View;
  const int n = group.size();
  const std::string& name = group.spec().name;
  kernels::LifState s;
  s.v_rel_mv = View<double*>(name + ".v_rel_mv", n);
  s.refractory_steps = View<std::int32_t*>(name + ".refractory_steps", n);
  const bool synaptic_currents = variant != model::LifVariant::kPscDelta;
  const bool alpha = variant == model::LifVariant::kPscAlpha;
  s.i_syn_ex_pa = View<double*>(name + ".i_syn_ex_pa", synaptic_currents ? n : 0);
  s.i_syn_in_pa = View<double*>(name + ".i_syn_in_pa", synaptic_currents ? n : 0);
  s.di_syn_ex = View<double*>(name + ".di_syn_ex", alpha ? n : 0);
  s.di_syn_in = View<double*>(name + ".di_syn_in", alpha ? n : 0);
  const int index = group.index();
  initialise_state(s.v_rel_mv, args.net, index, group.gids(), "v_m_mv", p.e_l_mv, p.e_l_mv);
  if (synaptic_currents) {
    const bool conductances = variant == model::LifVariant::kCondExp;
    initialise_state(s.i_syn_ex_pa, args.net, index, group.gids(),
                     conductances ? "g_ex_ns" : "i_syn_ex_pa", 0.0, 0.0);
    initialise_state(s.i_syn_in_pa, args.net, index, group.gids(),
                     conductances ? "g_in_ns" : "i_syn_in_pa", 0.0, 0.0);
  }
  return s;
}

// The checkpointed variables of the LIF state (see lif_describe.cpp), by registry name.
inline NeuronStateView lif_checkpoint_view(const kernels::LifState& s,
                                           const std::string& variable) {
  NeuronStateView v;
  v.provided = true;
  if (variable == "v_m_mv") {
    v.real = s.v_rel_mv;
  } else if (variable == "refractory_steps") {
    v.int32 = s.refractory_steps;
    v.integer = true;
  } else if (variable == "i_syn_ex_pa" || variable == "g_ex_ns") {
    v.real = s.i_syn_ex_pa;
  } else if (variable == "i_syn_in_pa" || variable == "g_in_ns") {
    v.real = s.i_syn_in_pa;
  } else if (variable == "di_syn_ex") {
    v.real = s.di_syn_ex;
  } else if (variable == "di_syn_in") {
    v.real = s.di_syn_in;
  } else {
    v.provided = false;
  }
  return v;
}

}  // namespace spikeweave::engine
