#include "engine/projection.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "engine/direct_rows.hpp"
#include "engine/neuron_group.hpp"
#include "engine/plastic_projection.hpp"
#include "engine/post_rates.hpp"
#include "kernels/deliver.hpp"
#include "kernels/fused_deliver.hpp"
#include "kernels/slot_segments.hpp"

namespace spikeweave::engine {

Projection::Projection(const network::NetworkSpec& net, int index, network::SynapseTables tables)
    : tables_(std::move(tables)),
      key_(net.projections[index].key),
      index_(index),
      source_(net.projections[index].source),
      target_(net.projections[index].target) {
  source_first_gid_ = net.populations[source_].first_gid;
}

void Projection::bind_receive_slots(const Gid* slot_sources, std::uint64_t slots) {
  // Both lists are increasing: one merge finds every row's slot.
  require_invariant(
      slots < kernels::DeviceSynapses::kNoRow && tables_.rows() < kernels::DeviceSynapses::kNoRow,
      "receive slots and rows must fit in 32 bits");
  kernels::View<std::uint32_t*> slot_row(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, key_ + ".slot_row"), slots);
  auto host = Kokkos::create_mirror_view(slot_row);
  // Read at random, once per received spike: huge pages spare the TLB (advised before writing;
  // on host backends the mirror is the table itself, on a GPU the hint does not apply).
  advise_huge_pages(host.data(), slots * sizeof(std::uint32_t));
  std::uint64_t slot = 0;
  for (std::uint64_t row = 0; row < tables_.rows(); ++row) {
    const Gid gid = source_first_gid_ + tables_.row_source(row);
    while (slot < slots && slot_sources[slot] < gid) {
      host(slot++) = kernels::DeviceSynapses::kNoRow;
    }
    require_invariant(slot < slots && slot_sources[slot] == gid,
                      "a source with synapses on this rank has no receive slot");
    host(slot++) = static_cast<std::uint32_t>(row);
  }
  while (slot < slots) host(slot++) = kernels::DeviceSynapses::kNoRow;
  Kokkos::deep_copy(slot_row, host);
  slot_row_bytes_ = slot_row.span() * sizeof(std::uint32_t);
  use_slot_rows(slot_row);
}

std::vector<double> Projection::weights(const std::vector<std::uint64_t>& synapses) const {
  std::vector<double> values;
  values.reserve(synapses.size());
  for (std::uint64_t k : synapses) {
    values.push_back(tables_.weight_at(k));
  }
  return values;
}

void Projection::for_each_synapse(const SynapseVisitor& f) const {
  const network::SynapseTables& t = tables_;
  for (std::uint64_t row = 0; row < t.rows(); ++row) {
    for (std::uint64_t seg = t.row_begin(row); seg < t.row_begin(row + 1); ++seg) {
      for (std::uint64_t k = t.segment_begin(seg); k < t.segment_begin(seg + 1); ++k) {
        f(row, t.segment_delay(seg), k, t.target(k));
      }
    }
  }
}

void Projection::set_learning(bool /*on*/, Step /*now*/) {
  throw ConfigError(key_, "its synapses are static: there is no plasticity to switch");
}

kernels::DeviceSynapses device_synapses(const network::SynapseTables& t) {
  auto to_device = [](const auto& host) {
    return Kokkos::create_mirror_view_and_copy(kernels::MemSpace(), host);
  };
  kernels::DeviceSynapses d;
  d.row_begin = to_device(t.row_begin);
  d.segment_delay = to_device(t.segment_delay);
  d.segment_begin = to_device(t.segment_begin);
  d.target = to_device(t.target);
  d.weight = to_device(t.weight);
  d.homogeneous = t.homogeneous();
  d.homogeneous_weight = static_cast<float>(t.homogeneous_weight);
  d.rows = t.rows();
  return d;
}

bool segment_targets_increasing(const network::SynapseTables& t) {
  for (std::uint64_t seg = 0; seg < t.segments(); ++seg) {
    for (std::uint64_t k = t.segment_begin(seg) + 1; k < t.segment_begin(seg + 1); ++k) {
      if (t.target(k) < t.target(k - 1)) return false;
    }
  }
  return true;
}

