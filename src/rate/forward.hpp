#pragma once
// The forward kernel: one team per network, all trials of a network together.
//
// First the noise of all steps: xi[k][t][i] is element t N + i of the normal sequence of stream
// (seed, kNoise, network, k), written into the activity array that x[t] later overwrites (no
// extra memory, and one long vectorised loop instead of one per step). Then per step t (trials
// k, neurons i; every phase is a TeamThreadRange, phases separated by team barriers):
//   product u[k][i]  = sum_j W[i][j] x[k][j]
//   update  h[k][i] += a (-h + u + I) + s xi[k][t][i];  x = phi(h); record x (and h)
// Arrays are padded to npad = padded(N) neurons; padding rows carry zeros in W and I and never
// feed back, because the product sums over j < N only.
#include <Kokkos_Core.hpp>

#include "rate/generate.hpp"
#include "rate/matmul.hpp"
#include "rate/nonlinearity.hpp"

namespace spikeweave::rate {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;
template <class T>
using DeviceView = Kokkos::View<T, Kokkos::LayoutRight, MemSpace>;
using TeamMember = Kokkos::TeamPolicy<ExecSpace>::member_type;

template <class Real, Nonlinearity Phi>
KOKKOS_FORCEINLINE_FUNCTION Real apply_phi(Real h) {
  if constexpr (Phi == Nonlinearity::kRelu) {
    return h > Real(0) ? h : Real(0);
  } else if constexpr (Phi == Nonlinearity::kSigmoid) {
    return Real(0.5) + Real(0.5) * tanh_of(Real(0.5) * h);
  } else {
    return tanh_of(h);
  }
}

// Buffers of a batch of networks, flat, network-major.
template <class Real>
struct ForwardBuffers {
  int n = 0, npad = 0, trials = 0, steps = 0;
  bool generate = true;  // draw W, I, h0 in the kernel (else they are loaded)
  bool record_h = false;
  bool keep_row_major = false;  // also fill w (row-major) when generating
  std::uint64_t seed = 0;
  DeviceView<std::uint32_t*> index;  // [B]
  DeviceView<Coefficients*> coef;    // [B]
  DeviceView<Real*> w_t;             // [B][N][npad]: w_t[j][i] = W[i][j]
  DeviceView<Real*> w;               // [B][N][npad] row-major (optional)
  DeviceView<Real*> input;           // [B][npad]
  DeviceView<Real*> h0;              // [B][K][npad]
  DeviceView<Real*> h;               // [B][K][npad]
  DeviceView<Real*> x;               // [B][K][npad]
  DeviceView<Real*> u;               // [B][K][npad]
  DeviceView<float*> activity;       // [B][K][T][N]
  DeviceView<float*> h_trace;        // [B][K][T][N] (record_h)

  void allocate(int capacity);
};

template <class Real, Nonlinearity Phi>
struct ForwardKernel {
  ForwardBuffers<Real> buf;

