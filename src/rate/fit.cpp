#include "rate/fit.hpp"

#include <cmath>

#include "core/errors.hpp"

namespace spikeweave::rate {
namespace {

template <class Real>
class Adam {
 public:
  Adam(std::size_t size, const FitOptions& o) : m_(size, 0.0), v_(size, 0.0), o_(o) {}
  void step(std::vector<Real>& value, const std::vector<Real>& gradient, int t) {
    const double c1 = 1.0 - std::pow(o_.beta1, t), c2 = 1.0 - std::pow(o_.beta2, t);
    for (std::size_t e = 0; e < value.size(); ++e) {
      const double g = gradient[e];
      m_[e] = o_.beta1 * m_[e] + (1.0 - o_.beta1) * g;
      v_[e] = o_.beta2 * v_[e] + (1.0 - o_.beta2) * g * g;
      value[e] = static_cast<Real>(value[e] - o_.learning_rate * (m_[e] / c1) /
                                                  (std::sqrt(v_[e] / c2) + o_.epsilon));
    }
  }

 private:
  std::vector<double> m_, v_;
  const FitOptions& o_;
};

}  // namespace

template <class Real>
FitResult<Real> fit(const Network<Real>& initial, const std::vector<Real>& target,
                    const FitOptions& options) {
  require_invariant(options.iterations >= 0, "fit: iterations must be >= 0");
  FitResult<Real> result;
  result.network = initial;
  Network<Real>& net = result.network;
  Adam<Real> adam_w(net.w.size(), options), adam_input(net.input.size(), options),
      adam_h0(net.h0.size(), options);
  GradientWorkspace<Real> workspace(net.dynamics);
  workspace.set_target(target);
  for (int it = 1; it <= options.iterations; ++it) {
    const Gradient<Real> g = workspace.gradient(net);
    result.loss.push_back(g.loss);
    if (!std::isfinite(g.loss)) break;
    if (options.progress && !options.progress(it - 1, g.loss)) break;
    if (g.loss < options.stop_loss) break;
    adam_w.step(net.w, g.w, it);
    if (options.fit_input) adam_input.step(net.input, g.input, it);
    if (options.fit_h0) adam_h0.step(net.h0, g.h0, it);
  }
  result.final_loss = workspace.loss(net);
  return result;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  require_invariant(a.size() == b.size() && !a.empty(), "correlation: equal, non-empty sizes");
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t e = 0; e < a.size(); ++e) {
    ma += a[e];
    mb += b[e];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t e = 0; e < a.size(); ++e) {
    sab += (a[e] - ma) * (b[e] - mb);
    saa += (a[e] - ma) * (a[e] - ma);
    sbb += (b[e] - mb) * (b[e] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

template FitResult<float> fit<float>(const Network<float>&, const std::vector<float>&,
                                     const FitOptions&);
template FitResult<double> fit<double>(const Network<double>&, const std::vector<double>&,
                                       const FitOptions&);

}  // namespace spikeweave::rate
