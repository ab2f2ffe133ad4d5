#pragma once
// The dense products of the rate kernels, for one network: the step's W phi(h) for all trials at
// once, and the weight gradient's sum of outer products. Register-blocked tiles with compiler
// vector extensions on host backends, plain loops elsewhere (see simd.hpp). Each output element
// is a sum over the contracted index in increasing order on both paths.
#include <Kokkos_Core.hpp>

#include "rate/padding.hpp"
#include "rate/simd.hpp"

namespace spikeweave::rate {

// Rows of an output tile: two vector registers of Real (see padding.hpp for the arrays' padding).
template <class Real>
inline constexpr int kRowTile = 2 * simd::kVectorBytes / static_cast<int>(sizeof(Real));

// Largest number of trials (columns) computed together in one tile: 2 x KT accumulators, two
// loads and a broadcast must fit the register file (16 vector registers, 32 with AVX-512).
#if defined(SPIKEWEAVE_RATE_AVX512)
inline constexpr int kMaxTrialTile = 10;
#else
inline constexpr int kMaxTrialTile = 6;
#endif

namespace detail {

#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
template <class Real, int KT>
KOKKOS_FORCEINLINE_FUNCTION void matmul_tile(const Real* __restrict a, int lda, int n,
                                             const Real* __restrict x, int ldx, Real* __restrict u,
                                             int ldu) {
  // x[k][j] = x[k * ldx + j]: each j broadcasts one element of each of the KT rows.
  using V = typename simd::Vec<Real>::type;
  constexpr int W = simd::Vec<Real>::kWidth;
  V acc[KT][2];
  for (int k = 0; k < KT; ++k) acc[k][0] = acc[k][1] = V{};
  for (int j = 0; j < n; ++j) {
    const V a0 = simd::load<Real>(a + static_cast<long>(j) * lda);
    const V a1 = simd::load<Real>(a + static_cast<long>(j) * lda + W);
    for (int k = 0; k < KT; ++k) {
      const Real xv = x[static_cast<long>(k) * ldx + j];
      acc[k][0] += a0 * xv;
      acc[k][1] += a1 * xv;
    }
  }
  for (int k = 0; k < KT; ++k) {
    simd::store<Real>(u + static_cast<long>(k) * ldu, acc[k][0]);
    simd::store<Real>(u + static_cast<long>(k) * ldu + W, acc[k][1]);
  }
}

template <class Real, int RI>
KOKKOS_FORCEINLINE_FUNCTION void outer_tile(const Real* __restrict a, int lda,
                                            const Real* __restrict b, int ldb, int s_count,
                                            Real* __restrict c, int ldc) {
  using V = typename simd::Vec<Real>::type;
  constexpr int W = simd::Vec<Real>::kWidth;
  V acc[RI][2];
  for (int r = 0; r < RI; ++r) {
    acc[r][0] = simd::load<Real>(c + static_cast<long>(r) * ldc);
    acc[r][1] = simd::load<Real>(c + static_cast<long>(r) * ldc + W);
  }
  for (int s = 0; s < s_count; ++s) {
    const V b0 = simd::load<Real>(b + static_cast<long>(s) * ldb);
    const V b1 = simd::load<Real>(b + static_cast<long>(s) * ldb + W);
    const Real* as = a + static_cast<long>(s) * lda;
    for (int r = 0; r < RI; ++r) {
      const Real av = as[r];
      acc[r][0] += b0 * av;
      acc[r][1] += b1 * av;
    }
  }
  for (int r = 0; r < RI; ++r) {
    simd::store<Real>(c + static_cast<long>(r) * ldc, acc[r][0]);
    simd::store<Real>(c + static_cast<long>(r) * ldc + W, acc[r][1]);
  }
}
#else
template <class Real, int KT>
KOKKOS_FORCEINLINE_FUNCTION void matmul_tile(const Real* a, int lda, int n, const Real* x, int ldx,
                                             Real* u, int ldu) {
  for (int k = 0; k < KT; ++k) {
    for (int r = 0; r < kRowTile<Real>; ++r) {
      Real sum = 0;
      for (int j = 0; j < n; ++j)
        sum += a[static_cast<long>(j) * lda + r] * x[static_cast<long>(k) * ldx + j];
      u[static_cast<long>(k) * ldu + r] = sum;
    }
  }
}

template <class Real, int RI>
KOKKOS_FORCEINLINE_FUNCTION void outer_tile(const Real* a, int lda, const Real* b, int ldb,
                                            int s_count, Real* c, int ldc) {
  for (int r = 0; r < RI; ++r) {
    for (int col = 0; col < kRowTile<Real>; ++col) {
      Real sum = c[static_cast<long>(r) * ldc + col];
      for (int s = 0; s < s_count; ++s)
        sum += b[static_cast<long>(s) * ldb + col] * a[static_cast<long>(s) * lda + r];
      c[static_cast<long>(r) * ldc + col] = sum;
    }
  }
}
#endif

#if defined(SPIKEWEAVE_RATE_VECTOR_EXTENSIONS)
template <class Real, int V>
KOKKOS_FORCEINLINE_FUNCTION void matvec_tile(const Real* __restrict a, int lda, int n,
                                             const Real* __restrict x, Real* __restrict u) {
  using Vec = typename simd::Vec<Real>::type;
  constexpr int W = simd::Vec<Real>::kWidth;
  Vec acc[V];
  for (int v = 0; v < V; ++v) acc[v] = Vec{};
  for (int j = 0; j < n; ++j) {
    const Real xv = x[j];
    const Real* aj = a + static_cast<long>(j) * lda;
    for (int v = 0; v < V; ++v) acc[v] += simd::load<Real>(aj + v * W) * xv;
  }
  for (int v = 0; v < V; ++v) simd::store<Real>(u + v * W, acc[v]);
}
#else
template <class Real, int V>
KOKKOS_FORCEINLINE_FUNCTION void matvec_tile(const Real* a, int lda, int n, const Real* x,
                                             Real* u) {
  for (int r = 0; r < V * kRowTile<Real> / 2; ++r) {
    Real sum = 0;
    for (int j = 0; j < n; ++j) sum += a[static_cast<long>(j) * lda + r] * x[j];
    u[r] = sum;
  }
}
#endif

}  // namespace detail

// Rows [i0, i0 + G kRowTile) of u[i] = sum_{j < n} a[j][i] x[j] for a single trial: G tiles at
// once keep 2 G independent sums in flight (matmul_rows with one trial has two, and waits on
// their latency). Each output element is summed in the same order as by matmul_rows.
template <class Real, int G>
KOKKOS_INLINE_FUNCTION void matvec_rows(const Real* a, int lda, int n, const Real* x, Real* u,
                                        int i0) {
  detail::matvec_tile<Real, 2 * G>(a + i0, lda, n, x, u + i0);
}

// Rows [i0, i0 + kRowTile) of u[k][i] = sum_{j < n} a[j][i] x[k][j] for k < kcount, with
// a[j][i] = a[j * lda + i], x[k][j] = x[k * ldx + j], u[k][i] = u[k * ldu + i].
template <class Real>
KOKKOS_INLINE_FUNCTION void matmul_rows(const Real* a, int lda, int n, const Real* x, int ldx,
                                        int kcount, Real* u, int ldu, int i0) {
  // Split the trials into equal tiles of at most kMaxTrialTile (10 trials: 5 + 5).
  const int tiles = (kcount + kMaxTrialTile - 1) / kMaxTrialTile;
  int k0 = 0;
  for (int t = 0; t < tiles; ++t) {
    const int kt = (kcount - k0) / (tiles - t);
    const Real* at = a + i0;
    const Real* xt = x + static_cast<long>(k0) * ldx;
    Real* ut = u + static_cast<long>(k0) * ldu + i0;
    switch (kt) {
      case 1:
        detail::matmul_tile<Real, 1>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 2:
        detail::matmul_tile<Real, 2>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 3:
        detail::matmul_tile<Real, 3>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 4:
        detail::matmul_tile<Real, 4>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 5:
        detail::matmul_tile<Real, 5>(at, lda, n, xt, ldx, ut, ldu);
        break;
#if defined(SPIKEWEAVE_RATE_AVX512)
      case 6:
        detail::matmul_tile<Real, 6>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 7:
        detail::matmul_tile<Real, 7>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 8:
        detail::matmul_tile<Real, 8>(at, lda, n, xt, ldx, ut, ldu);
        break;
      case 9:
        detail::matmul_tile<Real, 9>(at, lda, n, xt, ldx, ut, ldu);
        break;
      default:
        detail::matmul_tile<Real, 10>(at, lda, n, xt, ldx, ut, ldu);
        break;
#else
      default:
        detail::matmul_tile<Real, 6>(at, lda, n, xt, ldx, ut, ldu);
        break;
#endif
    }
    k0 += kt;
  }
}

// Columns [j0, j0 + kRowTile) of c[i][j] += sum_{s < s_count} a[s][i] b[s][j] for rows i < rows,
// with a[s][i] = a[s * lda + i], b[s][j] = b[s * ldb + j], c[i][j] = c[i * ldc + j].
template <class Real>
KOKKOS_INLINE_FUNCTION void outer_columns(const Real* a, int lda, const Real* b, int ldb,
                                          int s_count, Real* c, int ldc, int rows, int j0) {
  constexpr int kRowsPerTile = 6;
  for (int i0 = 0; i0 < rows; i0 += kRowsPerTile) {
    const int ri = rows - i0 < kRowsPerTile ? rows - i0 : kRowsPerTile;
    const Real* at = a + i0;
    const Real* bt = b + j0;
    Real* ct = c + static_cast<long>(i0) * ldc + j0;
    switch (ri) {
      case 1:
        detail::outer_tile<Real, 1>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
      case 2:
        detail::outer_tile<Real, 2>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
      case 3:
        detail::outer_tile<Real, 3>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
      case 4:
        detail::outer_tile<Real, 4>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
      case 5:
        detail::outer_tile<Real, 5>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
      default:
        detail::outer_tile<Real, 6>(at, lda, bt, ldb, s_count, ct, ldc);
        break;
    }
  }
}

}  // namespace spikeweave::rate
