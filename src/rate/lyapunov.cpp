#include "rate/lyapunov.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "rate/forward.hpp"

namespace spikeweave::rate {
namespace {

// Steps of noise drawn at a time.
constexpr int kNoiseChunk = 256;

template <class Real>
struct LyapunovBuffers {
  int n = 0, npad = 0, transient = 0, steps = 0;
  std::uint64_t seed = 0;
  std::uint32_t index = 0;
  Real a = 0, s = 0;
  DeviceView<Real*> w_t;     // [N][npad]
  DeviceView<Real*> input;   // [npad]
  DeviceView<Real*> h;       // [npad]
  DeviceView<Real*> delta;   // [npad]
  DeviceView<Real*> x;       // [2][npad]: phi(h), phi'(h) delta
  DeviceView<Real*> u;       // [2][npad]
  DeviceView<float*> noise;  // [kNoiseChunk][N]
  DeviceView<double*> result;
};

template <class Real, Nonlinearity Phi>
struct LyapunovKernel {
  LyapunovBuffers<Real> buf;

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember& member) const {
    const int n = buf.n, npad = buf.npad;
    const Real a = buf.a, s = buf.s;
    Real* h = buf.h.data();
    Real* delta = buf.delta.data();
    Real* x = buf.x.data();
    Real* u = buf.u.data();
    const Real* input = buf.input.data();
    const StreamKey noise_key{buf.seed, RateStream::kNoise, buf.index, 0};
    const bool noisy = s != Real(0);
    const int tiles = npad / kRowTile<Real>;
    const int total = buf.transient + buf.steps;
    double log_growth = 0.0;
    auto set_inputs = [&]() {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, npad), [&](int i) {
        const Real xv = apply_phi<Real, Phi>(h[i]);
        x[i] = xv;
        x[npad + i] = i < n ? phi_prime<Real>(Phi, h[i], xv) * delta[i] : Real(0);
      });
      member.team_barrier();
    };
    set_inputs();
    for (int t = 0; t < total; ++t) {
      if (noisy && t % kNoiseChunk == 0) {
        Kokkos::single(Kokkos::PerTeam(member), [&]() {
          const int chunk = total - t < kNoiseChunk ? total - t : kNoiseChunk;
          fill_normal_range(noise_key, static_cast<long>(t) * n, static_cast<long>(chunk) * n,
                            buf.noise.data());
        });
        member.team_barrier();
      }
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
        matmul_rows(buf.w_t.data(), npad, n, x, npad, 2, u, npad, tile * kRowTile<Real>);
      });
      member.team_barrier();
      const float* xi = buf.noise.data() + static_cast<long>(t % kNoiseChunk) * n;
      double norm2 = 0.0;
      Kokkos::parallel_reduce(
          Kokkos::TeamThreadRange(member, n),
          [&](int i, double& sum) {
            Real hv = h[i] + a * (u[i] + input[i] - h[i]);
            if (noisy) hv += s * static_cast<Real>(xi[i]);
            h[i] = hv;
            const Real d = (Real(1) - a) * delta[i] + a * u[npad + i];
            delta[i] = d;
            sum += static_cast<double>(d) * static_cast<double>(d);
          },
          norm2);
      member.team_barrier();
      const double norm = ::sqrt(norm2);
      if (t >= buf.transient) log_growth += ::log(norm);
      const Real inv = norm > 0.0 ? static_cast<Real>(1.0 / norm) : Real(0);
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n), [&](int i) { delta[i] *= inv; });
      member.team_barrier();
      set_inputs();
    }
    Kokkos::single(Kokkos::PerTeam(member), [&]() { buf.result(0) = log_growth; });
  }
};

}  // namespace

template <class Real>
double largest_lyapunov_exponent(const Network<Real>& net, const LyapunovOptions& options) {
  require_invariant(options.steps > 0 && options.transient_steps >= 0,
                    "lyapunov: steps must be positive");
  const int n = net.n(), npad = padded(n);
  LyapunovBuffers<Real> b;
  b.n = n;
  b.npad = npad;
  b.transient = options.transient_steps;
  b.steps = options.steps;
  b.seed = net.seed;
  b.index = net.index;
  b.a = static_cast<Real>(net.a);
  b.s = static_cast<Real>(net.noise_scale);
  b.w_t = DeviceView<Real*>("spikeweave::rate::lyapunov::w_t", static_cast<long>(n) * npad);
  b.input = DeviceView<Real*>("spikeweave::rate::lyapunov::input", npad);
  b.h = DeviceView<Real*>("spikeweave::rate::lyapunov::h", npad);
  b.delta = DeviceView<Real*>("spikeweave::rate::lyapunov::delta", npad);
  b.x = DeviceView<Real*>("spikeweave::rate::lyapunov::x", 2 * npad);
  b.u = DeviceView<Real*>("spikeweave::rate::lyapunov::u", 2 * npad);
  b.noise =
      DeviceView<float*>("spikeweave::rate::lyapunov::noise", static_cast<long>(kNoiseChunk) * n);
  b.result = DeviceView<double*>("spikeweave::rate::lyapunov::result", 1);
  auto w_t = Kokkos::create_mirror_view(b.w_t);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      w_t(static_cast<long>(j) * npad + i) = net.w[static_cast<std::size_t>(i) * n + j];
  }
  auto input = Kokkos::create_mirror_view(b.input);
  auto h = Kokkos::create_mirror_view(b.h);
  auto delta = Kokkos::create_mirror_view(b.delta);
  std::vector<Real> start(npad);
  generate_vector(net.seed, RateStream::kTangent, net.index, 0, n, npad, 0.0, 1.0, start.data());
  double norm2 = 0.0;
  for (int i = 0; i < n; ++i) norm2 += static_cast<double>(start[i]) * start[i];
  for (int i = 0; i < n; ++i) {
    input(i) = net.input[i];
    h(i) = net.h0[i];
    delta(i) = static_cast<Real>(start[i] / std::sqrt(norm2));
  }
  Kokkos::deep_copy(b.w_t, w_t);
  Kokkos::deep_copy(b.input, input);
  Kokkos::deep_copy(b.h, h);
  Kokkos::deep_copy(b.delta, delta);
  const Kokkos::TeamPolicy<ExecSpace> policy(1, Kokkos::AUTO);
  switch (net.dynamics.phi) {
    case Nonlinearity::kRelu:
      Kokkos::parallel_for("spikeweave::rate::lyapunov", policy,
                           LyapunovKernel<Real, Nonlinearity::kRelu>{b});
      break;
    case Nonlinearity::kSigmoid:
      Kokkos::parallel_for("spikeweave::rate::lyapunov", policy,
                           LyapunovKernel<Real, Nonlinearity::kSigmoid>{b});
      break;
    default:
      Kokkos::parallel_for("spikeweave::rate::lyapunov", policy,
                           LyapunovKernel<Real, Nonlinearity::kTanh>{b});
      break;
  }
  Kokkos::fence();
  auto result = Kokkos::create_mirror_view(b.result);
  Kokkos::deep_copy(result, b.result);
  return result(0) / (static_cast<double>(options.steps) * net.dynamics.dt_ms);
}

template double largest_lyapunov_exponent<float>(const Network<float>&, const LyapunovOptions&);
template double largest_lyapunov_exponent<double>(const Network<double>&, const LyapunovOptions&);

}  // namespace spikeweave::rate
