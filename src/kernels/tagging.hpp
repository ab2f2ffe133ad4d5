#pragma once
// Synaptic tagging and capture (see plasticity::TaggingParams), integrated every update interval
// U over all synapses of a projection. The weight w = baseline + early + late: the spike-timing
// rule writes w (early changes); here the early part decays, and where it exceeds the tag
// threshold the neuron's protein converts it into late (consolidated) weight.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Protein of each target neuron: rises towards 1 while triggered, else decays (exact over U).
struct ProteinUpdate {
  View<double*> protein;
  View<const double*> rate_hz;
  double rate_threshold_hz = 30.0;
  bool dopamine_trigger = false;  // the projection's dopamine exceeds its threshold now
  double keep = 1.0;              // exp(-U / tau_protein)
  static constexpr const char* kLabel = "spikeweave::tagging::protein";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const bool triggered = dopamine_trigger || rate_hz(i) > rate_threshold_hz;
    protein(i) = triggered ? 1.0 - (1.0 - protein(i)) * keep : protein(i) * keep;
  }
};

template <class Weight>
struct TaggingUpdate {
  View<Weight*> weight;
  View<Weight*> late;
  View<const Weight*> baseline;
  View<const std::uint32_t*> target;
  View<const double*> protein;
  double tag_threshold = 1.0;
  double consolidate = 0.0;  // 1 - exp(-U / tau_consolidation), per unit protein
  double early_keep = 1.0;   // exp(-U / tau_early)
  // Bounds of the rule's state (weight, or efficacy for the calcium rule): the late part and the
  // total stay inside them, also when the rule keeps pushing against the early decay.
  double state_min = -1e300;
  double state_max = 1e300;
  static constexpr const char* kLabel = "spikeweave::tagging::update";

  KOKKOS_INLINE_FUNCTION void operator()(const std::uint64_t k) const {
    double z = late(k);
    const double b = baseline(k);
    double early = static_cast<double>(weight(k)) - b - z;
    if (early > tag_threshold || early < -tag_threshold) {
      const double captured = protein(target(k)) * consolidate * early;
      z += captured;
      early -= captured;
    }
    early *= early_keep;
    z = z < state_min - b ? state_min - b : (z > state_max - b ? state_max - b : z);
    double total = b + early + z;
    total = total < state_min ? state_min : (total > state_max ? state_max : total);
    late(k) = static_cast<Weight>(z);
    weight(k) = static_cast<Weight>(total);
  }
};

}  // namespace spikeweave::kernels
