#include "rate/gradient.hpp"

#include "core/errors.hpp"
#include "rate/forward.hpp"

namespace spikeweave::rate {

template <class Real>
struct GradientBuffers {
  int n = 0, npad = 0, trials = 0, steps = 0;
  bool backward = true;
  std::uint64_t seed = 0;
  std::uint32_t index = 0;
  Real a = 0, s = 0;
  DeviceView<Real*> w_t, w;  // [N][npad] both layouts
  DeviceView<Real*> input;   // [npad]
  DeviceView<Real*> h;       // [T + 1][K][npad]
  DeviceView<Real*> x;       // [T + 1][K][npad]
  DeviceView<Real*> target;  // [K][T][N]
  DeviceView<float*> noise;  // [K][T * N]
  DeviceView<Real*> lambda;  // [T][K][npad]: lambda[t + 1]
  DeviceView<Real*> v;       // [K][npad]
  DeviceView<Real*> dw;      // [N][npad]
  DeviceView<Real*> dinput;  // [npad]
  DeviceView<Real*> dh0;     // [K][npad]
  DeviceView<double*> loss;  // [1]
};

namespace {

// Steps of the trajectory whose outer products are summed together into dL/dW: the slices of
// lambda and phi(h) they touch stay in the L2 cache.
constexpr int kOuterChunkRows = 256;

template <class Real, Nonlinearity Phi>
struct GradientKernel {
  GradientBuffers<Real> buf;

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember& member) const {
    const int n = buf.n, npad = buf.npad, K = buf.trials, T = buf.steps;
    const long kn = static_cast<long>(K) * npad;
    const Real a = buf.a, s = buf.s;
    Real* h = buf.h.data();
    Real* x = buf.x.data();
    const Real* input = buf.input.data();
    const Real* target = buf.target.data();
    const bool noisy = s != Real(0);
    if (noisy) {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const StreamKey key{buf.seed, RateStream::kNoise, buf.index, static_cast<std::uint32_t>(k)};
        fill_normal_sequence(key, static_cast<long>(T) * n,
                             buf.noise.data() + static_cast<long>(k) * T * n);
      });
    }
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
      for (int i = 0; i < npad; ++i)
        x[static_cast<long>(k) * npad + i] =
            apply_phi<Real, Phi>(h[static_cast<long>(k) * npad + i]);
    });
    member.team_barrier();
    const int tiles = npad / kRowTile<Real>;
    // Forward, keeping every state.
    double loss = 0.0;
    for (int t = 0; t < T; ++t) {
      Real* u = h + (t + 1) * kn;  // the product goes straight into h[t + 1], then is updated
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
        matmul_rows(buf.w_t.data(), npad, n, x + t * kn, npad, K, u, npad, tile * kRowTile<Real>);
      });
      member.team_barrier();
      double step_loss = 0.0;
      Kokkos::parallel_reduce(
          Kokkos::TeamThreadRange(member, K),
          [&](int k, double& sum) {
            const long row = static_cast<long>(k) * npad;
            const Real* hk = h + t * kn + row;
            Real* hn = h + (t + 1) * kn + row;
            Real* xn = x + (t + 1) * kn + row;
            const float* xi = buf.noise.data() + (static_cast<long>(k) * T + t) * n;
            const Real* y = target + (static_cast<long>(k) * T + t) * n;
            for (int i = 0; i < npad; ++i) {
              Real hv = hk[i] + a * (hn[i] + input[i] - hk[i]);
              if (noisy && i < n) hv += s * static_cast<Real>(xi[i]);
              hn[i] = hv;
              xn[i] = apply_phi<Real, Phi>(hv);
            }
            for (int i = 0; i < n; ++i) {
              const double e = static_cast<double>(xn[i]) - static_cast<double>(y[i]);
              sum += e * e;
            }
          },
          step_loss);
      loss += step_loss;
      member.team_barrier();
    }
    const double norm = 1.0 / (static_cast<double>(K) * T * n);
    Kokkos::single(Kokkos::PerTeam(member), [&]() { buf.loss(0) = loss * norm; });
    if (!buf.backward) return;

    // Backward: lambda[t] from lambda[t + 1]; v = W^T lambda[t + 1].
    const Real g_scale = static_cast<Real>(2.0 * norm);
    Real* v = buf.v.data();
    Real* lambda = buf.lambda.data();
    for (int t = T; t >= 1; --t) {
      const Real* next = t < T ? lambda + t * kn : nullptr;  // lambda[t + 1] is stored at t
      if (next != nullptr) {
        Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
          matmul_rows(buf.w.data(), npad, n, next, npad, K, v, npad, tile * kRowTile<Real>);
        });
        member.team_barrier();
      }
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const long row = static_cast<long>(k) * npad;
        const Real* hk = h + t * kn + row;
        const Real* xk = x + t * kn + row;
        const Real* y = target + (static_cast<long>(k) * T + (t - 1)) * n;
        Real* out = lambda + (t - 1) * kn + row;
        for (int i = 0; i < npad; ++i) {
          const Real d = phi_prime<Real>(Phi, hk[i], xk[i]);
          const Real dx = i < n ? g_scale * (xk[i] - y[i]) : Real(0);
          const Real carried =
              next != nullptr ? (Real(1) - a) * next[row + i] + a * d * v[row + i] : Real(0);
          out[i] = d * dx + carried;
        }
      });
      member.team_barrier();
    }
    // dL/dh0 = (1 - a) lambda[1] + a phi'(h0) W^T lambda[1].
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
      matmul_rows(buf.w.data(), npad, n, lambda, npad, K, v, npad, tile * kRowTile<Real>);
    });
    member.team_barrier();
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
      const long row = static_cast<long>(k) * npad;
      for (int i = 0; i < npad; ++i) {
        const Real d = phi_prime<Real>(Phi, h[row + i], x[row + i]);
        buf.dh0(row + i) = (Real(1) - a) * lambda[row + i] + a * d * v[row + i];
      }
    });
    // dL/dI = a sum_{t,k} lambda[t + 1], row by row (contiguous), in tiles of neurons.
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
      const int i0 = tile * kRowTile<Real>;
      Real sum[kRowTile<Real>] = {};
      for (long r = 0; r < static_cast<long>(T) * K; ++r) {
        const Real* row = lambda + r * npad + i0;
        for (int i = 0; i < kRowTile<Real>; ++i) sum[i] += row[i];
      }
      for (int i = 0; i < kRowTile<Real>; ++i) buf.dinput(i0 + i) = a * sum[i];
    });
    // dL/dW = a sum over rows r = (t, k) of lambda[r][i] x[r][j], t < T, in chunks of rows.
    const long rows = static_cast<long>(T) * K;
    for (long r0 = 0; r0 < rows; r0 += kOuterChunkRows) {
      const int count = static_cast<int>(rows - r0 < kOuterChunkRows ? rows - r0 : kOuterChunkRows);
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
        outer_columns(lambda + r0 * npad, npad, x + r0 * npad, npad, count, buf.dw.data(), npad, n,
                      tile * kRowTile<Real>);
      });
      member.team_barrier();
    }
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n), [&](int i) {
      for (int j = 0; j < npad; ++j) buf.dw(static_cast<long>(i) * npad + j) *= a;
    });
  }
};

}  // namespace

