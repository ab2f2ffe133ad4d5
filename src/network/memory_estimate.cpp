#include "network/memory_estimate.hpp"

#include <cstdio>

namespace spikeweave::network {
namespace {
// Bytes per synapse, from the synapse tables' layout (src/network/synapse_tables.hpp) and the
// peak resident size of examples/brunel.toml (15.6 M static synapses: 4.6 bytes each).
constexpr double kStaticSynapseBytes = 5.0;  // target index and row bookkeeping
constexpr double kDrawnWeightBytes = 4.0;    // a float weight per synapse
constexpr double kDrawnDelayBytes = 2.0;     // a 16-bit delay per synapse
constexpr double kPlasticStateBytes = 12.0;  // weight (float) and the rule's per-synapse state
constexpr double kDoubleWeightBytes = 4.0;   // weight_type = "double" on top of that
constexpr double kNeuronStateBytes = 128.0;  // state variables, flags, per-neuron tables
constexpr double kRingSlotBytes = 16.0;      // int64 excitatory and inhibitory input per slot
constexpr double kProcessBaselineBytes = 64.0 * 1024 * 1024;
}  // namespace

double expected_synapses(const NetworkSpec& spec, const ProjectionSpec& p) {
  const double sources = static_cast<double>(spec.populations[p.source].size);
  const double targets = static_cast<double>(spec.populations[p.target].size);
  const double count = static_cast<double>(p.connect.count);
  switch (p.connect.rule) {
    case ConnectRule::kFixedIndegree:
      return targets * count;
    case ConnectRule::kFixedOutdegree:
      return sources * count;
    case ConnectRule::kFixedTotalNumber:
      return count;
    case ConnectRule::kPairwiseBernoulli:
      return p.connect.probability * sources * targets;
    case ConnectRule::kOneToOne:
      return targets;
    case ConnectRule::kAllToAll:
      return sources * targets;
  }
  return 0.0;
}

MemoryEstimate estimate_rank_memory(const NetworkSpec& spec, int ranks) {
  MemoryEstimate e;
  const double share = 1.0 / static_cast<double>(ranks > 0 ? ranks : 1);
  for (const ProjectionSpec& p : spec.projections) {
    const double synapses = expected_synapses(spec, p) * share;
    double bytes = kStaticSynapseBytes;
    if (!p.weight.is_constant() || p.plasticity) bytes += kDrawnWeightBytes;
    if (!p.delay_ms.is_constant()) bytes += kDrawnDelayBytes;
    if (p.plasticity) {
      bytes += kPlasticStateBytes;
      if (p.plasticity->double_weights) bytes += kDoubleWeightBytes;
    }
    e.synapses += synapses;
    e.synapse_bytes += synapses * bytes;
  }
  const double slots = static_cast<double>(spec.max_delay_steps() + spec.min_delay_steps());
  e.neuron_bytes = static_cast<double>(spec.total_neurons) * share *
                   (kNeuronStateBytes + slots * kRingSlotBytes);
  e.baseline_bytes = kProcessBaselineBytes;
  return e;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};
  int unit = 0;
  while (bytes >= 1000.0 && unit < 6) {
    bytes /= 1000.0;
    ++unit;
  }
  char text[48];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  return text;
}

}  // namespace spikeweave::network
