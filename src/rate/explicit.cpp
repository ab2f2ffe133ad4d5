#include "rate/explicit.hpp"

#include <algorithm>
#include <string>

#include "core/errors.hpp"
#include "rate/forward.hpp"

namespace spikeweave::rate {

namespace {

// Rows (step, trial) of lambda and phi(h) whose outer products are summed together into dL/dW:
// the slices they touch stay in the L2 cache (as in gradient.cpp).
constexpr int kOuterChunkRows = 256;

constexpr bool kHostAccessible =
    Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemSpace>::accessible;

template <class T>
using HostUnmanaged = Kokkos::View<T*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

// A caller's host array seen by the kernels: the array itself where the execution space can read
// host memory (Serial, OpenMP), else a device copy.
template <class T>
struct Staged {
  DeviceView<T*> device;

  T* in(const T* host, long size, const char* label) {
    if (host == nullptr) return nullptr;
    if constexpr (kHostAccessible) {
      return const_cast<T*>(host);
    } else {
      allocate(size, label);
      Kokkos::deep_copy(device, HostUnmanaged<const T>(host, size));
      return device.data();
    }
  }
  T* out(T* host, long size, const char* label) {
    if constexpr (kHostAccessible) {
      return host;
    } else {
      allocate(size, label);
      return device.data();
    }
  }
  void copy_back(T* host, long size) const {
    if constexpr (!kHostAccessible) Kokkos::deep_copy(HostUnmanaged<T>(host, size), device);
  }

 private:
  void allocate(long size, const char* label) {
    if (static_cast<long>(device.extent(0)) != size)
      device =
          DeviceView<T*>(Kokkos::view_alloc(Kokkos::WithoutInitializing, std::string(label)), size);
  }
};

}  // namespace

// Device pointers and sizes: what the kernels see (copied by value into them).
template <class Real>
struct ExplicitArgs {
  int m = 1, k = 1, n = 0, npad = 0, steps = 0, chunk_steps = 2;
  Real a = 0, s = 0;
  std::uint64_t seed = 0;
  const Real* w = nullptr;      // [M][N][N]
  const Real* input = nullptr;  // [M][N]
  const Real* h0 = nullptr;     // [M][K][N]
  Real* x = nullptr;            // [M][K][T][N]
  Real* h = nullptr;            // [M][K][T][N]
  const Real* grad_x = nullptr;
  const Real* grad_h = nullptr;
  Real* grad_w = nullptr;      // [M][N][N]
  Real* grad_input = nullptr;  // [M][N]
  Real* grad_h0 = nullptr;     // [M][K][N]
  // Per slot (one network at a time per concurrently running team):
  Real* w_pad = nullptr;   // [S][N][npad]: W transposed (forward) or row-major (backward)
  Real* x0 = nullptr;      // [S][K][npad]: phi(h[0])
  Real* u = nullptr;       // [S][K][npad]: the step's product
  float* noise = nullptr;  // [S][K][T N]
  Real* lambda = nullptr;  // [S][chunk_steps K][npad]
  Real* x_rows = nullptr;  // [S][chunk_steps K][npad]: phi(h[t - 1]) beside lambda[t]
  Real* dw = nullptr;      // [S][N][npad]
  Real* dinput = nullptr;  // [S][npad]
};

template <class Real>
struct ExplicitBuffers {
  int slots = 1;
  DeviceView<Real*> w_pad, x0, u, lambda, x_rows, dw, dinput, zero_input;
  DeviceView<float*> noise;
  Staged<Real> w, input, h0, x, h, grad_x, grad_h, grad_w, grad_input, grad_h0;
};

namespace {

// u[k][i] = sum_{j < n} a[j][i] x[k][j] for all padded rows i, by the team. One trial (the
// common case of a batch of distinct networks) takes groups of kGroup tiles at once.
constexpr int kGroup = 4;

template <class Real>
KOKKOS_INLINE_FUNCTION void product(const TeamMember& member, const Real* a, int npad, int n,
                                    const Real* x, int ldx, int K, Real* u) {
  const int tiles = npad / kRowTile<Real>;
  if (K == 1) {
    const int groups = tiles / kGroup, rest = tiles % kGroup;
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, groups + rest), [&](int g) {
      if (g < groups) {
        matvec_rows<Real, kGroup>(a, npad, n, x, u, g * kGroup * kRowTile<Real>);
      } else {
        matvec_rows<Real, 1>(a, npad, n, x, u, (groups * kGroup + g - groups) * kRowTile<Real>);
      }
    });
  } else {
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
      matmul_rows(a, npad, n, x, ldx, K, u, npad, tile * kRowTile<Real>);
    });
  }
}