template <class Real>
GradientWorkspace<Real>::GradientWorkspace(const Dynamics& d)
    : dynamics_(d), buf_(std::make_unique<GradientBuffers<Real>>()) {
  validate(d, "rate");
  GradientBuffers<Real>& b = *buf_;
  const int n = d.neurons, npad = padded(n), K = d.trials, T = d.steps;
  const long kn = static_cast<long>(K) * npad, trace = static_cast<long>(K) * T * n;
  b.n = n;
  b.npad = npad;
  b.trials = K;
  b.steps = T;
  auto uninitialised = [](const char* label) {
    return Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label));
  };
  // Zero-filled once: the padding of W stays zero (only the first N rows and columns are set).
  b.w_t = DeviceView<Real*>("spikeweave::rate::grad::w_t", static_cast<long>(n) * npad);
  b.w = DeviceView<Real*>("spikeweave::rate::grad::w", static_cast<long>(n) * npad);
  b.input = DeviceView<Real*>("spikeweave::rate::grad::input", npad);
  b.h = DeviceView<Real*>("spikeweave::rate::grad::h", (T + 1) * kn);  // h[0]'s padding stays zero
  b.x = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::x"), (T + 1) * kn);
  b.target = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::target"), trace);
  b.noise = DeviceView<float*>(uninitialised("spikeweave::rate::grad::noise"), trace);
  b.loss = DeviceView<double*>("spikeweave::rate::grad::loss", 1);
  b.lambda = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::lambda"), T * kn);
  b.v = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::v"), kn);
  b.dw = DeviceView<Real*>("spikeweave::rate::grad::dw", static_cast<long>(n) * npad);
  b.dinput = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::dinput"), npad);
  b.dh0 = DeviceView<Real*>(uninitialised("spikeweave::rate::grad::dh0"), kn);
}

