#include "model/lif/lif_params.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/lif/propagators.hpp"

namespace spikeweave::model {

LifPropagators lower_lif(const LifParams& p, LifVariant kind, double dt_ms,
                         const std::string& key) {
  LifPropagators q;
  const double h = dt_ms;
  q.step_ms = h;
  q.v_decay = propagator_v_decay(h, p.tau_m_ms);
  q.v_from_current = propagator_v_from_constant_current(h, p.tau_m_ms, p.c_m_pf);
  q.ex_decay = std::exp(-h / p.tau_syn_ex_ms);
  q.in_decay = std::exp(-h / p.tau_syn_in_ms);
  if (kind == LifVariant::kPscExp) {
    q.v_from_ex = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_in = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
  } else if (kind == LifVariant::kPscAlpha) {
    q.v_from_ex = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_in = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
    q.v_from_dex = propagator_v_from_alpha_derivative(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_din = propagator_v_from_alpha_derivative(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
    q.ex_alpha_scale = std::exp(1.0) / p.tau_syn_ex_ms;
    q.in_alpha_scale = std::exp(1.0) / p.tau_syn_in_ms;
  }
  if (kind == LifVariant::kCondExp) {
    q.g_l_ns = p.g_l_ns;
    q.c_m_pf = p.c_m_pf;
    q.e_ex_rel = p.e_ex_mv - p.e_l_mv;
    q.e_in_rel = p.e_in_mv - p.e_l_mv;
    q.exponential_euler = p.exponential_euler;
  }
  q.v_th_rel = p.v_th_mv - p.e_l_mv;
  q.v_reset_rel = p.v_reset_mv - p.e_l_mv;
  q.v_min_rel = p.v_min_mv - p.e_l_mv;
  q.i_e_pa = p.i_e_pa;
  q.refractory_steps = static_cast<int>(duration_to_steps(p.t_ref_ms, dt_ms, key + ".t_ref_ms"));
  return q;
}

}  // namespace spikeweave::model