template <class Real, Nonlinearity Phi>
struct ExplicitForward {
  ExplicitArgs<Real> p;

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember& member) const {
    const int slot = member.league_rank();
    const int n = p.n, npad = p.npad, K = p.k, T = p.steps;
    const long tn = static_cast<long>(T) * n;
    Real* w_t = p.w_pad + static_cast<long>(slot) * n * npad;
    Real* x0 = p.x0 + static_cast<long>(slot) * K * npad;
    Real* u = p.u + static_cast<long>(slot) * K * npad;
    float* noise = p.noise != nullptr ? p.noise + static_cast<long>(slot) * K * tn : nullptr;
    for (int m = slot; m < p.m; m += member.league_size()) {
      const Real* w = p.w + static_cast<long>(m) * n * n;
      const Real* input = p.input + static_cast<long>(m) * n;
      const long first = static_cast<long>(m) * K;  // batch element of trial 0
      // w_t[j][i] = W[i][j]; rows i >= n of each column stay zero.
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n), [&](int j) {
        for (int i = 0; i < npad; ++i)
          w_t[static_cast<long>(j) * npad + i] = i < n ? w[static_cast<long>(i) * n + j] : Real(0);
      });
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const Real* h0 = p.h0 + (first + k) * n;
        for (int i = 0; i < npad; ++i)
          x0[static_cast<long>(k) * npad + i] = i < n ? apply_phi<Real, Phi>(h0[i]) : Real(0);
        if (noise != nullptr) {
          const StreamKey key{p.seed, RateStream::kNoise, 0, static_cast<std::uint32_t>(first + k)};
          fill_normal_sequence(key, tn, noise + static_cast<long>(k) * tn);
        }
      });
      member.team_barrier();
      const Real a = p.a, s = p.s;
      for (int t = 0; t < T; ++t) {
        // x[t] of trial k: x0 (padded rows) at t = 0, else the output row t - 1.
        const Real* x_prev = t == 0 ? x0 : p.x + first * tn + static_cast<long>(t - 1) * n;
        const int ldx = t == 0 ? npad : static_cast<int>(tn);
        product(member, w_t, npad, n, x_prev, ldx, K, u);
        member.team_barrier();
        Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
          const long row = (first + k) * tn + static_cast<long>(t) * n;
          const Real* hk = t == 0 ? p.h0 + (first + k) * n : p.h + row - n;
          const Real* uk = u + static_cast<long>(k) * npad;
          Real* hn = p.h + row;
          Real* xn = p.x + row;
          if (noise != nullptr) {
            const float* xi = noise + static_cast<long>(k) * tn + static_cast<long>(t) * n;
            for (int i = 0; i < n; ++i) {
              const Real hv = hk[i] + a * (uk[i] + input[i] - hk[i]) + s * static_cast<Real>(xi[i]);
              hn[i] = hv;
              xn[i] = apply_phi<Real, Phi>(hv);
            }
          } else {
            for (int i = 0; i < n; ++i) {
              const Real hv = hk[i] + a * (uk[i] + input[i] - hk[i]);
              hn[i] = hv;
              xn[i] = apply_phi<Real, Phi>(hv);
            }
          }
        });
        member.team_barrier();
      }
    }
  }
};

