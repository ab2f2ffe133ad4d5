#include "rate/simulator.hpp"

#include <cstring>

#include "core/errors.hpp"
#include "rate/forward.hpp"

namespace spikeweave::rate {

template <class Real>
struct BatchSimulator<Real>::Host {
  typename DeviceView<Real*>::HostMirror w_t, input, h0;
  typename DeviceView<float*>::HostMirror activity, h_trace;
  typename DeviceView<std::uint32_t*>::HostMirror index;
  typename DeviceView<Coefficients*>::HostMirror coef;
};

template <class Real>
BatchSimulator<Real>::BatchSimulator(const Dynamics& dynamics, int capacity, bool record_h)
    : dynamics_(dynamics),
      capacity_(capacity),
      buf_(std::make_unique<ForwardBuffers<Real>>()),
      host_(std::make_unique<Host>()) {
  validate(dynamics, "rate");
  require_invariant(capacity >= 1, "BatchSimulator needs a capacity of at least one network");
  buf_->n = dynamics.neurons;
  buf_->npad = padded(dynamics.neurons);
  buf_->trials = dynamics.trials;
  buf_->steps = dynamics.steps;
  buf_->record_h = record_h;
  buf_->allocate(capacity);
  host_->w_t = Kokkos::create_mirror_view(buf_->w_t);
  host_->input = Kokkos::create_mirror_view(buf_->input);
  host_->h0 = Kokkos::create_mirror_view(buf_->h0);
  host_->activity = Kokkos::create_mirror_view(buf_->activity);
  if (record_h) host_->h_trace = Kokkos::create_mirror_view(buf_->h_trace);
  host_->index = Kokkos::create_mirror_view(buf_->index);
  host_->coef = Kokkos::create_mirror_view(buf_->coef);
}

template <class Real>
BatchSimulator<Real>::~BatchSimulator() = default;

template <class Real>
std::uint64_t BatchSimulator<Real>::bytes_per_network(const Dynamics& d, bool record_h) {
  const std::uint64_t npad = padded(d.neurons);
  const std::uint64_t reals = d.neurons * npad + npad + 5 * d.trials * npad;
  const std::uint64_t trace = static_cast<std::uint64_t>(d.trials) * d.steps * d.neurons;
  return reals * sizeof(Real) + d.trials * npad * sizeof(float) +
         trace * sizeof(float) * (record_h ? 2 : 1);
}

template <class Real>
void BatchSimulator<Real>::generate_and_run(std::uint64_t seed,
                                            const std::vector<std::uint64_t>& indices,
                                            const std::vector<NetworkParams>& params) {
  require_invariant(
      indices.size() == params.size() && indices.size() <= static_cast<std::size_t>(capacity_),
      "generate_and_run: indices and params must match and fit the capacity");
  count_ = static_cast<int>(indices.size());
  buf_->generate = true;
  buf_->seed = seed;
  for (int b = 0; b < count_; ++b) {
    host_->index(b) = static_cast<std::uint32_t>(indices[b]);
    host_->coef(b) = coefficients(params[b], dynamics_);
  }
  launch();
  fetch();
}

template <class Real>
void BatchSimulator<Real>::run(const std::vector<const Network<Real>*>& networks) {
  require_invariant(!networks.empty() && networks.size() <= static_cast<std::size_t>(capacity_),
                    "run: between 1 and capacity networks");
  count_ = static_cast<int>(networks.size());
  buf_->generate = false;
  const int n = dynamics_.neurons, npad = buf_->npad, K = dynamics_.trials;
  const long nn = static_cast<long>(n) * npad, kn = static_cast<long>(K) * npad;
  for (int b = 0; b < count_; ++b) {
    const Network<Real>& net = *networks[b];
    require_invariant(net.dynamics.neurons == n && net.dynamics.trials == K &&
                          net.dynamics.steps == dynamics_.steps &&
                          net.dynamics.phi == dynamics_.phi,
                      "run: network shape differs from the simulator's");
    require_invariant(b == 0 || net.seed == networks[0]->seed,
                      "run: networks of one call share a seed");
    buf_->seed = net.seed;
    host_->index(b) = net.index;
    Coefficients c;
    c.a = net.a;
    c.noise_scale = net.noise_scale;
    host_->coef(b) = c;
    for (long e = 0; e < nn; ++e) host_->w_t(b * nn + e) = Real(0);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j)
        host_->w_t(b * nn + static_cast<long>(j) * npad + i) = net.w[static_cast<long>(i) * n + j];
    }
    for (int i = 0; i < npad; ++i) host_->input(b * npad + i) = i < n ? net.input[i] : Real(0);
    for (int k = 0; k < K; ++k) {
      for (int i = 0; i < npad; ++i) {
        host_->h0(b * kn + static_cast<long>(k) * npad + i) =
            i < n ? net.h0[static_cast<long>(k) * n + i] : Real(0);
      }
    }
  }
  Kokkos::deep_copy(buf_->w_t, host_->w_t);
  Kokkos::deep_copy(buf_->input, host_->input);
  Kokkos::deep_copy(buf_->h0, host_->h0);
  launch();
  fetch();
}

