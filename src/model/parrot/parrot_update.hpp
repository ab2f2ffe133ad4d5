#pragma once
// Update kernel of the parrot model.
#include "kernels/neuron_update.hpp"
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// parrot: fires in the step whose ring slot holds positive excitatory input; clears the slot.
struct ParrotUpdate {
  FiredFlags fired;
  InputRing ring;
  int slot = 0;
  int lag = 0;
  static constexpr const char* kLabel = "spikeweave::parrot::update";

  KOKKOS_INLINE_FUNCTION void operator()(const int i) const {
    const std::int64_t excitatory = ring(kPortExcitatory, slot, i);
    ring(kPortExcitatory, slot, i) = 0;
    ring(kPortInhibitory, slot, i) = 0;
    ring(kPortCurrent, slot, i) = 0;
    fired(lag, i) = excitatory > 0 ? 1 : 0;
  }
};

}  // namespace spikeweave::kernels
