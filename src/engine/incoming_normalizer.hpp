#pragma once
// normalize_incoming (Diehl & Cook 2015): at every multiple of every_ms, each target neuron's
// incoming weights of one plastic projection are scaled so that they sum to `total`. All of a
// neuron's incoming synapses live on its rank, so this is local; each sum runs over the synapses
// in the order of their identity (source node id, then their order among equal pairs), which
// no partition changes: results are the same on any number of ranks.
#include <algorithm>
#include <string>
#include <vector>

#include "kernels/views.hpp"
#include "network/spec.hpp"
#include "network/synapse_tables.hpp"

namespace spikeweave::kernels {

// One work item per target neuron: sum its weights in list order, then scale them.
template <class Weight>
struct NormalizeIncoming {
  View<Weight*> weight;
  View<const std::uint64_t*> begin;     // per local target: its slice of `synapses`
  View<const std::uint64_t*> synapses;  // synapse indices, grouped by target, in identity order
  double total = 0.0;
  static constexpr const char* kLabel = "spikeweave::plastic_synapse::normalize_incoming";

  KOKKOS_INLINE_FUNCTION void operator()(const int t) const {
    double sum = 0.0;
    for (std::uint64_t k = begin(t); k < begin(t + 1); ++k)
      sum += static_cast<double>(weight(synapses(k)));
    if (!(sum > 0.0)) return;  // nothing to scale (all weights zero)
    const double factor = total / sum;
    for (std::uint64_t k = begin(t); k < begin(t + 1); ++k) {
      const std::uint64_t s = synapses(k);
      weight(s) = static_cast<Weight>(static_cast<double>(weight(s)) * factor);
    }
  }
};

}  // namespace spikeweave::kernels

namespace spikeweave::engine {

template <class Weight>
class IncomingNormalizer {
 public:
  IncomingNormalizer(const network::NormalizeIncomingSpec& spec,
                     const network::SynapseTables& tables, int targets, const std::string& name)
      : every_steps_(spec.every_steps) {
    // Synapse indices per target, each target's in (source, index) order: rows are sorted by
    // source, and a row's synapses to one target keep their relative order in every partition.
    std::vector<std::vector<std::uint64_t>> lists(static_cast<std::size_t>(targets));
    for (std::uint64_t row = 0; row < tables.rows(); ++row) {
      for (std::uint64_t seg = tables.row_begin(row); seg < tables.row_begin(row + 1); ++seg) {
        for (std::uint64_t k = tables.segment_begin(seg); k < tables.segment_begin(seg + 1); ++k)
          lists[tables.target(k)].push_back(k);
      }
    }
    kernels::View<std::uint64_t*> begin(name + ".normalize_begin", lists.size() + 1);
    kernels::View<std::uint64_t*> synapses(name + ".normalize_synapses", tables.synapses);
    auto host_begin = Kokkos::create_mirror_view(begin);
    auto host_synapses = Kokkos::create_mirror_view(synapses);
    std::uint64_t at = 0;
    for (std::size_t t = 0; t < lists.size(); ++t) {
      host_begin(t) = at;
      for (std::uint64_t k : lists[t]) host_synapses(at++) = k;
    }
    host_begin(lists.size()) = at;
    Kokkos::deep_copy(begin, host_begin);
    Kokkos::deep_copy(synapses, host_synapses);
    kernel_.begin = begin;
    kernel_.synapses = synapses;
    kernel_.total = spec.total;
    targets_ = targets;
  }
  // Whether a normalisation time lies in (previous, stamp].
  bool due(Step previous, Step stamp) const {
    return stamp / every_steps_ != previous / every_steps_;
  }
  void apply(kernels::View<Weight*> weight) {
    kernel_.weight = weight;
    Kokkos::parallel_for(kernels::NormalizeIncoming<Weight>::kLabel,
                         Kokkos::RangePolicy<kernels::ExecSpace>(0, targets_), kernel_);
  }

 private:
  Step every_steps_ = 1;
  int targets_ = 0;
  kernels::NormalizeIncoming<Weight> kernel_;
};

}  // namespace spikeweave::engine
