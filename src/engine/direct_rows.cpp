#include "engine/direct_rows.hpp"

#include <limits>

#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "engine/projection.hpp"
#include "kernels/direct_rows.hpp"

namespace spikeweave::engine {

namespace {

using kernels::DirectRowsLayout;

template <class Word>
class DirectRowsOf final : public DirectRows {
 public:
  DirectRowsOf(const std::vector<DirectPart>& parts, std::uint64_t entries, int row_blocks,
               bool split_spikes) {
    kernels::View<Word*> rows(Kokkos::view_alloc(Kokkos::WithoutInitializing, "direct_rows"),
                              entries);
    // Read at random, once per received spike: huge pages spare the TLB.
    advise_huge_pages(rows.data(), entries * sizeof(Word));
    std::vector<kernels::View<const std::uint32_t*>> tables;
    std::vector<network::HostView<std::uint32_t*>> targets;
    std::vector<std::uint32_t> part_targets;
    for (const DirectPart& part : parts) {
      tables.push_back(part.slot_table);
      targets.push_back(part.targets);
      part_targets.push_back(part.delivery->targets);
    }
    // The projections drop their targets once the rows hold them (StaticProjection::join_direct).
    keys_ = DirectRowsLayout::fill(tables, targets, part_targets, row_blocks, rows, true);
    kernel_.rows = rows;
    kernel_.n_parts = static_cast<int>(parts.size());
    kernel_.blocks = parts[0].delivery->blocks;
    kernel_.row_blocks = row_blocks;
    kernel_.split_spikes = split_spikes;
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const kernels::StaticDeliver& d = *parts[p].delivery;
      auto& part = kernel_.parts[p];
      part.ring = d.ring;
      part.port = d.port;
      part.delay = d.syn.uniform_delay;
      part.slots = d.slots;
      part.weight = d.syn.homogeneous_weight;
      part.targets = d.targets;
    }
  }

  std::uint64_t deliver(const SpikeBatch& batch, Step first_step) override {
    kernel_.spikes = batch.spikes;
    return kernel_.run(batch.count, first_step);
  }

  void for_each_part_synapse(int part, const PartVisitor& f) const override {
    DirectRowsLayout::for_each_synapse(
        kernel_.rows, kernel_.n_parts, kernel_.row_blocks, part,
        [&](std::uint64_t row, std::uint64_t k, std::uint64_t position) {
          f(row, k, kernel_.rows(position));
        });
  }

  void set_part_weights(int part, const network::HostView<float*>& weights) override {
    if (row_weight_.extent(0) == 0) {
      row_weight_ = kernels::View<float*>("direct_rows.weight", kernel_.rows.extent(0));
    }
    DirectRowsLayout::for_each_synapse(kernel_.rows, kernel_.n_parts, kernel_.row_blocks, part,
                                       [&](std::uint64_t, std::uint64_t k, std::uint64_t position) {
                                         row_weight_(position) = weights(k);
                                       });
    kernel_.row_weight = row_weight_;
    kernel_.parts[part].row_weights = true;
  }

  std::uint64_t entries() const override { return kernel_.rows.extent(0); }
  std::uint64_t bytes() const override {
    return kernel_.rows.span() * sizeof(Word) + row_weight_.span() * sizeof(float);
  }

 private:
  kernels::DirectDeliver<Word> kernel_;
  kernels::View<float*> row_weight_;
};

// Whether two lags of an interval always reach two ring slots: parts that add into the same port
// of one ring have one delay (lag l of part p goes to slot first + l + delay_p).
bool lags_own_slots(const std::vector<DirectPart>& parts) {
  for (std::size_t p = 0; p < parts.size(); ++p) {
    for (std::size_t q = p + 1; q < parts.size(); ++q) {
      const kernels::StaticDeliver& a = *parts[p].delivery;
      const kernels::StaticDeliver& b = *parts[q].delivery;
      const bool shared = a.ring.data() == b.ring.data() && a.port == b.port;
      if (shared && a.syn.uniform_delay != b.syn.uniform_delay) return false;
    }
  }
  return true;
}

}  // namespace

std::shared_ptr<DirectRows> make_direct_rows(const std::vector<DirectPart>& parts,
                                             std::uint64_t max_keys) {
  std::vector<kernels::View<const std::uint32_t*>> tables;
  bool narrow = true;  // 16-bit targets
  for (const DirectPart& part : parts) {
    tables.push_back(part.slot_table);
    narrow = narrow && part.delivery->targets <= std::uint32_t{1} << 16;
  }
  std::uint64_t largest_count = 0;
  std::vector<std::uint64_t> filled;
  const std::uint64_t part_major = DirectRowsLayout::entries(tables, 1, largest_count, filled);
  const std::uint64_t slots = tables.empty() ? 0 : tables[0].extent(0) - 1;
  const std::uint64_t synapses = part_major - slots * parts.size();
  const int blocks = parts[0].delivery->blocks;
  const int row_blocks =
      kernels::choose_row_blocks(synapses, slots, static_cast<int>(parts.size()), blocks);
  const bool split_spikes = kernels::choose_split_spikes(row_blocks, blocks, lags_own_slots(parts));
  const std::uint64_t entries =
      row_blocks == 1 ? part_major
                      : DirectRowsLayout::entries(tables, row_blocks, largest_count, filled);
  // The walks number a part's rows by its non-empty slots: one per row of its tables.
  for (std::size_t p = 0; p < parts.size(); ++p) {
    require_invariant(filled[p] == parts[p].rows,
                      "direct rows need one non-empty slot per table row");
  }
  if (2 * entries >= max_keys) return nullptr;
  narrow = narrow && largest_count <= std::numeric_limits<std::uint16_t>::max();
  if (narrow) {
    return std::make_shared<DirectRowsOf<std::uint16_t>>(parts, entries, row_blocks, split_spikes);
  }
  return std::make_shared<DirectRowsOf<std::uint32_t>>(parts, entries, row_blocks, split_spikes);
}

}  // namespace spikeweave::engine