  KOKKOS_INLINE_FUNCTION void operator()(const TeamMember& member) const {
    const int b = member.league_rank();
    const int n = buf.n, npad = buf.npad, K = buf.trials, T = buf.steps;
    const Coefficients c = buf.coef(b);
    const std::uint32_t index = buf.index(b);
    const long nn = static_cast<long>(n) * npad;
    const long kn = static_cast<long>(K) * npad;
    Real* w_t = buf.w_t.data() + b * nn;
    Real* input = buf.input.data() + b * static_cast<long>(npad);
    Real* h0 = buf.h0.data() + b * kn;
    Real* h = buf.h.data() + b * kn;
    Real* x = buf.x.data() + b * kn;
    Real* u = buf.u.data() + b * kn;
    float* activity = buf.activity.data() + b * static_cast<long>(K) * T * n;
    float* h_trace = buf.record_h ? buf.h_trace.data() + b * static_cast<long>(K) * T * n : nullptr;

    if (buf.generate) {
      Real* w = buf.keep_row_major ? buf.w.data() + b * nn : nullptr;
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, n),
                           [&](int i) { generate_row(buf.seed, index, n, i, c, w_t, w, npad); });
      Kokkos::single(Kokkos::PerTeam(member), [&]() {
        generate_vector(buf.seed, RateStream::kInput, index, 0, n, npad, c.input_mean, c.input_std,
                        input);
      });
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        generate_vector(buf.seed, RateStream::kInitial, index, static_cast<std::uint32_t>(k), n,
                        npad, 0.0, c.h0_std, h0 + static_cast<long>(k) * npad);
      });
      member.team_barrier();
    }
    Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
      const long row = static_cast<long>(k) * npad;
      Kokkos::parallel_for(Kokkos::ThreadVectorRange(member, npad), [&](int i) {
        const Real hv = h0[row + i];
        h[row + i] = hv;
        x[row + i] = apply_phi<Real, Phi>(hv);
      });
    });
    member.team_barrier();

    const Real a = static_cast<Real>(c.a);
    const Real s = static_cast<Real>(c.noise_scale);
    const bool noisy = c.noise_scale != 0.0;
    if (noisy) {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const StreamKey key{buf.seed, RateStream::kNoise, index, static_cast<std::uint32_t>(k)};
        fill_normal_sequence(key, static_cast<long>(T) * n,
                             activity + static_cast<long>(k) * T * n);
      });
      member.team_barrier();
    }
    const int tiles = npad / kRowTile<Real>;
    for (int t = 0; t < T; ++t) {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, tiles), [&](int tile) {
        matmul_rows(w_t, npad, n, x, npad, K, u, npad, tile * kRowTile<Real>);
      });
      member.team_barrier();
      Kokkos::parallel_for(Kokkos::TeamThreadRange(member, K), [&](int k) {
        const long row = static_cast<long>(k) * npad;
        Real* hk = h + row;
        Real* xk = x + row;
        const Real* uk = u + row;
        float* out = activity + (static_cast<long>(k) * T + t) * n;  // holds xi[k][t] until written
        if (noisy) {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(member, n), [&](int i) {
            const Real hv = hk[i] + a * (uk[i] + input[i] - hk[i]) + s * static_cast<Real>(out[i]);
            hk[i] = hv;
            xk[i] = apply_phi<Real, Phi>(hv);
            out[i] = static_cast<float>(xk[i]);
          });
        } else {
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(member, n), [&](int i) {
            const Real hv = hk[i] + a * (uk[i] + input[i] - hk[i]);
            hk[i] = hv;
            xk[i] = apply_phi<Real, Phi>(hv);
            out[i] = static_cast<float>(xk[i]);
          });
        }
        if (h_trace != nullptr) {
          float* out_h = h_trace + (static_cast<long>(k) * T + t) * n;
          Kokkos::parallel_for(Kokkos::ThreadVectorRange(member, n),
                               [&](int i) { out_h[i] = static_cast<float>(hk[i]); });
        }
      });
      member.team_barrier();
    }
  }
};

template <class Real>
void ForwardBuffers<Real>::allocate(int capacity) {
  const long nn = static_cast<long>(n) * npad, kn = static_cast<long>(trials) * npad;
  const long trace = static_cast<long>(trials) * steps * n;
  index = DeviceView<std::uint32_t*>("spikeweave::rate::index", capacity);
  coef = DeviceView<Coefficients*>("spikeweave::rate::coefficients", capacity);
  w_t = DeviceView<Real*>("spikeweave::rate::w_t", capacity * nn);
  if (keep_row_major) w = DeviceView<Real*>("spikeweave::rate::w", capacity * nn);
  input = DeviceView<Real*>("spikeweave::rate::input", capacity * static_cast<long>(npad));
  h0 = DeviceView<Real*>("spikeweave::rate::h0", capacity * kn);
  h = DeviceView<Real*>("spikeweave::rate::h", capacity * kn);
  x = DeviceView<Real*>("spikeweave::rate::x", capacity * kn);
  u = DeviceView<Real*>("spikeweave::rate::u", capacity * kn);
  activity = DeviceView<float*>("spikeweave::rate::activity", capacity * trace);
  if (record_h) h_trace = DeviceView<float*>("spikeweave::rate::h_trace", capacity * trace);
}

}  // namespace spikeweave::rate
