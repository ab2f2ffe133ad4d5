#include "model/lif_params.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/time_grid.hpp"
#include "model/propagators.hpp"

namespace spikeweave::model {
namespace ranges = config::ranges;

namespace {
// The refractory period is counted in an int of steps.
constexpr config::Range kRefractoryMs{0.0, 1e6, false, false, "a refractory period [ms]"};
// v_min_mv defaults to -infinity (no lower bound); a given one is a finite potential.
constexpr config::Range kVMinMv = ranges::kVoltageMv;
}  // namespace

LifParams parse_lif_params(const config::Table& t, ModelKind kind) {
  LifParams p;
  p.c_m_pf = t.number("c_m_pf", p.c_m_pf, ranges::kCapacitancePf);
  p.tau_m_ms = t.number("tau_m_ms", p.tau_m_ms, ranges::kTimeConstantMs);
  p.e_l_mv = t.number("e_l_mv", p.e_l_mv, ranges::kVoltageMv);
  p.v_th_mv = t.number("v_th_mv", p.v_th_mv, ranges::kVoltageMv);
  p.v_reset_mv = t.number("v_reset_mv", p.v_reset_mv, ranges::kVoltageMv);
  p.t_ref_ms = t.number("t_ref_ms", p.t_ref_ms, kRefractoryMs);
  p.i_e_pa = t.number("i_e_pa", p.i_e_pa, ranges::kCurrentPa);
  p.v_min_mv = t.number("v_min_mv", p.v_min_mv, kVMinMv);
  if (kind == ModelKind::kLifCondExp) {
    // NEST iaf_cond_exp defaults where they differ from the current-based models.
    p.tau_syn_ex_ms = 0.2;
    p.v_reset_mv = t.number("v_reset_mv", -60.0, ranges::kVoltageMv);
    p.g_l_ns = t.number("g_l_ns", p.g_l_ns, ranges::kConductanceNs);
    p.e_ex_mv = t.number("e_ex_mv", p.e_ex_mv, ranges::kVoltageMv);
    p.e_in_mv = t.number("e_in_mv", p.e_in_mv, ranges::kVoltageMv);
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
    p.tau_syn_ex_ms = t.number("tau_syn_ex_ms", p.tau_syn_ex_ms, ranges::kTimeConstantMs);
    p.tau_syn_in_ms = t.number("tau_syn_in_ms", p.tau_syn_in_ms, ranges::kTimeConstantMs);
  }
  t.reject_unknown_keys();
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