template <class Real>
GradientWorkspace<Real>::~GradientWorkspace() = default;

template <class Real>
void GradientWorkspace<Real>::set_target(const std::vector<Real>& target) {
  const Dynamics& d = dynamics_;
  require_invariant(target.size() == static_cast<std::size_t>(d.trials) * d.steps * d.neurons,
                    "mse: target must be [K][T][N]");
  auto host = Kokkos::create_mirror_view(buf_->target);
  for (std::size_t e = 0; e < target.size(); ++e) host(e) = target[e];
  Kokkos::deep_copy(buf_->target, host);
}

template <class Real>
double GradientWorkspace<Real>::run(const Network<Real>& net, bool backward) {
  const Dynamics& d = net.dynamics;
  GradientBuffers<Real>& b = *buf_;
  require_invariant(d.neurons == dynamics_.neurons && d.trials == dynamics_.trials &&
                        d.steps == dynamics_.steps && d.phi == dynamics_.phi,
                    "gradient: the network's shape differs from the workspace's");
  const int n = b.n, npad = b.npad, K = b.trials;
  require_invariant(net.w.size() == static_cast<std::size_t>(n) * n, "mse: W must be [N][N]");
  const long kn = static_cast<long>(K) * npad;
  b.backward = backward;
  b.seed = net.seed;
  b.index = net.index;
  b.a = static_cast<Real>(net.a);
  b.s = static_cast<Real>(net.noise_scale);
  auto w_t = Kokkos::create_mirror_view(b.w_t);
  auto w = Kokkos::create_mirror_view(b.w);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const Real value = net.w[static_cast<std::size_t>(i) * n + j];
      w_t(static_cast<long>(j) * npad + i) = value;
      w(static_cast<long>(i) * npad + j) = value;
    }
  }
  auto input = Kokkos::create_mirror_view(b.input);
  for (int i = 0; i < n; ++i) input(i) = net.input[i];
  const auto first = std::make_pair(0L, kn);
  auto h0 = Kokkos::create_mirror_view(Kokkos::subview(b.h, first));
  for (int k = 0; k < K; ++k) {
    for (int i = 0; i < n; ++i)
      h0(static_cast<long>(k) * npad + i) = net.h0[static_cast<std::size_t>(k) * n + i];
  }
  Kokkos::deep_copy(b.w_t, w_t);
  Kokkos::deep_copy(b.w, w);
  Kokkos::deep_copy(b.input, input);
  Kokkos::deep_copy(Kokkos::subview(b.h, first), h0);
  if (backward) Kokkos::deep_copy(b.dw, Real(0));
  const Kokkos::TeamPolicy<ExecSpace> policy(1, Kokkos::AUTO);
  switch (d.phi) {
    case Nonlinearity::kRelu:
      Kokkos::parallel_for("spikeweave::rate::gradient", policy,
                           GradientKernel<Real, Nonlinearity::kRelu>{b});
      break;
    case Nonlinearity::kSigmoid:
      Kokkos::parallel_for("spikeweave::rate::gradient", policy,
                           GradientKernel<Real, Nonlinearity::kSigmoid>{b});
      break;
    default:
      Kokkos::parallel_for("spikeweave::rate::gradient", policy,
                           GradientKernel<Real, Nonlinearity::kTanh>{b});
      break;
  }
  Kokkos::fence();
  auto loss = Kokkos::create_mirror_view(b.loss);
  Kokkos::deep_copy(loss, b.loss);
  return loss(0);
}

