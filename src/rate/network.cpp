#include "rate/network.hpp"

#include "rate/matmul.hpp"

#include "rate/generate.hpp"
#include "rate/simulator.hpp"

namespace spikeweave::rate {

template <class Real>
Network<Real> make_network(std::uint64_t seed, std::uint64_t index, const Dynamics& dynamics,
                           const NetworkParams& params) {
  validate(dynamics, "rate");
  validate(params, dynamics, "network " + std::to_string(index));
  Network<Real> net;
  net.dynamics = dynamics;
  net.seed = seed;
  net.index = static_cast<std::uint32_t>(index);
  const Coefficients c = coefficients(params, dynamics);
  net.a = c.a;
  net.noise_scale = c.noise_scale;
  const int n = dynamics.neurons, npad = padded(n), K = dynamics.trials;
  std::vector<Real> w_t(static_cast<std::size_t>(n) * npad), w(static_cast<std::size_t>(n) * npad);
  for (int i = 0; i < n; ++i) generate_row(seed, net.index, n, i, c, w_t.data(), w.data(), npad);
  net.w.resize(static_cast<std::size_t>(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      net.w[static_cast<std::size_t>(i) * n + j] = w[static_cast<std::size_t>(i) * npad + j];
  }
  std::vector<Real> padded_vector(npad);
  generate_vector(seed, RateStream::kInput, net.index, 0, n, npad, c.input_mean, c.input_std,
                  padded_vector.data());
  net.input.assign(padded_vector.begin(), padded_vector.begin() + n);
  net.h0.resize(static_cast<std::size_t>(K) * n);
  for (int k = 0; k < K; ++k) {
    generate_vector(seed, RateStream::kInitial, net.index, static_cast<std::uint32_t>(k), n, npad,
                    0.0, c.h0_std, padded_vector.data());
    std::copy(padded_vector.begin(), padded_vector.begin() + n,
              net.h0.begin() + static_cast<long>(k) * n);
  }
  return net;
}

template <class Real>
Trace simulate(const Network<Real>& network, bool record_h) {
  BatchSimulator<Real> simulator(network.dynamics, 1, record_h);
  simulator.run({&network});
  const std::size_t size = static_cast<std::size_t>(network.dynamics.trials) *
                           network.dynamics.steps * network.dynamics.neurons;
  Trace trace;
  trace.x.assign(simulator.activity(0), simulator.activity(0) + size);
  if (record_h) trace.h.assign(simulator.h_trace(0), simulator.h_trace(0) + size);
  return trace;
}

template Network<float> make_network<float>(std::uint64_t, std::uint64_t, const Dynamics&,
                                            const NetworkParams&);
template Network<double> make_network<double>(std::uint64_t, std::uint64_t, const Dynamics&,
                                              const NetworkParams&);
template Trace simulate<float>(const Network<float>&, bool);
template Trace simulate<double>(const Network<double>&, bool);

}  // namespace spikeweave::rate
