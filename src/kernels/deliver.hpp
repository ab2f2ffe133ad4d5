#pragma once
// Delivery of received spikes through static synapses into the targets' input ring:
// one team per spike, the team's threads over the synapses of the spike's row.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Device copy of network::SynapseTables (see there for the layout).
struct DeviceSynapses {
  View<const std::uint32_t*> row_source;
  View<const std::uint64_t*> row_begin;
  View<const std::uint16_t*> segment_delay;
  View<const std::uint64_t*> segment_begin;
  View<const std::uint32_t*> target;
  View<const float*> weight;
  float homogeneous_weight = 0.0f;
  bool homogeneous = true;
  std::uint64_t rows = 0;
  View<const double*> gain;  // homeostatic gain of each target neuron; empty: none

  // The weight a synapse transmits: its own, times the target's homeostatic gain if any.
  KOKKOS_INLINE_FUNCTION double scaled(double w, std::uint32_t t) const {
    return gain.extent(0) > 0 ? w * gain(t) : w;
  }

  // Row of a source node id, or `rows` if the source has no synapse here (binary search).
  KOKKOS_INLINE_FUNCTION std::uint64_t find_row(std::uint32_t source) const {
    std::uint64_t lo = 0, hi = rows;
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (row_source(mid) < source) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return (lo < rows && row_source(lo) == source) ? lo : rows;
  }
};

// Spikes of one source population in this interval, packed (node_id << 8) | lag.
struct StaticDeliver {
  using Policy = Kokkos::TeamPolicy<ExecSpace>;
  using Member = Policy::member_type;

  DeviceSynapses syn;
  InputRing ring;
  View<const std::uint64_t*> spikes;
  int port = kPortExcitatory;
  std::int64_t first_step = 0;  // first step of the interval in which the spikes were emitted
  int slots = 1;
  static constexpr const char* kLabel = "spikeweave::static_synapse::deliver";

  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    const std::uint64_t packed = spikes(team.league_rank());
    const auto source = static_cast<std::uint32_t>(packed >> 8);
    const std::int64_t emitted = first_step + static_cast<std::int64_t>(packed & 0xFF);
    const std::uint64_t row = syn.find_row(source);
    if (row == syn.rows) return;
    for (std::uint64_t seg = syn.row_begin(row); seg < syn.row_begin(row + 1); ++seg) {
      const int slot = static_cast<int>((emitted + syn.segment_delay(seg)) % slots);
      std::int64_t* const base = &ring(port, slot, 0);
      const std::uint64_t begin = syn.segment_begin(seg), end = syn.segment_begin(seg + 1);
      if (syn.gain.extent(0) > 0) {
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, begin, end), [&](const std::uint64_t k) {
          const std::uint32_t t = syn.target(k);
          const double w = syn.homogeneous ? syn.homogeneous_weight : syn.weight(k);
          add_input(base + t, to_fixed(syn.scaled(w, t)));
        });
      } else if (syn.homogeneous) {
        const std::int64_t w = to_fixed(syn.homogeneous_weight);
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, begin, end),
                             [&](const std::uint64_t k) { add_input(base + syn.target(k), w); });
      } else {
        Kokkos::parallel_for(Kokkos::TeamThreadRange(team, begin, end), [&](const std::uint64_t k) {
          add_input(base + syn.target(k), to_fixed(syn.weight(k)));
        });
      }
    }
  }

  void run(std::size_t n_spikes) const {
    if (n_spikes == 0) return;
    Kokkos::parallel_for(kLabel, Policy(static_cast<int>(n_spikes), Kokkos::AUTO), *this);
  }
};

}  // namespace spikeweave::kernels
