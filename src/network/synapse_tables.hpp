#pragma once
// The synapses of one projection that live on this rank (those onto its own neurons), grouped by
// source: a row per source neuron with at least one local target, rows split into segments of
// equal delay, each segment a run of (target, weight). Host views, built once; the engine
// mirrors them into the execution space's memory (no copy on host backends).
#include <Kokkos_Core.hpp>
#include <cstdint>

namespace spikeweave::network {

template <class T>
using HostView = Kokkos::View<T, Kokkos::HostSpace>;

struct SynapseTables {
  HostView<std::uint32_t*> row_source;     // source node id of each row, increasing
  HostView<std::uint64_t*> row_begin;      // rows + 1 offsets into the segments
  HostView<std::uint16_t*> segment_delay;  // delay of each segment [steps], increasing in a row
  HostView<std::uint64_t*> segment_begin;  // segments + 1 offsets into the synapses
  HostView<std::uint32_t*> target;         // local index of the target neuron, per synapse
  HostView<float*> weight;                 // per synapse; empty when homogeneous or double
  HostView<double*> weight_double;         // per synapse, for double-precision plastic weights
  double homogeneous_weight = 0.0;         // used when the weight is constant
  std::uint64_t synapses = 0;

  std::uint64_t rows() const { return row_source.extent(0); }
  std::uint64_t segments() const { return segment_delay.extent(0); }
  bool homogeneous() const { return weight.extent(0) == 0 && weight_double.extent(0) == 0; }
  // Initial weight of synapse k, whatever the storage.
  double weight_at(std::uint64_t k) const {
    if (weight_double.extent(0) > 0) return weight_double(k);
    return homogeneous() ? homogeneous_weight : weight(k);
  }
  // Bytes held by the tables, for memory reports.
  std::uint64_t bytes() const;
};

}  // namespace spikeweave::network