template <class Real, Nonlinearity Phi>
struct ExplicitBackward {
  ExplicitArgs<Real> p;

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember& member) const {
    const int slot = member.league_rank();
    const int n = p.n, npad = p.npad, K = p.k, T = p.steps, C = p.chunk_steps;
    const long tn = static_cast<long>(T) * n, kn = static_cast<long>(K) * npad;
    Real* w_r = p.w_pad + static_cast<long>(slot) * n * npad;
    Real* v = p.u + static_cast<long>(slot) * kn;
    Real* lambda = p.lambda + static_cast<long>(slot) * C * kn;
    Real* x_rows = p.x_rows + static_cast<long>(slot) * C * kn;
    Real* dw = p.dw + static_cast<long>(slot) * n * npad;
    Real* dinput = p.dinput + static_cast<long>(slot) * npad;
    const int tiles = npad / kRowTile<Real>;
    const Real a = p.a;
    for (int m = slot; m < p.m; m += member.league_size()) {
      const Real* w = p.w + static_cast<long>(m) * n * n;
      const long first = static_cast<long>(m) * K;
      // w_r[i][j] = W[i][j] (v = W^T lambda reads it as a[j][i]); columns j >= n stay zero.
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n), [&](int i) {
        for (int j = 0; j < npad; ++j) {
          w_r[static_cast<long>(i) * npad + j] = j < n ? w[static_cast<long>(i) * n + j] : Real(0);
          dw[static_cast<long>(i) * npad + j] = Real(0);
        }
      });
      Kokkos::single(Kokkos::PerTeam(member), [&]() {
        for (int i = 0; i < npad; ++i) dinput[i] = Real(0);
      });
      member.team_barrier();
      // Chunks of C steps counted from t = 1, so that only the first one processed (the one
      // holding t = T) can be short and a new chunk never overwrites the lambda[t + 1] it reads.
      const Real* next = nullptr;  // lambda[t + 1], [K][npad]
      for (int t_hi = T; t_hi >= 1;) {
        const int t_lo = (t_hi - 1) / C * C + 1;
        for (int t = t_hi; t >= t_lo; --t) {
          if (next != nullptr) {
            product(member, w_r, npad, n, next, npad, K, v);
            member.team_barrier();
          }
          Real* out = lambda + static_cast<long>(t - t_lo) * kn;
          Real* x_out = x_rows + static_cast<long>(t - t_lo) * kn;
          Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
            const long row = (first + k) * tn + static_cast<long>(t - 1) * n;  // state h[t]
            const Real* hk = p.h + row;
            const Real* xk = p.x + row;
            const Real* gx = p.grad_x != nullptr ? p.grad_x + row : nullptr;
            const Real* gh = p.grad_h != nullptr ? p.grad_h + row : nullptr;
            Real* lk = out + static_cast<long>(k) * npad;
            for (int i = 0; i < n; ++i) {
              const Real d = phi_prime<Real>(Phi, hk[i], xk[i]);
              Real value = gx != nullptr ? d * gx[i] : Real(0);
              if (next != nullptr)
                value += a * d * v[static_cast<long>(k) * npad + i] +
                         (Real(1) - a) * next[static_cast<long>(k) * npad + i];
              if (gh != nullptr) value += gh[i];
              lk[i] = value;
            }
            for (int i = n; i < npad; ++i) lk[i] = Real(0);
            // phi(h[t - 1]): the row its outer product with lambda[t] needs.
            const Real* xp = t == 1 ? nullptr : p.x + row - n;
            const Real* h0 = p.h0 + (first + k) * n;
            Real* xr = x_out + static_cast<long>(k) * npad;
            for (int i = 0; i < npad; ++i)
              xr[i] = i < n ? (xp != nullptr ? xp[i] : apply_phi<Real, Phi>(h0[i])) : Real(0);
          });
          member.team_barrier();
          next = out;
        }
        // dL/dW += sum over the chunk's rows of lambda[t] phi(h[t - 1])^T; dL/dI += lambda[t].
        const int rows = (t_hi - t_lo + 1) * K;
        Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
          const int i0 = tile * kRowTile<Real>;
          outer_columns(lambda, npad, x_rows, npad, rows, dw, npad, n, i0);
          for (int r = 0; r < rows; ++r) {
            const Real* lr = lambda + static_cast<long>(r) * npad + i0;
            for (int i = 0; i < kRowTile<Real>; ++i) dinput[i0 + i] += lr[i];
          }
        });
        member.team_barrier();
        t_hi = t_lo - 1;
      }
      // dL/dh[0] = (1 - a) lambda[1] + a phi'(h[0]) W^T lambda[1]; lambda[1] is `next`.
      product(member, w_r, npad, n, next, npad, K, v);
      member.team_barrier();
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const Real* h0 = p.h0 + (first + k) * n;
        Real* g = p.grad_h0 + (first + k) * n;
        for (int i = 0; i < n; ++i) {
          const Real x0 = apply_phi<Real, Phi>(h0[i]);
          const Real d = phi_prime<Real>(Phi, h0[i], x0);
          g[i] = (Real(1) - a) * next[static_cast<long>(k) * npad + i] +
                 a * d * v[static_cast<long>(k) * npad + i];
        }
      });
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n), [&](int i) {
        Real* g = p.grad_w + (static_cast<long>(m) * n + i) * n;
        for (int j = 0; j < n; ++j) g[j] = a * dw[static_cast<long>(i) * npad + j];
        p.grad_input[static_cast<long>(m) * n + i] = a * dinput[i];
      });
      member.team_barrier();
    }
  }
};

