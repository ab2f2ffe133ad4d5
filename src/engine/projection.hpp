#pragma once
// One projection on this rank: its synapse tables in the execution space's memory and the
// kernel that delivers spikes through them into the target population's input ring. Static and
// plastic projections share this interface.
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

// This interval's spikes of one source population on the device: (node_id << 8 | lag), sorted,
// and the offsets of the runs of equal source (for rules that must see a source's spikes in order).
struct SpikeBatch {
  kernels::View<const std::uint64_t*> spikes;
  std::size_t count = 0;
  kernels::View<const std::uint32_t*> run_begin;
  std::size_t runs = 0;
};

class Projection {
 public:
  virtual ~Projection() = default;

  // Delivers spikes emitted in the interval starting at `first_step`.
  virtual void deliver(const SpikeBatch& batch, Step first_step) = 0;
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
  // The first local synapse whose stored weight is NaN or infinite, or -1 (numerical blow-up).
  virtual std::int64_t first_non_finite_weight() const { return -1; }
  // Current weights of the given local synapses.
  virtual std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const;

  int index() const { return index_; }
  int source() const { return source_; }
  int target() const { return target_; }
  std::uint64_t synapses() const { return tables_.synapses; }
  virtual std::uint64_t bytes() const { return tables_.bytes(); }
  const network::SynapseTables& host_tables() const { return tables_; }
  // Source gids with at least one synapse here.
  std::vector<Gid> source_gids(Gid source_first_gid) const;

 protected:
  Projection(const network::NetworkSpec& net, int index, network::SynapseTables tables);

  network::SynapseTables tables_;  // host; aliases the device views on host backends
  std::string key_;                // "projection[i]" for messages
  int index_;
  int source_;
  int target_;
};

// Builds the projection's synapses on this rank and the matching delivery kernel.
std::unique_ptr<Projection> make_projection(const network::NetworkSpec& net, int index,
                                            const partition::Partition& partition, int rank,
                                            NeuronGroup& target, PostHistories& histories,
                                            PostRates& rates, int interval_steps,
                                            const plasticity::LoweredPlasticity& lowered);

}  // namespace spikeweave::engine
