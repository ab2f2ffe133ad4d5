#pragma once
// Brute-force references for the STDP rules: one synapse, explicit pre and post spike trains,
// every trace written as an explicit sum over spikes (no recursion), processed exactly as NEST's
// synapse models define the rules: at each presynaptic spike, first the facilitation for each
// postsynaptic spike seen since the previous presynaptic spike (a post spike is seen by the
// synapse `delay` after it happened), then depression, then the spike is transmitted.
#include <cmath>
#include <string>
#include <vector>

namespace spikeweave::test {

struct StdpReferenceParams {
  std::string rule = "stdp_pair";      // stdp_pair | stdp_power_law | stdp_triplet
  std::string pairing = "all_to_all";  // all_to_all | nearest_symmetric | nearest_pre_centered
  double tau_plus_ms = 20, tau_minus_ms = 20, lambda = 0.01, alpha = 1.0;
  double mu_plus = 0, mu_minus = 0, mu = 0.4, w_max = 1.0;
  double tau_x_ms = 101, tau_y_ms = 125, a2_plus = 0, a3_plus = 0, a2_minus = 0, a3_minus = 0;
};

// Weight after the last presynaptic spike. Times in ms; spike times sorted.
// Spike times are multiples of the resolution; comparisons of times that should be equal use a
// tolerance far below the resolution (decimal times like 731.4 are not exact in binary).
inline constexpr double kTimeEps = 1e-6;

inline double reference_weight(const StdpReferenceParams& p, double w, double delay_ms,
                               const std::vector<double>& pre, const std::vector<double>& post) {
  auto sum_before = [](const std::vector<double>& spikes, double t, double tau, bool strict) {
    double sum = 0;
    for (double s : spikes) {
      if (strict ? s < t - kTimeEps : s <= t + kTimeEps) sum += std::exp(-(t - s) / tau);
    }
    return sum;
  };
  auto facilitate = [&](double weight, double kplus, double o2_before) {
    if (p.rule == "stdp_power_law") return weight + p.lambda * std::pow(weight, p.mu) * kplus;
    double norm;
    if (p.rule == "stdp_triplet") {
      norm = weight / p.w_max + kplus * (p.a2_plus + p.a3_plus * o2_before);
    } else {
      norm = weight / p.w_max + p.lambda * std::pow(1.0 - weight / p.w_max, p.mu_plus) * kplus;
    }
    return norm < 1.0 ? norm * p.w_max : p.w_max;
  };
  auto depress = [&](double weight, double kminus, double r2_before) {
    if (p.rule == "stdp_power_law") {
      const double next = weight - p.lambda * p.alpha * weight * kminus;
      return next > 0 ? next : 0.0;
    }
    double norm;
    if (p.rule == "stdp_triplet") {
      norm = weight / p.w_max - kminus * (p.a2_minus + p.a3_minus * r2_before);
    } else {
      norm =
          weight / p.w_max - p.alpha * p.lambda * std::pow(weight / p.w_max, p.mu_minus) * kminus;
    }
    return norm > 0 ? norm * p.w_max : 0.0;
  };
  for (std::size_t j = 0; j < pre.size(); ++j) {
    const double t = pre[j];
    if (j > 0) {
      const double t_last = pre[j - 1];
      for (std::size_t k = 0; k < post.size(); ++k) {
        const double seen = post[k] + delay_ms;  // when the synapse sees post spike k
        if (!(seen > t_last + kTimeEps && seen <= t + kTimeEps)) continue;
        // Presynaptic spikes before `seen` (the current one, at t >= seen, comes after).
        std::vector<double> earlier(pre.begin(), pre.begin() + static_cast<long>(j));
        double kplus;
        if (p.pairing == "nearest_symmetric") {
          kplus = std::exp(-(seen - t_last) / p.tau_plus_ms);
        } else if (p.pairing == "nearest_pre_centered") {
          // Pre spikes since the previous post spike (as seen by the synapse), that one included.
          const double previous_seen = k > 0 ? post[k - 1] + delay_ms : -1e300;
          kplus = 0;
          for (double s : earlier) {
            if (s >= previous_seen - kTimeEps && s < seen - kTimeEps)
              kplus += std::exp(-(seen - s) / p.tau_plus_ms);
          }
        } else {
          kplus = sum_before(earlier, seen, p.tau_plus_ms, true);
        }
        std::vector<double> earlier_post(post.begin(), post.begin() + static_cast<long>(k));
        const double o2_before = sum_before(earlier_post, post[k], p.tau_y_ms, true);
        w = facilitate(w, kplus, o2_before);
      }
    }
    const double post_time = t - delay_ms;
    double kminus;
    if (p.pairing == "all_to_all") {
      kminus = sum_before(post, post_time, p.tau_minus_ms, true);
    } else {
      kminus = 0;
      for (double s : post) {
        if (s < post_time - kTimeEps) kminus = std::exp(-(post_time - s) / p.tau_minus_ms);
      }
    }
    std::vector<double> earlier(pre.begin(), pre.begin() + static_cast<long>(j));
    const double r2_before = sum_before(earlier, t, p.tau_x_ms, true);
    w = depress(w, kminus, r2_before);
  }
  return w;
}

}  // namespace spikeweave::test