template <template <class, Nonlinearity> class Kernel, class Real>
void launch(const char* label, int slots, Nonlinearity phi, const ExplicitArgs<Real>& args) {
  const Kokkos::TeamPolicy<ExecSpace> policy(slots, Kokkos::AUTO);
  switch (phi) {
    case Nonlinearity::kRelu:
      Kokkos::parallel_for(label, policy, Kernel<Real, Nonlinearity::kRelu>{args});
      break;
    case Nonlinearity::kSigmoid:
      Kokkos::parallel_for(label, policy, Kernel<Real, Nonlinearity::kSigmoid>{args});
      break;
    default:
      Kokkos::parallel_for(label, policy, Kernel<Real, Nonlinearity::kTanh>{args});
      break;
  }
  Kokkos::fence();
}

}  // namespace

template <class Real>
ExplicitRate<Real>::ExplicitRate(const ExplicitShape& shape)
    : shape_(shape), buf_(std::make_unique<ExplicitBuffers<Real>>()) {
  require_invariant(
      shape.networks >= 1 && shape.trials >= 1 && shape.neurons >= 1 && shape.steps >= 1,
      "ExplicitRate: every size must be positive");
  // The products take a trial's stride, T N elements, as an int.
  require_invariant(static_cast<long>(shape.steps) * shape.neurons < (1L << 31),
                    "ExplicitRate: steps x neurons must be below 2^31");
  const int concurrency = std::max(1, static_cast<int>(ExecSpace().concurrency()));
  buf_->slots = std::min(shape.networks, concurrency);
}

template <class Real>
ExplicitRate<Real>::~ExplicitRate() = default;

namespace {

template <class Real>
void ensure(DeviceView<Real*>& view, long size, const char* label) {
  if (static_cast<long>(view.extent(0)) < size) view = DeviceView<Real*>(std::string(label), size);
}

}  // namespace

template <class Real>
void ExplicitRate<Real>::forward(const ExplicitInputs<Real>& in, Real* x, Real* h) {
  const ExplicitShape& d = shape_;
  ExplicitBuffers<Real>& b = *buf_;
  const int n = d.neurons, npad = padded(n), S = b.slots;
  const long mn = static_cast<long>(d.networks) * n, mkn = mn * d.trials;
  const long trace = mkn * d.steps;
  ensure(b.w_pad, static_cast<long>(S) * n * npad, "spikeweave::rate::explicit::w_pad");
  ensure(b.x0, static_cast<long>(S) * d.trials * npad, "spikeweave::rate::explicit::x0");
  ensure(b.u, static_cast<long>(S) * d.trials * npad, "spikeweave::rate::explicit::u");
  ExplicitArgs<Real> p;
  p.m = d.networks;
  p.k = d.trials;
  p.n = n;
  p.npad = npad;
  p.steps = d.steps;
  p.a = static_cast<Real>(in.a);
  p.s = static_cast<Real>(in.noise_scale);
  p.seed = in.seed;
  if (in.noise_scale != 0.0) {
    ensure(b.noise, static_cast<long>(S) * d.trials * d.steps * n,
           "spikeweave::rate::explicit::noise");
    p.noise = b.noise.data();
  }
  p.w = b.w.in(in.w, mn * n, "spikeweave::rate::explicit::w");
  if (in.input != nullptr) {
    p.input = b.input.in(in.input, mn, "spikeweave::rate::explicit::input");
  } else {
    ensure(b.zero_input, mn, "spikeweave::rate::explicit::zero_input");
    p.input = b.zero_input.data();
  }
  p.h0 = b.h0.in(in.h0, mkn, "spikeweave::rate::explicit::h0");
  p.x = b.x.out(x, trace, "spikeweave::rate::explicit::x");
  p.h = b.h.out(h, trace, "spikeweave::rate::explicit::h");
  p.w_pad = b.w_pad.data();
  p.x0 = b.x0.data();
  p.u = b.u.data();
  launch<ExplicitForward>("spikeweave::rate::explicit::forward", S, d.phi, p);
  b.x.copy_back(x, trace);
  b.h.copy_back(h, trace);
}