int port_of(const network::ProjectionSpec& spec) {
  return spec.receptor == network::Receptor::kInhibitory ? kernels::kPortInhibitory
                                                         : kernels::kPortExcitatory;
}

namespace {

// Static synapses (optionally scaled by the target's homeostatic gain).
class StaticProjection final : public Projection {
 public:
  StaticProjection(const network::NetworkSpec& net, int index, network::SynapseTables tables,
                   kernels::InputRing target_ring, PostRates& rates)
      : Projection(net, index, std::move(tables)) {
    const network::ProjectionSpec& spec = net.projections[index];
    if (spec.plasticity && spec.plasticity->homeostatic) {
      rates.require_gain(spec.target, *spec.plasticity->homeostatic, spec.plasticity->key);
    }
    deliver_.syn = device_synapses(tables_);
    deliver_.ring = target_ring;
    deliver_.port = port_of(net.projections[index]);
    deliver_.slots = static_cast<int>(target_ring.extent(1));
    deliver_.ownership = kernels::delivery_ownership(segment_targets_increasing(tables_));
    deliver_.blocks = deliver_.ownership == kernels::Ownership::kTargetBlocks
                          ? kernels::ExecSpace().concurrency()
                          : 1;
    deliver_.targets = static_cast<std::uint32_t>(target_ring.extent(2));
  }

  void bind(const PostHistories&, const PostRates& rates) override {
    deliver_.syn.gain = rates.gain(target_);
  }

  std::uint64_t deliver(const SpikeBatch& batch, Step first_step) override {
    if (direct_) return fused_lead_ ? direct_->deliver(batch, first_step) : 0;
    if (fused_) return fused_lead_ ? fused_->deliver(batch, first_step) : 0;
    deliver_.spikes = batch.spikes;
    deliver_.first_step = first_step;
    return deliver_.run(batch.count);
  }

  // Whether fuse_static_deliveries may deliver this projection together with others of its
  // source population: host delivery (one thread or target blocks), slot table built.
  bool fusable() const {
    return deliver_.ownership != kernels::Ownership::kAtomic &&
           deliver_.syn.slot_segment.extent(0) > 0;
  }
  kernels::View<const std::uint32_t*> slot_table() const { return deliver_.syn.slot_segment; }
  // Whether direct rows (use_direct_rows) may hold this projection: fusable, one delay, one
  // weight, no homeostatic gain.
  bool direct_eligible() const {
    return fusable() && deliver_.syn.uniform_delay >= 0 && deliver_.syn.homogeneous &&
           deliver_.syn.gain.extent(0) == 0;
  }
  DirectPart direct_part() const {
    return {&deliver_, deliver_.syn.slot_segment, tables_.target, tables_.rows()};
  }
  // Part `part` of `rows`, which now hold this projection's synapses: its targets, slot table
  // and row and segment offsets are freed (at 1,024 ranks of hpc_benchmark the offsets were
  // 18 bytes per row, about 3 per synapse); the rows' sources stay.
  void join_direct(std::shared_ptr<DirectRows> rows, int part) {
    direct_ = std::move(rows);
    direct_part_ = part;
    fused_lead_ = part == 0;
    kernels::DeviceSynapses& syn = deliver_.syn;
    syn.slot_segment = {};
    syn.target = {};
    syn.row_begin = {};
    syn.segment_begin = {};
    syn.segment_delay = {};
    tables_.target = {};
    tables_.row_begin = {};
    tables_.segment_begin = {};
    tables_.segment_delay = {};
    slot_row_bytes_ = 0;
  }
  void for_each_synapse(const SynapseVisitor& f) const override {
    if (!direct_) return Projection::for_each_synapse(f);
    const int delay = deliver_.syn.uniform_delay;
    direct_->for_each_part_synapse(direct_part_,
                                   [&](std::uint64_t row, std::uint64_t k, std::uint32_t target) {
                                     f(row, delay, k, target);
                                   });
  }
  std::uint64_t bytes() const override {
    return tables_.bytes() + (direct_ && fused_lead_ ? direct_->bytes() : 0);
  }
  // This projection's delivery as a part of a fused one (its slot table is the group's).
  const kernels::StaticDeliver& delivery() const { return deliver_; }
  int blocks() const { return deliver_.blocks; }

