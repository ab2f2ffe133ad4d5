#include "model/lif_params.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/propagators.hpp"

namespace spikeweave::model {
namespace {
void require_positive(const config::Table& t, const char* key, double value) {
  if (!(value > 0.0)) {
    throw ConfigError(t.key_path(key), std::to_string(value) + " must be > 0");
  }
}
}  // namespace

LifParams parse_lif_params(const config::Table& t, ModelKind kind) {
  LifParams p;
  p.c_m_pf = t.number("c_m_pf", p.c_m_pf);
  p.tau_m_ms = t.number("tau_m_ms", p.tau_m_ms);
  p.e_l_mv = t.number("e_l_mv", p.e_l_mv);
  p.v_th_mv = t.number("v_th_mv", p.v_th_mv);
  p.v_reset_mv = t.number("v_reset_mv", p.v_reset_mv);
  p.t_ref_ms = t.number("t_ref_ms", p.t_ref_ms);
  p.i_e_pa = t.number("i_e_pa", p.i_e_pa);
  p.v_min_mv = t.number("v_min_mv", p.v_min_mv);
  if (kind == ModelKind::kLifCondExp) {
    // NEST iaf_cond_exp defaults where they differ from the current-based models.
    p.tau_syn_ex_ms = 0.2;
    p.v_reset_mv = t.number("v_reset_mv", -60.0);
    p.g_l_ns = t.number("g_l_ns", p.g_l_ns);
    p.e_ex_mv = t.number("e_ex_mv", p.e_ex_mv);
    p.e_in_mv = t.number("e_in_mv", p.e_in_mv);
    require_positive(t, "g_l_ns", p.g_l_ns);
    if (t.has("tau_m_ms")) {
      throw ConfigError(t.key_path("tau_m_ms"),
                        "lif_cond_exp takes g_l_ns; tau_m is c_m_pf / g_l_ns");
    }
    p.tau_m_ms = p.c_m_pf / p.g_l_ns;
    const std::string integrator = t.string("integrator", "exponential_euler");
    if (integrator != "exponential_euler" && integrator != "euler") {
      throw ConfigError(t.key_path("integrator"),
                        "expected \"exponential_euler\" or \"euler\", got \"" + integrator + "\"");
    }
    p.exponential_euler = integrator == "exponential_euler";
  }
  if (kind == ModelKind::kLifPscExp || kind == ModelKind::kLifPscAlpha ||
      kind == ModelKind::kLifCondExp) {
    p.tau_syn_ex_ms = t.number("tau_syn_ex_ms", p.tau_syn_ex_ms);
    p.tau_syn_in_ms = t.number("tau_syn_in_ms", p.tau_syn_in_ms);
    require_positive(t, "tau_syn_ex_ms", p.tau_syn_ex_ms);
    require_positive(t, "tau_syn_in_ms", p.tau_syn_in_ms);
  }
  t.reject_unknown_keys();
  require_positive(t, "c_m_pf", p.c_m_pf);
  require_positive(t, "tau_m_ms", p.tau_m_ms);
  if (!(p.t_ref_ms >= 0.0)) throw ConfigError(t.key_path("t_ref_ms"), "must be >= 0");
  if (!(p.v_reset_mv < p.v_th_mv)) {
    throw ConfigError(
        t.key_path("v_reset_mv"),
        std::to_string(p.v_reset_mv) + " must be below v_th_mv " + std::to_string(p.v_th_mv));
  }
  if (!(p.v_min_mv <= p.v_reset_mv)) {
    throw ConfigError(t.key_path("v_min_mv"), "must not exceed v_reset_mv");
  }
  return p;
}

LifPropagators lower_lif(const LifParams& p, ModelKind kind, double dt_ms, const std::string& key) {
  LifPropagators q;
  const double h = dt_ms;
  q.step_ms = h;
  q.v_decay = propagator_v_decay(h, p.tau_m_ms);
  q.v_from_current = propagator_v_from_constant_current(h, p.tau_m_ms, p.c_m_pf);
  q.ex_decay = std::exp(-h / p.tau_syn_ex_ms);
  q.in_decay = std::exp(-h / p.tau_syn_in_ms);
  if (kind == ModelKind::kLifPscExp) {
    q.v_from_ex = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_in = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
  } else if (kind == ModelKind::kLifPscAlpha) {
    q.v_from_ex = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_in = propagator_v_from_exp_current(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
    q.v_from_dex = propagator_v_from_alpha_derivative(h, p.tau_m_ms, p.tau_syn_ex_ms, p.c_m_pf);
    q.v_from_din = propagator_v_from_alpha_derivative(h, p.tau_m_ms, p.tau_syn_in_ms, p.c_m_pf);
    q.ex_alpha_scale = std::exp(1.0) / p.tau_syn_ex_ms;
    q.in_alpha_scale = std::exp(1.0) / p.tau_syn_in_ms;
  }
  if (kind == ModelKind::kLifCondExp) {
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
