#pragma once
// One projection on this rank: its synapse tables in the execution space's memory and the
// kernel that delivers spikes through them into the target population's input ring. Static and
// plastic projections share this interface.
#include <functional>
#include <memory>
#include <vector>

#include "kernels/views.hpp"
#include "network/build.hpp"
#include "plasticity/plasticity_spec.hpp"

namespace spikeweave::engine {

class NeuronGroup;
class PostHistories;
class PostRates;
class StateWriter;
class StateReader;
struct ProjectionKeys;

// This interval's spikes of one source population on the device: words (receive slot, lag), each
// source's spikes together and in lag order, and the offsets of the runs of equal source (for
// rules that must see a source's spikes in order; empty when no projection is plastic).
struct SpikeBatch {
  kernels::View<const std::uint64_t*> spikes;
  std::size_t count = 0;
  kernels::View<const std::uint32_t*> run_begin;
  std::size_t runs = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;

  // Delivers spikes emitted in the interval starting at `first_step`; returns the synaptic events.
  virtual std::uint64_t deliver(const SpikeBatch& batch, Step first_step) = 0;
  // Maps the receive slots of the source population to rows: slot_sources[0, slots) are the
  // sources of that population this rank receives, in slot order (increasing gids), a superset
  // of this projection's rows. Called once, after the spike exchange is built.
  void bind_receive_slots(const Gid* slot_sources, std::uint64_t slots);
  // Plastic projections: bring idle synapses up to date (see StdpSweep). `stamp` is the end of
  // the interval just delivered.
  virtual void sweep(Step stamp) { (void)stamp; }
  virtual bool plastic() const { return false; }
  // Plastic projections take their target's postsynaptic history once it is allocated.
  virtual void bind(const PostHistories& histories, const PostRates& rates) {
    (void)histories;
    (void)rates;
  }
  // A population whose spikes modulate this projection's plasticity (dopamine), or -1.
  virtual int modulator_population() const { return -1; }
  // Stamps (spike time in steps) of this interval's modulator spikes, increasing, with repeats.
  virtual void add_modulator_spikes(const std::vector<Step>& stamps) { (void)stamps; }
  // Current values of a plastic state variable (eligibility, rho, late_weight) of the given
  // local synapses.
  virtual std::vector<double> state(const std::string& variable,
                                    const std::vector<std::uint64_t>& synapses) const {
    (void)variable;
    return std::vector<double>(synapses.size(), 0.0);
  }
  // Checkpoints: the projection's changing state (plastic weights, traces, ...) under
  // "projection/<name>/...", keyed by synapse identity, source and target gid (engine/
  // checkpoint_state.hpp). Static projections have none. Every rank saves the same blocks.
  virtual void save_state(StateWriter& writer, const ProjectionKeys& keys) const {
    (void)writer;
    (void)keys;
  }
  virtual void restore_state(StateReader& reader, const ProjectionKeys& keys) {
    (void)reader;
    (void)keys;
  }
  // Bytes per synapse of the largest per-synapse value save_state writes (0: none).
  virtual std::size_t synapse_value_bytes() const { return 0; }
  // The first local synapse whose stored weight is NaN or infinite, or -1 (numerical blow-up).
  virtual std::int64_t first_non_finite_weight() const { return -1; }
  // Current weights of the given local synapses.
  virtual std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const;
  // Between runs (the Python module): sets the given local synapses' weights (the target model's
  // unit) at step `now`, the end of the last run. A UserError naming the projection refuses what
  // cannot be set exactly (weights scaled by homeostatic gains, tagging's early and late weights).
  virtual void set_weights(const std::vector<std::uint64_t>& synapses,
                           const std::vector<double>& weights, Step now) = 0;
  // Between runs: switches the projection's plasticity off (weights stay; traces go on) or on
  // again at step `now`. A UserError naming the projection refuses rules that cannot.
  virtual void set_learning(bool on, Step now);

  int index() const { return index_; }
  int source() const { return source_; }
  int target() const { return target_; }
  std::uint64_t synapses() const { return tables_.synapses; }
  virtual std::uint64_t bytes() const { return tables_.bytes(); }
  // The tables. Projections held by direct rows keep only their row sources and weights here:
  // read their synapses through for_each_synapse.
  const network::SynapseTables& host_tables() const { return tables_; }
  // Calls f(row, delay_steps, k, target) for each local synapse k in index order (rows in
  // increasing source order, a row's synapses in delay order; `target`: local index).
  using SynapseVisitor = std::function<void(std::uint64_t row, int delay_steps, std::uint64_t k,
                                            std::uint32_t target)>;
  virtual void for_each_synapse(const SynapseVisitor& f) const;
  // Bytes of the slot table (slot -> row; static projections keep slot -> segments instead, the
  // same 4 bytes per slot): routing, beside the synapse tables.
  std::uint64_t slot_row_bytes() const { return slot_row_bytes_; }

 protected:
  Projection(const network::NetworkSpec& net, int index, network::SynapseTables tables);
  // Hands the device slot -> row table to the delivery kernel (which may derive its own table).
  virtual void use_slot_rows(kernels::View<const std::uint32_t*> slot_row) = 0;

  network::SynapseTables tables_;  // host; aliases the device views on host backends
  std::string key_;                // "projection[i]" for messages
  int index_;
  int source_;
  int target_;
  Gid source_first_gid_ = 0;
  std::uint64_t slot_row_bytes_ = 0;
};

// Static projections of one source population delivered on the host (one thread or target
// blocks) are delivered together, from one interleaved slot table (kernels::HostDeliver):
// one cold line per received spike for all their slot entries instead of one per projection.
// Same bytes per slot; bitwise the same input. Call once, after bind_receive_slots.
void fuse_static_deliveries(const std::vector<std::unique_ptr<Projection>>& projections);

// Moves the targets of static projections into direct rows (engine/direct_rows.hpp), one per
// source population whose every projection on this rank is static, delivered on the host, with
// one delay and one weight and no homeostatic gain (at most HostDeliver::kMaxParts of them):
// received spikes of that population are then keyed by their row's key
// (kernels::direct_row_key). Returns each population's row key per receive slot, empty where the
// population keeps its receive slots as keys. `slot_begin`: SpikeExchange::slot_begins. Call after
// bind_receive_slots and before fuse_static_deliveries (which takes the projections left).
std::vector<std::vector<std::uint32_t>> use_direct_rows(
    const std::vector<std::unique_ptr<Projection>>& projections,
    const std::vector<std::uint64_t>& slot_begin);

// Builds the projection's synapses on this rank and the matching delivery kernel.
std::unique_ptr<Projection> make_projection(const network::NetworkSpec& net, int index,
                                            const partition::Partition& partition, int rank,
                                            NeuronGroup& target, PostHistories& histories,
                                            PostRates& rates, int interval_steps,
                                            const plasticity::LoweredPlasticity& lowered);

}  // namespace spikeweave::engine