template <class Real>
void ExplicitRate<Real>::backward(const ExplicitInputs<Real>& in, const Real* x, const Real* h,
                                  const Real* grad_x, const Real* grad_h, Real* grad_w,
                                  Real* grad_input, Real* grad_h0) {
  const ExplicitShape& d = shape_;
  ExplicitBuffers<Real>& b = *buf_;
  const int n = d.neurons, npad = padded(n), S = b.slots, K = d.trials;
  const long mn = static_cast<long>(d.networks) * n, mkn = mn * K;
  const long trace = mkn * d.steps;
  ExplicitArgs<Real> p;
  p.m = d.networks;
  p.k = K;
  p.n = n;
  p.npad = npad;
  p.steps = d.steps;
  p.chunk_steps = std::max(2, kOuterChunkRows / K);
  p.a = static_cast<Real>(in.a);
  const long chunk = static_cast<long>(S) * p.chunk_steps * K * npad;
  ensure(b.w_pad, static_cast<long>(S) * n * npad, "spikeweave::rate::explicit::w_pad");
  ensure(b.u, static_cast<long>(S) * K * npad, "spikeweave::rate::explicit::u");
  ensure(b.lambda, chunk, "spikeweave::rate::explicit::lambda");
  ensure(b.x_rows, chunk, "spikeweave::rate::explicit::x_rows");
  ensure(b.dw, static_cast<long>(S) * n * npad, "spikeweave::rate::explicit::dw");
  ensure(b.dinput, static_cast<long>(S) * npad, "spikeweave::rate::explicit::dinput");
  p.w = b.w.in(in.w, mn * n, "spikeweave::rate::explicit::w");
  p.h0 = b.h0.in(in.h0, mkn, "spikeweave::rate::explicit::h0");
  p.x = b.x.in(x, trace, "spikeweave::rate::explicit::x");
  p.h = b.h.in(h, trace, "spikeweave::rate::explicit::h");
  p.grad_x = b.grad_x.in(grad_x, trace, "spikeweave::rate::explicit::grad_x");
  p.grad_h = b.grad_h.in(grad_h, trace, "spikeweave::rate::explicit::grad_h");
  p.grad_w = b.grad_w.out(grad_w, mn * n, "spikeweave::rate::explicit::grad_w");
  p.grad_input = b.grad_input.out(grad_input, mn, "spikeweave::rate::explicit::grad_input");
  p.grad_h0 = b.grad_h0.out(grad_h0, mkn, "spikeweave::rate::explicit::grad_h0");
  p.w_pad = b.w_pad.data();
  p.u = b.u.data();
  p.lambda = b.lambda.data();
  p.x_rows = b.x_rows.data();
  p.dw = b.dw.data();
  p.dinput = b.dinput.data();
  launch<ExplicitBackward>("spikeweave::rate::explicit::backward", S, d.phi, p);
  b.grad_w.copy_back(grad_w, mn * n);
  b.grad_input.copy_back(grad_input, mn);
  b.grad_h0.copy_back(grad_h0, mkn);
}

template class ExplicitRate<float>;
template class ExplicitRate<double>;

}  // namespace spikeweave::rate
