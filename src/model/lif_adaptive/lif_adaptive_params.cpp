#include "model/lif_adaptive/lif_adaptive_params.hpp"

#include <cmath>

#include "model/lif/propagators.hpp"

namespace spikeweave::model {

LifAdaptation lower_lif_adaptation(const LifAdaptiveParams& p, double dt_ms) {
  LifAdaptation a;
  a.theta_decay = std::exp(-dt_ms / p.tau_theta_ms);
  a.theta_plus_mv = p.theta_plus_mv;
  a.w_decay = std::exp(-dt_ms / p.tau_w_ms);
  a.b_pa = p.b_pa;
  a.v_from_w = propagator_v_from_exp_current(dt_ms, p.lif.tau_m_ms, p.tau_w_ms, p.lif.c_m_pf);
  return a;
}

}  // namespace spikeweave::model