template <class Real>
void BatchSimulator<Real>::launch() {
  Kokkos::deep_copy(buf_->index, host_->index);
  Kokkos::deep_copy(buf_->coef, host_->coef);
  const Kokkos::TeamPolicy<ExecSpace> policy(count_, Kokkos::AUTO);
  switch (dynamics_.phi) {
    case Nonlinearity::kRelu:
      Kokkos::parallel_for("spikeweave::rate::forward", policy,
                           ForwardKernel<Real, Nonlinearity::kRelu>{*buf_});
      break;
    case Nonlinearity::kSigmoid:
      Kokkos::parallel_for("spikeweave::rate::forward", policy,
                           ForwardKernel<Real, Nonlinearity::kSigmoid>{*buf_});
      break;
    default:
      Kokkos::parallel_for("spikeweave::rate::forward", policy,
                           ForwardKernel<Real, Nonlinearity::kTanh>{*buf_});
      break;
  }
  Kokkos::fence();
}

template <class Real>
void BatchSimulator<Real>::fetch() {
  Kokkos::deep_copy(host_->activity, buf_->activity);
  if (buf_->record_h) Kokkos::deep_copy(host_->h_trace, buf_->h_trace);
  if (buf_->generate) {
    Kokkos::deep_copy(host_->w_t, buf_->w_t);
    Kokkos::deep_copy(host_->input, buf_->input);
    Kokkos::deep_copy(host_->h0, buf_->h0);
  }
}

template <class Real>
const float* BatchSimulator<Real>::activity(int b) const {
  return host_->activity.data() +
         static_cast<long>(b) * dynamics_.trials * dynamics_.steps * dynamics_.neurons;
}

template <class Real>
const float* BatchSimulator<Real>::h_trace(int b) const {
  require_invariant(buf_->record_h, "h_trace: the simulator does not record h");
  return host_->h_trace.data() +
         static_cast<long>(b) * dynamics_.trials * dynamics_.steps * dynamics_.neurons;
}

template <class Real>
void BatchSimulator<Real>::copy_weights(int b, Real* out) const {
  const int n = dynamics_.neurons, npad = buf_->npad;
  const Real* w_t = host_->w_t.data() + static_cast<long>(b) * n * npad;
  // w_t[j][i] = W[i][j]: transpose in cache-sized blocks.
  constexpr int kBlock = 32;
  for (int j0 = 0; j0 < n; j0 += kBlock) {
    for (int i0 = 0; i0 < n; i0 += kBlock) {
      for (int j = j0; j < n && j < j0 + kBlock; ++j) {
        for (int i = i0; i < n && i < i0 + kBlock; ++i)
          out[static_cast<long>(i) * n + j] = w_t[static_cast<long>(j) * npad + i];
      }
    }
  }
}

template <class Real>
void BatchSimulator<Real>::copy_input(int b, Real* out) const {
  std::memcpy(out, host_->input.data() + static_cast<long>(b) * buf_->npad,
              sizeof(Real) * dynamics_.neurons);
}

template <class Real>
void BatchSimulator<Real>::copy_h0(int b, Real* out) const {
  const int n = dynamics_.neurons, npad = buf_->npad, K = dynamics_.trials;
  for (int k = 0; k < K; ++k) {
    std::memcpy(out + static_cast<long>(k) * n,
                host_->h0.data() + (static_cast<long>(b) * K + k) * npad, sizeof(Real) * n);
  }
}

template class BatchSimulator<float>;
template class BatchSimulator<double>;

}  // namespace spikeweave::rate