  // A group of static projections of one source population delivered together: the first
  // member delivers every member's synapses, the others none (each member's deliver is called
  // once per interval, and the ring sums are integer: the order does not matter).
  struct FusedGroup {
    std::vector<const StaticProjection*> members;
    kernels::HostDeliver kernel;

    std::uint64_t deliver(const SpikeBatch& batch, Step first_step) {
      for (std::size_t p = 0; p < members.size(); ++p) {
        kernel.parts[p] = members[p]->delivery();  // current weights and gains
      }
      kernel.spikes = batch.spikes;
      return kernel.run(batch.count, first_step);
    }
  };
  void join(std::shared_ptr<FusedGroup> group, bool lead) {
    fused_ = std::move(group);
    fused_lead_ = lead;
    deliver_.syn.slot_segment = {};  // the group's interleaved table holds it
  }

  // Static delivery keeps the segments of each slot instead (DeviceSynapses::slot_segment), or
  // its synapses where every synapse has the same delay: the same 4 bytes per slot, and one or
  // two cold loads fewer per received spike.
  void use_slot_rows(kernels::View<const std::uint32_t*> slot_row) override {
    deliver_.syn.uniform_delay = kernels::uniform_segment_delay(tables_.segment_delay);
    deliver_.syn.slot_segment =
        kernels::make_slot_segments(slot_row, tables_.row_begin, tables_.segment_begin,
                                    deliver_.syn.uniform_delay >= 0, key_ + ".slot_segment");
  }

  std::vector<double> weights(const std::vector<std::uint64_t>& synapses) const override {
    std::vector<double> values = Projection::weights(synapses);
    const auto gain = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver_.syn.gain);
    if (gain.extent(0) > 0) {
      for (std::size_t i = 0; i < synapses.size(); ++i)
        values[i] *= gain(tables_.target(synapses[i]));
    }
    return values;
  }

  void set_weights(const std::vector<std::uint64_t>& synapses, const std::vector<double>& weights,
                   Step /*now*/) override {
    if (deliver_.syn.gain.extent(0) > 0)
      throw ConfigError(key_, "its weights are scaled by homeostatic gains and cannot be set");
    // A constant weight is stored once: the projection gets per-synapse weights from now on.
    if (tables_.homogeneous()) {
      tables_.weight = network::HostView<float*>(key_ + ".weight", tables_.synapses);
      Kokkos::deep_copy(tables_.weight, static_cast<float>(tables_.homogeneous_weight));
    }
    for (std::size_t i = 0; i < synapses.size(); ++i)
      tables_.weight(synapses[i]) = static_cast<float>(weights[i]);
    if (direct_) direct_->set_part_weights(direct_part_, tables_.weight);
    deliver_.syn.weight = Kokkos::create_mirror_view_and_copy(kernels::MemSpace(), tables_.weight);
    deliver_.syn.homogeneous = false;
  }

 private:
  kernels::StaticDeliver deliver_;
  std::shared_ptr<FusedGroup> fused_;
  std::shared_ptr<DirectRows> direct_;
  int direct_part_ = 0;
  bool fused_lead_ = false;  // (fused or direct) this member delivers the group
};

// Fuses `members` (2 to HostDeliver::kMaxParts, one source population) into one group.
void fuse(const std::vector<StaticProjection*>& members) {
  auto group = std::make_shared<StaticProjection::FusedGroup>();
  std::vector<kernels::View<const std::uint32_t*>> tables;
  for (StaticProjection* m : members) {
    require_invariant(m->slot_table().extent(0) == members[0]->slot_table().extent(0) &&
                          m->blocks() == members[0]->blocks(),
                      "fused projections must share receive slots and target blocks");
    group->members.push_back(m);
    tables.push_back(m->slot_table());
  }
  group->kernel.n_parts = static_cast<int>(members.size());
  group->kernel.blocks = members[0]->blocks();
  group->kernel.slot_entries = kernels::interleave_slot_tables(tables, "fused_slot_entries");
  for (std::size_t p = 0; p < members.size(); ++p) members[p]->join(group, p == 0);
}

