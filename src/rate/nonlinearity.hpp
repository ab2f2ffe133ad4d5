#pragma once
// The transfer functions phi of the rate model and their derivatives.
#include <Kokkos_Core.hpp>
#include <string>

#include "rate/fast_math.hpp"
#include "rate/nonlinearity_kind.hpp"

namespace spikeweave::rate {

template <class Real>
KOKKOS_FORCEINLINE_FUNCTION Real phi(Nonlinearity kind, Real h) {
  switch (kind) {
    case Nonlinearity::kRelu:
      return h > Real(0) ? h : Real(0);
    case Nonlinearity::kSigmoid:
      return Real(0.5) + Real(0.5) * tanh_of(Real(0.5) * h);
    default:
      return tanh_of(h);
  }
}

// phi'(h), given h and x = phi(h).
template <class Real>
KOKKOS_FORCEINLINE_FUNCTION Real phi_prime(Nonlinearity kind, Real h, Real x) {
  switch (kind) {
    case Nonlinearity::kRelu:
      return h > Real(0) ? Real(1) : Real(0);
    case Nonlinearity::kSigmoid:
      return x * (Real(1) - x);
    default:
      return Real(1) - x * x;
  }
}

}  // namespace spikeweave::rate
