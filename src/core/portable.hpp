#pragma once
// SPIKEWEAVE_INLINE_FUNCTION marks a function callable on the host and on a GPU without
// including Kokkos, so that host-only translation units (the TOML parsers, compiled by the host
// compiler in CUDA builds, see docs/gpu.md) can use it too. It is what KOKKOS_INLINE_FUNCTION
// expands to on each backend.
#if defined(__CUDACC__) || defined(__HIPCC__)
#define SPIKEWEAVE_INLINE_FUNCTION __host__ __device__ inline
#else
#define SPIKEWEAVE_INLINE_FUNCTION inline
#endif
