#pragma once
// The direct rows of one source population's static projections on this rank
// (kernels/direct_rows.hpp): their only copy of the targets once built. The projections deliver
// through them, and read their targets and set their weights through them between runs.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/ids.hpp"
#include "kernels/deliver.hpp"
#include "network/synapse_tables.hpp"

namespace spikeweave::engine {

struct SpikeBatch;

class DirectRows {
 public:
  virtual ~DirectRows() = default;
  // Delivers the population's spikes, keys being row keys (kernels::direct_row_key), through
  // every part.
  virtual std::uint64_t deliver(const SpikeBatch& batch, Step first_step) = 0;
  // Calls f(row, k, target) for part p's synapses k in its synapse tables' order, `row` being
  // the synapse's row in those tables.
  using PartVisitor = std::function<void(std::uint64_t row, std::uint64_t k, std::uint32_t target)>;
  virtual void for_each_part_synapse(int part, const PartVisitor& f) const = 0;
  // Part p transmits `weights` (one per synapse, its tables' order) from now on.
  virtual void set_part_weights(int part, const network::HostView<float*>& weights) = 0;
  virtual std::uint64_t bytes() const = 0;
  // Entries of the rows.
  virtual std::uint64_t entries() const = 0;
  // The span of the rows' keys: below twice their entries.
  std::uint64_t key_span() const { return 2 * entries(); }
  // Row key of each receive slot, the spikes' keys (handed to the spike exchange once).
  std::vector<std::uint32_t> take_keys() { return std::move(keys_); }

 protected:
  std::vector<std::uint32_t> keys_;
};

// One part: its delivery as the slot tables would run it (ring, port, weight, delay, blocks),
// its slot table (synapse offsets, uniform delay) and its targets.
struct DirectPart {
  const kernels::StaticDeliver* delivery;
  kernels::View<const std::uint32_t*> slot_table;
  network::HostView<std::uint32_t*> targets;
  std::uint64_t rows;  // rows of its synapse tables (each non-empty, each one receive slot)
};

// Builds the rows, or returns nullptr where their keys would span `max_keys` or more (spike
// keys are 32 bits). 16-bit targets where every part allows them.
std::shared_ptr<DirectRows> make_direct_rows(const std::vector<DirectPart>& parts,
                                             std::uint64_t max_keys);

}  // namespace spikeweave::engine
