#include "network/build.hpp"

#include "core/time_grid.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "core/random.hpp"

namespace spikeweave::network {
namespace {

using rng::Purpose;
using rng::Stream;

// Candidates for one neuron's partners: the other population's node ids, minus the neuron
// itself when autapses are excluded (index i >= self maps to i + 1, so no redraw is needed).
struct Candidates {
  std::uint64_t count = 0;
  bool skip_self = false;
  NodeId self = 0;
  NodeId node(std::uint64_t i) const { return (skip_self && i >= self) ? i + 1 : i; }
};

Candidates candidates_for(std::uint64_t population_size, bool same_population, bool allow_autapses,
                          NodeId self) {
  Candidates c;
  c.skip_self = same_population && !allow_autapses;
  c.count = population_size - (c.skip_self ? 1 : 0);
  c.self = self;
  return c;
}

// Emits `k` partners drawn uniformly from the candidates, with or without repetition.
// Without repetition this is Floyd's algorithm: exactly k draws, membership in a bitmap that is
// cleared again before returning.
template <class Emit>
void draw_k(Stream& stream, const Candidates& c, std::uint64_t k, bool allow_multapses,
            std::vector<std::uint8_t>& bitmap, std::vector<std::uint32_t>& picked, Emit&& emit) {
  if (k == 0 || c.count == 0) return;
  const auto n = static_cast<std::uint32_t>(c.count);
  if (allow_multapses) {
    for (std::uint64_t i = 0; i < k; ++i) emit(c.node(stream.below(n)));
    return;
  }
  picked.clear();
  for (std::uint64_t j = c.count - k; j < c.count; ++j) {
    auto t = stream.below(static_cast<std::uint32_t>(j + 1));
    if (bitmap[t]) t = static_cast<std::uint32_t>(j);
    bitmap[t] = 1;
    picked.push_back(t);
  }
  for (std::uint32_t t : picked) {
    bitmap[t] = 0;
    emit(c.node(t));
  }
}

// Emits each candidate with probability p, skipping geometrically distributed gaps.
template <class Emit>
void draw_bernoulli(Stream& stream, const Candidates& c, double p, Emit&& emit) {
  if (p <= 0.0) return;
  if (p >= 1.0) {
    for (std::uint64_t i = 0; i < c.count; ++i) emit(c.node(i));
    return;
  }
  const double log_q = std::log1p(-p);
  double position = -1.0;
  for (;;) {
    position += 1.0 + std::floor(std::log(stream.uniform()) / log_q);
    if (position >= static_cast<double>(c.count)) return;
    emit(c.node(static_cast<std::uint64_t>(position)));
  }
}

struct Context {
  const NetworkSpec& net;
  const ProjectionSpec& proj;
  const PopulationSpec& source;
  const PopulationSpec& target;
  int index;
  std::uint64_t seed;
  const std::vector<Gid>& local_targets;  // gids, increasing
  const partition::Partition& partition;
  int rank;
};

// Calls begin_owner(owner_gid) for each neuron whose stream drives the draws, then
// pair(source_node, target_local) for every synapse, with target_local < 0 for synapses whose
// target lives on another rank (only fixed_outdegree draws those).
template <class BeginOwner, class Pair>
void for_each_pair(const Context& cx, std::vector<std::uint8_t>& bitmap,
                   std::vector<std::uint32_t>& picked, BeginOwner&& begin_owner, Pair&& pair) {
  const ConnectSpec& c = cx.proj.connect;
  const bool same = cx.proj.source == cx.proj.target;
  if (c.rule == ConnectRule::kFixedOutdegree) {
    for (NodeId s = 0; s < cx.source.size; ++s) {
      const Gid source_gid = cx.source.first_gid + s;
      begin_owner(source_gid);
      Stream stream(cx.seed, Purpose::kConnectivity, static_cast<std::uint32_t>(cx.index),
                    static_cast<std::uint32_t>(source_gid), 0);
      const Candidates cand = candidates_for(cx.target.size, same, c.allow_autapses, s);
      draw_k(stream, cand, c.count, c.allow_multapses, bitmap, picked, [&](NodeId t) {
        const Gid target_gid = cx.target.first_gid + t;
        const bool local = partition::owner(cx.partition, target_gid) == cx.rank;
        pair(s, local ? static_cast<std::int64_t>(
                            partition::local_index(cx.partition, target_gid, cx.target.first_gid))
                      : std::int64_t{-1});
      });
    }
    return;
  }
  std::vector<std::uint32_t> per_target;
  if (c.rule == ConnectRule::kFixedTotalNumber) {
    per_target = total_number_split(cx.seed, cx.index, c.count, cx.target.size);
  }
  for (std::size_t j = 0; j < cx.local_targets.size(); ++j) {
    const Gid target_gid = cx.local_targets[j];
    const NodeId t = target_gid - cx.target.first_gid;
    begin_owner(target_gid);
    Stream stream(cx.seed, Purpose::kConnectivity, static_cast<std::uint32_t>(cx.index),
                  static_cast<std::uint32_t>(target_gid), 0);
    const Candidates cand = candidates_for(cx.source.size, same, c.allow_autapses, t);
    auto emit = [&](NodeId s) { pair(s, static_cast<std::int64_t>(j)); };
    switch (c.rule) {
      case ConnectRule::kFixedIndegree:
        draw_k(stream, cand, c.count, c.allow_multapses, bitmap, picked, emit);
        break;
      case ConnectRule::kFixedTotalNumber:
        if (!c.allow_multapses && per_target[t] > cand.count) {
          throw ConfigError(cx.proj.key + ".connect.n",
                            "target " + std::to_string(t) + " drew " +
                                std::to_string(per_target[t]) +
                                " synapses, more than its distinct sources; allow multapses");
        }
        draw_k(stream, cand, per_target[t], c.allow_multapses, bitmap, picked, emit);
        break;
      case ConnectRule::kPairwiseBernoulli:
        draw_bernoulli(stream, cand, c.probability, emit);
        break;
      case ConnectRule::kOneToOne:
        if (!(same && !c.allow_autapses)) emit(t);
        break;
      case ConnectRule::kAllToAll:
        for (std::uint64_t i = 0; i < cand.count; ++i) emit(cand.node(i));
        break;
      case ConnectRule::kFixedOutdegree:
        break;
    }
  }
}

std::uint16_t delay_steps(double delay_ms, double dt_ms) {
  return static_cast<std::uint16_t>(
      std::clamp<Step>(time_to_nearest_step(delay_ms, dt_ms), 1, 65535));
}

void split_node(std::uint64_t seed, int projection, std::uint64_t lo, std::uint64_t hi,
                std::uint64_t total, std::vector<std::uint32_t>& counts) {
  if (total == 0) return;
  if (hi - lo == 1) {
    if (total > UINT32_MAX) throw ConfigError("connect.n", "too many synapses onto one neuron");
    counts[lo] = static_cast<std::uint32_t>(total);
    return;
  }
  const std::uint64_t mid = lo + (hi - lo) / 2;
  Stream stream(seed, Purpose::kTotalNumber, static_cast<std::uint32_t>(projection),
                static_cast<std::uint32_t>(lo), static_cast<std::uint32_t>(hi));
  const std::uint64_t left =
      rng::binomial(stream, total, static_cast<double>(mid - lo) / static_cast<double>(hi - lo));
  split_node(seed, projection, lo, mid, left, counts);
  split_node(seed, projection, mid, hi, total - left, counts);
}

// A host view holding a copy of `values`, backed by transparent huge pages where the system
// grants them (advised before the first write, which is when pages are assigned).
template <class T>
HostView<T*> huge_page_copy(const std::vector<T>& values, const std::string& label) {
  HostView<T*> view(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), values.size());
  advise_huge_pages(view.data(), values.size() * sizeof(T));
  std::copy(values.begin(), values.end(), view.data());
  return view;
}

}  // namespace