// SPIKEWEAVE_RECEIVE_LAYOUT=slots keeps receive slots everywhere (to compare the two paths).
bool direct_rows_wanted() {
  const char* layout = std::getenv("SPIKEWEAVE_RECEIVE_LAYOUT");
  if (layout == nullptr || std::string(layout) == "direct") return true;
  if (std::string(layout) == "slots") return false;
  throw ConfigError("SPIKEWEAVE_RECEIVE_LAYOUT",
                    "expected \"direct\" or \"slots\", got \"" + std::string(layout) + "\"");
}

}  // namespace

std::vector<std::vector<std::uint32_t>> use_direct_rows(
    const std::vector<std::unique_ptr<Projection>>& projections,
    const std::vector<std::uint64_t>& slot_begin) {
  const std::size_t populations = slot_begin.size() - 1;
  std::vector<std::vector<std::uint32_t>> row_keys(populations);
  if (!direct_rows_wanted()) return row_keys;
  std::vector<std::vector<StaticProjection*>> members(populations);
  std::vector<bool> eligible(populations, true);
  for (const auto& projection : projections) {
    const auto p = static_cast<std::size_t>(projection->source());
    auto* s = dynamic_cast<StaticProjection*>(projection.get());
    if (s != nullptr && s->direct_eligible()) {
      members[p].push_back(s);
    } else {
      eligible[p] = false;
    }
  }
  // Keys are 32 bits and below SpikeExchange's kNoSlot: every population's keys together.
  std::uint64_t keys = slot_begin.back();
  constexpr std::uint64_t kKeyLimit = 0xFFFFFFFFu;
  for (std::size_t p = 0; p < populations; ++p) {
    if (!eligible[p] || members[p].empty() ||
        members[p].size() > static_cast<std::size_t>(kernels::HostDeliver::kMaxParts))
      continue;
    const std::uint64_t slots = slot_begin[p + 1] - slot_begin[p];
    std::vector<DirectPart> parts;
    for (const StaticProjection* m : members[p]) parts.push_back(m->direct_part());
    std::shared_ptr<DirectRows> rows = make_direct_rows(parts, kKeyLimit - (keys - slots));
    if (!rows) continue;
    row_keys[p] = rows->take_keys();
    keys += rows->key_span() - slots;
    for (std::size_t i = 0; i < members[p].size(); ++i) {
      members[p][i]->join_direct(rows, static_cast<int>(i));
    }
  }
  return row_keys;
}

void fuse_static_deliveries(const std::vector<std::unique_ptr<Projection>>& projections) {
  std::map<int, std::vector<StaticProjection*>> by_source;
  for (const auto& projection : projections) {
    auto* s = dynamic_cast<StaticProjection*>(projection.get());
    if (s != nullptr && s->fusable()) by_source[s->source()].push_back(s);
  }
  constexpr std::size_t kMax = kernels::HostDeliver::kMaxParts;
  for (const auto& [source, members] : by_source) {
    for (std::size_t first = 0; first + 1 < members.size(); first += kMax) {
      const std::size_t end = std::min(members.size(), first + kMax);
      fuse(std::vector<StaticProjection*>(members.begin() + first, members.begin() + end));
    }
  }
}

std::unique_ptr<Projection> make_projection(const network::NetworkSpec& net, int index,
                                            const partition::Partition& partition, int rank,
                                            NeuronGroup& target, PostHistories& histories,
                                            PostRates& rates, int interval_steps,
                                            const plasticity::LoweredPlasticity& lowered) {
  const network::ProjectionSpec& spec = net.projections[index];
  // Static projections with a constant weight store no per-synapse weight.
  using network::WeightStorage;
  const WeightStorage storage = spec.plasticity && spec.plasticity->double_weights
                                    ? WeightStorage::kDouble
                                    : WeightStorage::kFloat;
  network::SynapseTables tables = network::build_projection(net, index, partition, rank, storage);
  if (spec.plasticity && spec.plasticity->rule->spike_timing) {
    PlasticArgs args{net,
                     index,
                     std::move(tables),
                     target,
                     histories,
                     rates,
                     interval_steps,
                     lowered,
                     spec.plasticity->double_weights};
    return make_plastic_projection(args);
  }
  return std::make_unique<StaticProjection>(net, index, std::move(tables), target.ring(), rates);
}

}  // namespace spikeweave::engine
