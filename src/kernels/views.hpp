#pragma once
// View aliases and the fixed-point input format shared by every kernel.
//
// Synaptic input is accumulated in int64 fixed point (2^-32 units of mV or pA): integer
// addition is associative, so the sum a neuron receives in a step does not depend on the order
// in which spikes are delivered, on atomics racing under threads, or on the number of ranks.
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <type_traits>

namespace spikeweave::kernels {

using ExecSpace = Kokkos::DefaultExecutionSpace;
using MemSpace = ExecSpace::memory_space;
template <class T>
using View = Kokkos::View<T, MemSpace>;
template <class T>
using HostMirror = typename View<T>::HostMirror;

// Input ring buffer of one population: (port, slot, neuron), slot = arrival step mod slots.
// LayoutRight on every backend: a slot's neurons are contiguous (delivery indexes from its base).
using InputRing = Kokkos::View<std::int64_t***, Kokkos::LayoutRight, MemSpace>;
// Fired flags of one population for the steps of one interval: (lag, neuron).
using FiredFlags = Kokkos::View<std::uint8_t**, Kokkos::LayoutRight, MemSpace>;
enum Port : int { kPortExcitatory = 0, kPortInhibitory = 1, kPortCurrent = 2, kPortCount = 3 };

inline constexpr double kFixedPointScale = 4294967296.0;  // 2^32 units per mV or pA
KOKKOS_INLINE_FUNCTION std::int64_t to_fixed(double value) {
  return static_cast<std::int64_t>(value * kFixedPointScale);
}
KOKKOS_INLINE_FUNCTION double from_fixed(std::int64_t value) {
  return static_cast<double>(value) * (1.0 / kFixedPointScale);
}

// One neuron's input for one step, per port [mV, pA or nS as the model reads it], taken out of
// ring slot `slot`: the entries are cleared for the slot's next use (arrival step + slots).
struct StepInput {
  double ex, in, current;
};
KOKKOS_INLINE_FUNCTION StepInput take_step_input(const InputRing& ring, int slot, int i) {
  const StepInput input{from_fixed(ring(kPortExcitatory, slot, i)),
                        from_fixed(ring(kPortInhibitory, slot, i)),
                        from_fixed(ring(kPortCurrent, slot, i))};
  ring(kPortExcitatory, slot, i) = 0;
  ring(kPortInhibitory, slot, i) = 0;
  ring(kPortCurrent, slot, i) = 0;
  return input;
}

// Adds to a ring entry: atomically where threads may race on it, else a plain add. The atomic is
// not free: every threaded Kokkos build and every Kokkos 4.x build (Serial included) performs a
// real read-modify-write, about 8x the cost of the plain add per synaptic event on this CPU, so
// kernels take the plain path whenever one thread owns the entries it adds to.
KOKKOS_INLINE_FUNCTION void add_input(std::int64_t* entry, std::int64_t value, bool atomic) {
  if (atomic) {
    Kokkos::atomic_add(entry, value);
  } else {
    *entry += value;
  }
}

// The calling thread's index among a host execution space's threads (0 .. concurrency - 1), or 0
// for spaces without one (GPUs, which never ask).
template <class Space, class = void>
struct HostThreadIndex {
  KOKKOS_INLINE_FUNCTION static int get() { return 0; }
};
template <class Space>
struct HostThreadIndex<Space, std::void_t<decltype(Space::impl_hardware_thread_id())>> {
  KOKKOS_INLINE_FUNCTION static int get() {
    return static_cast<int>(Space::impl_hardware_thread_id());
  }
};

// Whether kernels on the default execution space can run iterations concurrently (threads or a
// GPU): then unowned ring entries need atomics.
inline bool threads_may_race() {
  return ExecSpace().concurrency() > 1;
}

}  // namespace spikeweave::kernels
