#pragma once
// exp(-k dt / tau) for integer step counts k, from a table for the common short intervals.
// Table entries are computed with exactly the expression used past the table's end, so a
// lookup returns the same bits as computing the exponential directly.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

struct DecayTable {
  View<const double*> values;  // values(k) = exp(-k * steps_per_tau)
  double steps_per_tau = 0.0;  // dt / tau
  std::int64_t size = 0;

  KOKKOS_INLINE_FUNCTION static double compute(std::int64_t k, double steps_per_tau) {
    return ::exp(-static_cast<double>(k) * steps_per_tau);
  }
  KOKKOS_INLINE_FUNCTION double operator()(std::int64_t k) const {
    return k < size ? values(k) : compute(k, steps_per_tau);
  }

  // A table covering `steps` steps (tau and dt in the same unit).
  static DecayTable make(double steps_per_tau, std::int64_t steps = 8192) {
    DecayTable t;
    t.steps_per_tau = steps_per_tau;
    t.size = steps;
    View<double*> values("decay_table", steps);
    auto host = Kokkos::create_mirror_view(values);
    for (std::int64_t k = 0; k < steps; ++k) host(k) = compute(k, steps_per_tau);
    Kokkos::deep_copy(values, host);
    t.values = values;
    return t;
  }
};

}  // namespace spikeweave::kernels