std::uint64_t SynapseTables::bytes() const {
  return row_source.span() * sizeof(std::uint32_t) + row_begin.span() * sizeof(std::uint64_t) +
         segment_delay.span() * sizeof(std::uint16_t) +
         segment_begin.span() * sizeof(std::uint64_t) + target.span() * sizeof(std::uint32_t) +
         weight.span() * sizeof(float) + weight_double.span() * sizeof(double);
}

std::vector<std::uint32_t> total_number_split(std::uint64_t seed, int projection,
                                              std::uint64_t total, std::uint64_t targets) {
  std::vector<std::uint32_t> counts(targets, 0);
  if (targets > 0) split_node(seed, projection, 0, targets, total, counts);
  return counts;
}

std::vector<LocalPopulation> local_populations(const NetworkSpec& net,
                                               const partition::Partition& p, int rank) {
  std::vector<LocalPopulation> out;
  for (const PopulationSpec& pop : net.populations) {
    out.push_back({partition::owned_gids(p, rank, pop.first_gid, pop.first_gid + pop.size)});
  }
  return out;
}

SynapseTables build_projection(const NetworkSpec& net, int index, const partition::Partition& p,
                               int rank, WeightStorage storage) {
  const ProjectionSpec& proj = net.projections.at(index);
  const PopulationSpec& source = net.populations[proj.source];
  const PopulationSpec& target = net.populations[proj.target];
  const std::vector<Gid> local_targets =
      partition::owned_gids(p, rank, target.first_gid, target.first_gid + target.size);
  const Context cx{net, proj, source, target, index, net.simulation.seed, local_targets, p, rank};
  std::vector<std::uint8_t> bitmap(std::max(source.size, target.size), 0);
  std::vector<std::uint32_t> picked;

  // Pass 1: count the local synapses of every source. Drawing twice instead of storing pairs
  // keeps the peak memory of construction at the size of the final tables.
  std::vector<std::uint32_t> per_source(source.size, 0);
  std::uint64_t total = 0;
  for_each_pair(
      cx, bitmap, picked, [](Gid) {},
      [&](NodeId s, std::int64_t local) {
        if (local >= 0) {
          if (per_source[s] == UINT32_MAX) {
            throw ConfigError(proj.key, "a source has more than 2^32 synapses on one rank");
          }
          ++per_source[s];
          ++total;
        }
      });

  SynapseTables tables;
  tables.synapses = total;
  std::uint64_t rows = 0;
  for (std::uint32_t count : per_source) rows += count > 0 ? 1 : 0;
  tables.row_source = HostView<std::uint32_t*>(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, proj.name + ".row_source"), rows);
  std::vector<std::uint64_t> row_cursor(rows + 1, 0);
  {
    std::uint64_t row = 0, offset = 0;
    for (NodeId s = 0; s < source.size; ++s) {
      if (per_source[s] == 0) continue;
      tables.row_source(row) = static_cast<std::uint32_t>(s);
      row_cursor[row] = offset;
      offset += per_source[s];
      per_source[s] = static_cast<std::uint32_t>(row);  // from here on: the row of source s
      ++row;
    }
    row_cursor[rows] = offset;
  }
  const std::vector<std::uint64_t> row_synapse_begin = row_cursor;

  tables.target = HostView<std::uint32_t*>(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, proj.name + ".target"), total);
  advise_huge_pages(tables.target.data(), total * sizeof(std::uint32_t));
  // A constant weight is stored once, also for plastic projections: they copy it into their own
  // per-synapse weights, and the construction saves the scattered writes.
  const bool homogeneous = proj.weight.is_constant();
  const bool in_double = !homogeneous && storage == WeightStorage::kDouble;
  if (homogeneous) {
    tables.homogeneous_weight = proj.weight.a;
  } else if (in_double) {
    tables.weight_double = HostView<double*>(
        Kokkos::view_alloc(Kokkos::WithoutInitializing, proj.name + ".weight"), total);
  } else {
    tables.weight = HostView<float*>(
        Kokkos::view_alloc(Kokkos::WithoutInitializing, proj.name + ".weight"), total);
    advise_huge_pages(tables.weight.data(), total * sizeof(float));
  }
  const bool constant_delay = proj.delay_ms.is_constant();
  const double dt = net.simulation.dt_ms;
  const std::uint16_t fixed_delay = delay_steps(proj.delay_ms.a, dt);
  std::vector<std::uint16_t> delays(constant_delay ? 0 : total);

  // Pass 2: the same draws again, now with weights and delays, written into the rows.
  Stream weight_stream(0, Purpose::kWeight, 0, 0, 0);
  Stream delay_stream(0, Purpose::kDelay, 0, 0, 0);
  const std::string weight_key = proj.key + "." + target.model->weight_key();
  const std::string delay_key = proj.key + ".delay_ms";
  for_each_pair(
      cx, bitmap, picked,
      [&](Gid owner) {
        weight_stream = Stream(cx.seed, Purpose::kWeight, static_cast<std::uint32_t>(index),
                               static_cast<std::uint32_t>(owner), 0);
        delay_stream = Stream(cx.seed, Purpose::kDelay, static_cast<std::uint32_t>(index),
                              static_cast<std::uint32_t>(owner), 0);
      },
      [&](NodeId s, std::int64_t local) {
        // Draw for every pair, local or not, so each stream advances identically on every rank.
        const double w =
            homogeneous ? 0.0
            : proj.weight_matrix
                ? (local < 0 ? 0.0
                             : proj.weight_matrix->at(
                                   s, cx.local_targets[static_cast<std::size_t>(local)] -
                                          target.first_gid))
                : proj.weight.sample(weight_stream, weight_key);
        const double d = constant_delay ? 0.0 : proj.delay_ms.sample(delay_stream, delay_key);
        if (local < 0) return;
        const std::uint64_t pos = row_cursor[per_source[s]]++;
        tables.target(pos) = static_cast<std::uint32_t>(local);
        if (in_double) {
          tables.weight_double(pos) = w;
        } else if (!homogeneous) {
          tables.weight(pos) = static_cast<float>(w);
        }
        if (!constant_delay) delays[pos] = delay_steps(d, dt);
      });

  // Segments: runs of equal delay inside each row (one per row when the delay is constant).
  std::vector<std::uint64_t> row_segments(rows + 1, 0);
  std::vector<std::uint16_t> segment_delay;
  std::vector<std::uint64_t> segment_begin;
  if (constant_delay) {
    for (std::uint64_t r = 0; r <= rows; ++r) row_segments[r] = r;
    segment_delay.assign(rows, fixed_delay);
    segment_begin = row_synapse_begin;
  } else {
    std::vector<std::uint64_t> order;
    std::vector<std::uint32_t> scratch_target;
    std::vector<double> scratch_weight;
    for (std::uint64_t r = 0; r < rows; ++r) {
      const std::uint64_t begin = row_synapse_begin[r], end = row_synapse_begin[r + 1];
      order.resize(end - begin);
      std::iota(order.begin(), order.end(), begin);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::uint64_t a, std::uint64_t b) { return delays[a] < delays[b]; });
      scratch_target.resize(order.size());
      scratch_weight.resize(order.size());
      for (std::size_t i = 0; i < order.size(); ++i) {
        scratch_target[i] = tables.target(order[i]);
        if (!homogeneous) scratch_weight[i] = tables.weight_at(order[i]);
      }
      std::vector<std::uint16_t> sorted_delays(order.size());
      for (std::size_t i = 0; i < order.size(); ++i) sorted_delays[i] = delays[order[i]];
      row_segments[r] = segment_delay.size();
      for (std::size_t i = 0; i < order.size(); ++i) {
        tables.target(begin + i) = scratch_target[i];
        if (in_double) {
          tables.weight_double(begin + i) = scratch_weight[i];
        } else if (!homogeneous) {
          tables.weight(begin + i) = static_cast<float>(scratch_weight[i]);
        }
        if (i == 0 || sorted_delays[i] != sorted_delays[i - 1]) {
          segment_delay.push_back(sorted_delays[i]);
          segment_begin.push_back(begin + i);
        }
      }
    }
    row_segments[rows] = segment_delay.size();
    segment_begin.push_back(total);
  }
  // Delivery reads these at random (one row per received spike): huge pages spare the TLB.
  tables.row_begin = huge_page_copy(row_segments, proj.name + ".row_begin");
  tables.segment_delay = huge_page_copy(segment_delay, proj.name + ".segment_delay");
  tables.segment_begin = huge_page_copy(segment_begin, proj.name + ".segment_begin");
  return tables;
}

}  // namespace spikeweave::network