template <class Real>
Gradient<Real> GradientWorkspace<Real>::gradient(const Network<Real>& net) {
  Gradient<Real> g;
  g.loss = run(net, true);
  const GradientBuffers<Real>& b = *buf_;
  const int n = b.n, npad = b.npad, K = b.trials;
  auto dw = Kokkos::create_mirror_view(b.dw);
  auto dinput = Kokkos::create_mirror_view(b.dinput);
  auto dh0 = Kokkos::create_mirror_view(b.dh0);
  Kokkos::deep_copy(dw, b.dw);
  Kokkos::deep_copy(dinput, b.dinput);
  Kokkos::deep_copy(dh0, b.dh0);
  g.w.resize(static_cast<std::size_t>(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j)
      g.w[static_cast<std::size_t>(i) * n + j] = dw(static_cast<long>(i) * npad + j);
  }
  g.input.assign(dinput.data(), dinput.data() + n);
  g.h0.resize(static_cast<std::size_t>(K) * n);
  for (int k = 0; k < K; ++k) {
    for (int i = 0; i < n; ++i)
      g.h0[static_cast<std::size_t>(k) * n + i] = dh0(static_cast<long>(k) * npad + i);
  }
  return g;
}

template <class Real>
double GradientWorkspace<Real>::loss(const Network<Real>& net) {
  return run(net, false);
}

template <class Real>
std::vector<Real> GradientWorkspace<Real>::last_trace() const {
  const GradientBuffers<Real>& b = *buf_;
  const int n = b.n, npad = b.npad, K = b.trials, T = b.steps;
  auto x = Kokkos::create_mirror_view(b.x);
  Kokkos::deep_copy(x, b.x);
  std::vector<Real> trace(static_cast<std::size_t>(K) * T * n);
  for (int k = 0; k < K; ++k) {
    for (int t = 0; t < T; ++t) {
      for (int i = 0; i < n; ++i) {
        trace[(static_cast<std::size_t>(k) * T + t) * n + i] =
            x((static_cast<long>(t + 1) * K + k) * npad + i);
      }
    }
  }
  return trace;
}

template <class Real>
Gradient<Real> mse_gradient(const Network<Real>& net, const std::vector<Real>& target) {
  GradientWorkspace<Real> workspace(net.dynamics);
  workspace.set_target(target);
  return workspace.gradient(net);
}

template <class Real>
double mse_loss(const Network<Real>& net, const std::vector<Real>& target) {
  GradientWorkspace<Real> workspace(net.dynamics);
  workspace.set_target(target);
  return workspace.loss(net);
}

template <class Real>
std::vector<Real> trace_in_precision(const Network<Real>& net) {
  const Dynamics& d = net.dynamics;
  GradientWorkspace<Real> workspace(d);
  workspace.set_target(
      std::vector<Real>(static_cast<std::size_t>(d.trials) * d.steps * d.neurons, Real(0)));
  workspace.loss(net);
  return workspace.last_trace();
}

template class GradientWorkspace<float>;
template class GradientWorkspace<double>;
template Gradient<float> mse_gradient<float>(const Network<float>&, const std::vector<float>&);
template Gradient<double> mse_gradient<double>(const Network<double>&, const std::vector<double>&);
template double mse_loss<float>(const Network<float>&, const std::vector<float>&);
template double mse_loss<double>(const Network<double>&, const std::vector<double>&);
template std::vector<float> trace_in_precision<float>(const Network<float>&);
template std::vector<double> trace_in_precision<double>(const Network<double>&);

}  // namespace spikeweave::rate
