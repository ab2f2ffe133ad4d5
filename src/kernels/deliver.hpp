#pragma once
// Delivery of received spikes through static synapses into the targets' input ring:
// on a GPU one team per spike, the team's threads over the synapses of the spike's row; on the
// host one iteration per spike.
#include "kernels/views.hpp"

namespace spikeweave::kernels {

// Row of `source` in the sorted `row_source[0, rows)`, or `rows` if absent. The first probe is
// where the row would be if the sources up to the last one were spread evenly: exact, without
// a search, when every one of them has a row (dense projections on few ranks). Otherwise the
// row is near the probe (sources of a rank's rows are spread evenly over the network), so an
// exponential search outwards from it brackets the row in a few nearby probes before a binary
// search of the bracket: O(log distance) probes, mostly in one or two cache lines, where a
// binary search of the whole side cost ~log2(rows) cache misses (~1-2 us per spike at 10^7 rows).
KOKKOS_INLINE_FUNCTION std::uint64_t find_row(const std::uint32_t* row_source, std::uint64_t rows,
                                              std::uint32_t source) {
  if (rows == 0) return rows;
  const std::uint64_t last = row_source[rows - 1];
  if (source > last) return rows;
  const std::uint64_t guess = static_cast<std::uint64_t>(source) * rows / (last + 1);
  const std::uint32_t at = row_source[guess];
  if (at == source) return guess;
  // Bracket [lo, hi) holding the first row with row_source >= source.
  std::uint64_t lo, hi, bound = 1;
  if (at < source) {
    lo = guess + 1;
    while (guess + bound < rows && row_source[guess + bound] < source) {
      lo = guess + bound + 1;
      bound *= 2;
    }
    hi = guess + bound < rows ? guess + bound + 1 : rows;
  } else {
    hi = guess;  // row_source[hi] > source
    while (bound <= guess && row_source[guess - bound] >= source) {
      hi = guess - bound;
      bound *= 2;
    }
    lo = bound <= guess ? guess - bound + 1 : 0;
  }
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (row_source[mid] < source) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return (lo < rows && row_source[lo] == source) ? lo : rows;
}

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

  // Row of a source node id, or `rows` if the source has no synapse here.
  KOKKOS_INLINE_FUNCTION std::uint64_t find_row(std::uint32_t source) const {
    return kernels::find_row(row_source.data(), rows, source);
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

  // Delivers spike k; `range(begin, end, f)` runs f over the synapses [begin, end) of a segment.
  template <class Range>
  KOKKOS_INLINE_FUNCTION void spike(const int k, const Range& range) const {
    const std::uint64_t packed = spikes(k);
    const auto source = static_cast<std::uint32_t>(packed >> 8);
    const std::int64_t emitted = first_step + static_cast<std::int64_t>(packed & 0xFF);
    const std::uint64_t row = syn.find_row(source);
    if (row == syn.rows) return;
    for (std::uint64_t seg = syn.row_begin(row); seg < syn.row_begin(row + 1); ++seg) {
      const int slot = static_cast<int>((emitted + syn.segment_delay(seg)) % slots);
      std::int64_t* const base = &ring(port, slot, 0);
      const std::uint64_t begin = syn.segment_begin(seg), end = syn.segment_begin(seg + 1);
      if (syn.gain.extent(0) > 0) {
        range(begin, end, [&](const std::uint64_t j) {
          const std::uint32_t t = syn.target(j);
          const double w = syn.homogeneous ? syn.homogeneous_weight : syn.weight(j);
          add_input(base + t, to_fixed(syn.scaled(w, t)));
        });
      } else if (syn.homogeneous) {
        const std::int64_t w = to_fixed(syn.homogeneous_weight);
        const std::uint32_t* const targets = syn.target.data();
        range(begin, end, [&](const std::uint64_t j) { add_input(base + targets[j], w); });
      } else {
        range(begin, end, [&](const std::uint64_t j) {
          add_input(base + syn.target(j), to_fixed(syn.weight(j)));
        });
      }
    }
  }

  // GPU: one team per spike, its threads over the row's synapses.
  KOKKOS_INLINE_FUNCTION void operator()(const Member& team) const {
    spike(team.league_rank(), [&](std::uint64_t begin, std::uint64_t end, const auto& f) {
      Kokkos::parallel_for(Kokkos::TeamThreadRange(team, begin, end), f);
    });
  }
  // Host: one iteration per spike, its synapses in a plain loop.
  KOKKOS_INLINE_FUNCTION void operator()(const int k) const {
    spike(k, [](std::uint64_t begin, std::uint64_t end, const auto& f) {
      for (std::uint64_t j = begin; j < end; ++j) f(j);
    });
  }

  void run(std::size_t n_spikes) const {
    if (n_spikes == 0) return;
    if constexpr (Kokkos::SpaceAccessibility<ExecSpace, Kokkos::HostSpace>::accessible) {
      Kokkos::parallel_for(kLabel, Kokkos::RangePolicy<ExecSpace>(0, static_cast<int>(n_spikes)),
                           *this);
    } else {
      Kokkos::parallel_for(kLabel, Policy(static_cast<int>(n_spikes), Kokkos::AUTO), *this);
    }
  }
};

}  // namespace spikeweave::kernels
