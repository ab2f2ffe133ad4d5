// The per-step kernels' fast paths against their plain definitions: the chunked (vectorised) LIF
// loops give bitwise the same states as one neuron at a time wherever a chunk starts (so results
// cannot depend on the partition), word-wise spike compaction lists exactly the set flags, and
// static delivery adds exactly the same input and counts the same events whichever way threads
// own the ring (one thread, target blocks, atomics per team).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/compact.hpp"
#include "kernels/deliver.hpp"
#include "kernels/direct_rows.hpp"
#include "kernels/fused_deliver.hpp"
#include "kernels/slot_segments.hpp"
#include "model/lif/lif_update.hpp"

namespace spikeweave::kernels {
namespace {

using ModelKind = model::LifVariant;

struct Snapshot {
  std::vector<double> v, i_ex, i_in, di_ex, di_in;
  std::vector<std::int32_t> refractory;
  std::vector<std::uint8_t> fired;
  std::vector<std::int64_t> ring;
};

template <class T>
std::vector<T> to_host(const View<T*>& view) {
  std::vector<T> out(view.extent(0));
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = host(i);
  return out;
}

// A population of n neurons with random state and random inputs in every port of every slot.
template <class Update>
Update make_population(ModelKind kind, const model::LifParams& p, int n, unsigned seed) {
  Update u;
  u.q = model::lower_lif(p, kind, 0.1, "test");
  const int slots = 3;
  u.ring = InputRing("ring", kPortCount, slots, n);
  u.fired = FiredFlags("fired", 2, n);
  u.s.v_rel_mv = View<double*>("v", n);
  u.s.refractory_steps = View<std::int32_t*>("r", n);
  u.s.i_syn_ex_pa = View<double*>("iex", n);
  u.s.i_syn_in_pa = View<double*>("iin", n);
  u.s.di_syn_ex = View<double*>("diex", n);
  u.s.di_syn_in = View<double*>("diin", n);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> v(-5.0, 16.0), g(0.0, 40.0), w(-30.0, 30.0);
  std::uniform_int_distribution<int> r(0, 3);
  auto fill = [&](const View<double*>& view, std::uniform_real_distribution<double>& d) {
    auto h = Kokkos::create_mirror_view(view);
    for (int i = 0; i < n; ++i) h(i) = d(rng);
    Kokkos::deep_copy(view, h);
  };
  fill(u.s.v_rel_mv, v);
  fill(u.s.i_syn_ex_pa, g);
  fill(u.s.i_syn_in_pa, g);
  fill(u.s.di_syn_ex, g);
  fill(u.s.di_syn_in, g);
  auto rh = Kokkos::create_mirror_view(u.s.refractory_steps);
  for (int i = 0; i < n; ++i) rh(i) = r(rng) == 0 ? r(rng) : 0;
  Kokkos::deep_copy(u.s.refractory_steps, rh);
  auto ring = Kokkos::create_mirror_view(u.ring);
  for (int port = 0; port < kPortCount; ++port) {
    for (int slot = 0; slot < slots; ++slot) {
      for (int i = 0; i < n; ++i) {
        const double x = w(rng);
        ring(port, slot, i) = to_fixed(port == kPortInhibitory ? -std::abs(x) : x);
      }
    }
  }
  Kokkos::deep_copy(u.ring, ring);
  return u;
}

template <class Update>
Snapshot snapshot(const Update& u) {
  Snapshot s{to_host(u.s.v_rel_mv),
             to_host(u.s.i_syn_ex_pa),
             to_host(u.s.i_syn_in_pa),
             to_host(u.s.di_syn_ex),
             to_host(u.s.di_syn_in),
             to_host(u.s.refractory_steps),
             {},
             {}};
  auto fired = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u.fired);
  s.fired.assign(fired.data(), fired.data() + fired.size());
  auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), u.ring);
  s.ring.assign(ring.data(), ring.data() + ring.size());
  return s;
}

bool bitwise_equal(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// Steps a population `steps` times three ways: chunked (run_lif_update), one neuron per
// iteration (operator()), and in ranges that start at odd places; all three agree bitwise.
template <class Update>
void expect_chunking_invisible(ModelKind kind, const model::LifParams& p) {
  const int n = 1037;  // not a multiple of the chunk or of any vector width
  Update chunked = make_population<Update>(kind, p, n, 7);
  Update single = make_population<Update>(kind, p, n, 7);
  Update ranges = make_population<Update>(kind, p, n, 7);
  const std::vector<int> cuts = {0, 1, 5, 13, 300, 301, 777, n};
  int spikes = 0;
  for (int step = 0; step < 60; ++step) {
    for (Update* u : {&chunked, &single, &ranges}) {
      u->slot = step % 3;
      u->lag = step % 2;
    }
    run_lif_update(chunked, n);
    Kokkos::parallel_for(Kokkos::RangePolicy<ExecSpace>(0, n), single);
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const Update copy = ranges;
      const int begin = cuts[c], end = cuts[c + 1];
      Kokkos::parallel_for(
          Kokkos::RangePolicy<ExecSpace>(0, 1), KOKKOS_LAMBDA(int) { copy.range(begin, end); });
    }
    Kokkos::fence();
    const Snapshot a = snapshot(chunked), b = snapshot(single), c = snapshot(ranges);
    for (const Snapshot* other : {&b, &c}) {
      ASSERT_TRUE(bitwise_equal(a.v, other->v)) << "step " << step;
      ASSERT_TRUE(bitwise_equal(a.i_ex, other->i_ex)) << "step " << step;
      ASSERT_TRUE(bitwise_equal(a.i_in, other->i_in)) << "step " << step;
      ASSERT_TRUE(bitwise_equal(a.di_ex, other->di_ex)) << "step " << step;
      ASSERT_TRUE(bitwise_equal(a.di_in, other->di_in)) << "step " << step;
      ASSERT_EQ(a.refractory, other->refractory) << "step " << step;
      ASSERT_EQ(a.fired, other->fired) << "step " << step;
      ASSERT_EQ(a.ring, other->ring) << "step " << step;
    }
    for (int i = 0; i < n; ++i) spikes += a.fired[static_cast<std::size_t>(step % 2) * n + i];
  }
  // The comparison means something only if neurons fired and were refractory.
  EXPECT_GT(spikes, 50);
}

model::LifParams test_params() {
  model::LifParams p;
  p.tau_m_ms = 10.0;
  p.tau_syn_ex_ms = 0.5;
  p.tau_syn_in_ms = 2.0;
  p.e_l_mv = 0.0;
  p.v_th_mv = 15.0;
  p.v_reset_mv = 0.0;
  p.t_ref_ms = 0.3;
  p.i_e_pa = 300.0;
  p.v_min_mv = -3.0;
  return p;
}

TEST(ChunkedLifUpdate, PscDeltaIsBitwiseIndependentOfChunking) {
  expect_chunking_invisible<LifPscDeltaUpdate>(ModelKind::kPscDelta, test_params());
}

TEST(ChunkedLifUpdate, PscExpIsBitwiseIndependentOfChunking) {
  expect_chunking_invisible<LifPscExpUpdate>(ModelKind::kPscExp, test_params());
}

TEST(ChunkedLifUpdate, PscAlphaIsBitwiseIndependentOfChunking) {
  expect_chunking_invisible<LifPscAlphaUpdate>(ModelKind::kPscAlpha, test_params());
}

// Conductance-based parameters for lif_cond_exp (reversal potentials relative to e_l).
model::LifParams cond_exp_params() {
  model::LifParams p = test_params();
  p.c_m_pf = 200.0;
  p.g_l_ns = 10.0;
  p.tau_m_ms = p.c_m_pf / p.g_l_ns;
  p.e_ex_mv = 60.0;
  p.e_in_mv = -20.0;
  p.tau_syn_ex_ms = 5.0;
  p.tau_syn_in_ms = 10.0;
  return p;
}

TEST(ChunkedLifUpdate, CondExpBothIntegratorsAreBitwiseIndependentOfChunking) {
  model::LifParams p = cond_exp_params();
  p.exponential_euler = false;
  expect_chunking_invisible<LifCondExpUpdate>(ModelKind::kCondExp, p);
  p.exponential_euler = true;
  expect_chunking_invisible<LifCondExpUpdate>(ModelKind::kCondExp, p);
}

// One parallel region per interval (each chunk through every lag, run_chunked_interval) against
// one region per step (run_lif_update per lag): the same state, fired flags and ring, bitwise.
template <class Update>
void expect_interval_equals_steps(ModelKind kind, const model::LifParams& p) {
  const int n = 1037, lags = 2, slots = 3;  // make_population: 3 ring slots, 2 fired rows
  Update by_step = make_population<Update>(kind, p, n, 9);
  Update by_interval = make_population<Update>(kind, p, n, 9);
  int spikes = 0;
  for (int first = 0; first < 60; first += lags) {
    for (int lag = 0; lag < lags; ++lag) {
      by_step.slot = (first + lag) % slots;
      by_step.lag = lag;
      run_lif_update(by_step, n);
    }
    run_chunked_interval(by_interval, n, first, lags, slots);
    Kokkos::fence();
    const Snapshot a = snapshot(by_step), b = snapshot(by_interval);
    ASSERT_TRUE(bitwise_equal(a.v, b.v)) << "interval at " << first;
    ASSERT_TRUE(bitwise_equal(a.i_ex, b.i_ex)) << "interval at " << first;
    ASSERT_TRUE(bitwise_equal(a.di_ex, b.di_ex)) << "interval at " << first;
    ASSERT_EQ(a.refractory, b.refractory) << "interval at " << first;
    ASSERT_EQ(a.fired, b.fired) << "interval at " << first;
    ASSERT_EQ(a.ring, b.ring) << "interval at " << first;
    for (std::uint8_t f : a.fired) spikes += f;
  }
  EXPECT_GT(spikes, 50);  // neurons fired and were refractory inside intervals
}

TEST(IntervalLifUpdate, PscAlphaEqualsStepByStep) {
  expect_interval_equals_steps<LifPscAlphaUpdate>(ModelKind::kPscAlpha, test_params());
}

TEST(IntervalLifUpdate, CondExpEqualsStepByStep) {
  expect_interval_equals_steps<LifCondExpUpdate>(ModelKind::kCondExp, cond_exp_params());
}

TEST(Compaction, WordWiseScanListsExactlyTheSetFlagsOfAnyValue) {
  for (const int n : {1, 7, 8, 9, 1000, 1003}) {
    const int lags = 5;
    FiredFlags fired("fired", lags, n);
    auto host = Kokkos::create_mirror_view(fired);
    std::mt19937 rng(static_cast<unsigned>(n));
    std::vector<std::uint64_t> expected;
    for (int lag = 0; lag < lags; ++lag) {
      for (int i = 0; i < n; ++i) {
        const unsigned x = rng() % 40;
        // Any non-zero byte is a spike; runs of set flags cross word boundaries.
        host(lag, i) = x == 0 ? 1 : x == 1 ? 2 : x == 2 ? 255 : (x < 6 && i % 9 < 4) ? 1 : 0;
        if (host(lag, i)) expected.push_back(pack_local_spike(i, lag));
      }
    }
    Kokkos::deep_copy(fired, host);
    View<std::uint64_t*> out("out", 1);
    for (int used = 1; used <= lags; ++used) {
      const std::size_t count = compact_spikes(fired, used, out);
      const std::size_t want = static_cast<std::size_t>(
          std::count_if(expected.begin(), expected.end(),
                        [&](std::uint64_t s) { return static_cast<int>(s & 0xFF) < used; }));
      ASSERT_EQ(count, want) << "n " << n << " lags " << used;
      auto result = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), out);
      for (std::size_t k = 0; k < count; ++k) ASSERT_EQ(result(k), expected[k]) << "n " << n;
    }
  }
}

// Random synapse tables: `rows` rows (a random subset of `slots` receive slots), each row split
// into segments of increasing delay (all of delay 3 when `uniform`), each segment's targets
// increasing (as network/build.cpp writes them); per-synapse weights unless `homogeneous`.
// Static delivery's slot table indexes segments (`by_synapse` false) or synapses.
DeviceSynapses random_synapses(std::mt19937& rng, std::uint32_t slots, std::uint32_t targets,
                               bool homogeneous, bool uniform = false, bool by_synapse = false) {
  std::vector<std::uint32_t> slot_row(slots, DeviceSynapses::kNoRow);
  std::vector<std::uint64_t> row_begin{0}, segment_begin{0};
  std::vector<std::uint16_t> segment_delay;
  std::vector<std::uint32_t> target;
  std::vector<float> weight;
  std::uint32_t rows = 0;
  for (std::uint32_t s = 0; s < slots; ++s) {
    if (rng() % 4 == 0) continue;  // a source with no synapse in this projection
    slot_row[s] = rows++;
    for (std::uint16_t delay = uniform ? 3 : 1; delay <= (uniform ? 3 : 4); ++delay) {
      if (!uniform && rng() % 2 == 0) continue;
      for (std::uint32_t t = 0; t < targets; ++t) {
        if (rng() % 3 != 0) continue;
        target.push_back(t);
        weight.push_back(static_cast<float>(rng() % 1000) * 0.01f - 3.0f);
      }
      segment_delay.push_back(delay);
      segment_begin.push_back(target.size());
    }
    row_begin.push_back(segment_delay.size());
  }
  auto device = [](const auto& v, const char* name) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    View<T*> view(std::string(name), v.size());
    auto host = Kokkos::create_mirror_view(view);
    std::copy(v.begin(), v.end(), host.data());
    Kokkos::deep_copy(view, host);
    return View<const T*>(view);
  };
  DeviceSynapses d;
  d.slot_row = device(slot_row, "slot_row");
  d.row_begin = device(row_begin, "row_begin");
  d.segment_delay = device(segment_delay, "segment_delay");
  d.segment_begin = device(segment_begin, "segment_begin");
  d.target = device(target, "target");
  d.homogeneous = homogeneous;
  d.homogeneous_weight = 0.37f;
  if (!homogeneous) d.weight = device(weight, "weight");
  d.rows = rows;
  d.slot_segment =
      make_slot_segments(d.slot_row, d.row_begin, d.segment_begin, by_synapse, "slot_segment");
  d.uniform_delay = by_synapse ? uniform_segment_delay(d.segment_delay) : -1;
  return d;
}

// Spike words of every slot at one or two lags, a source's spikes together and in lag order,
// on the device.
View<const std::uint64_t*> every_slot_spikes(std::uint32_t slots,
                                             std::vector<std::uint64_t>& words) {
  for (std::uint32_t s = 0; s < slots; ++s) {
    words.push_back(comm::pack_spike(s, static_cast<int>(s % 3)));
    if (s % 5 == 0) words.push_back(comm::pack_spike(s, 2));
  }
  View<std::uint64_t*> spikes("spikes", words.size());
  auto host_spikes = Kokkos::create_mirror_view(spikes);
  std::copy(words.begin(), words.end(), host_spikes.data());
  Kokkos::deep_copy(spikes, host_spikes);
  return spikes;
}

// The ring after delivering `words` through `deliver` (one thread).
std::vector<std::int64_t> delivered_ring(StaticDeliver deliver, std::size_t words,
                                         std::uint32_t targets, std::uint64_t& events) {
  deliver.ring = InputRing("ring", kPortCount, deliver.slots, targets);
  deliver.ownership = Ownership::kOneThread;
  events = deliver.run(words);
  auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver.ring);
  return std::vector<std::int64_t>(ring.data(), ring.data() + ring.span());
}

// With one delay throughout, the slot table may index synapses directly (one cold load fewer):
// that path adds exactly what the segment path adds, in more than 32 spikes (several groups).
TEST(Delivery, UniformDelayBySynapseEqualsBySegment) {
  const std::uint32_t slots = 90, targets = 29;
  for (const bool homogeneous : {true, false}) {
    std::vector<std::uint64_t> words;
    std::vector<std::vector<std::int64_t>> rings;
    std::vector<std::uint64_t> events;
    for (const bool by_synapse : {false, true}) {
      std::mt19937 rng(5);  // the same tables both times
      StaticDeliver deliver;
      deliver.syn = random_synapses(rng, slots, targets, homogeneous, true, by_synapse);
      ASSERT_EQ(deliver.syn.uniform_delay, by_synapse ? 3 : -1);
      deliver.slots = 7;
      deliver.first_step = 41;
      deliver.targets = targets;
      words.clear();
      deliver.spikes = every_slot_spikes(slots, words);
      ASSERT_GT(words.size(), 2u * StaticDeliver::kGroup);
      events.push_back(0);
      rings.push_back(delivered_ring(deliver, words.size(), targets, events.back()));
    }
    EXPECT_GT(events[0], 0u);
    EXPECT_EQ(events[1], events[0]);
    EXPECT_EQ(rings[1], rings[0]) << "homogeneous " << homogeneous;
  }
}

// The interpolated, galloping cut finds what the binary search finds: every bound t in [0, n]
// of random non-decreasing target lists (repeats: multapses) of lengths 0-300, spread or bunched.
TEST(Delivery, BlockCutEqualsBinarySearch) {
  std::mt19937 rng(23);
  for (int trial = 0; trial < 300; ++trial) {
    const std::uint32_t n = 1 + rng() % 500;
    const std::size_t length = rng() % 301;
    const std::uint32_t span = trial % 3 == 0 ? 1 + n / 8 : n;  // bunched near 0, or spread
    std::vector<std::uint32_t> targets(length + 2);
    for (std::size_t k = 1; k <= length; ++k) targets[k] = rng() % span;
    std::sort(targets.begin() + 1, targets.begin() + 1 + static_cast<long>(length));
    const std::uint64_t begin = 1, end = 1 + length;  // not at the array's start
    for (std::uint32_t t = 0; t <= n; ++t) {
      ASSERT_EQ(find_block_cut(targets.data(), begin, end, t, n),
                first_target_at_least(targets.data(), begin, end, t))
          << "trial " << trial << " n " << n << " length " << length << " t " << t;
    }
  }
}

// One source population's projections delivered together from an interleaved slot table add
// to each target ring exactly what each projection adds alone, and count the same events: parts
// with a uniform delay (slot table of synapses), drawn delays (of segments), per-synapse and
// constant weights, different target counts; one thread and target blocks.
TEST(Delivery, FusedPartsAddWhatEachPartAddsAlone) {
  const std::uint32_t slots = 150;
  const std::uint32_t targets[3] = {29, 7, 64};
  std::mt19937 rng(17);
  StaticDeliver alone[3];
  alone[0].syn = random_synapses(rng, slots, targets[0], false, true, true);
  alone[1].syn = random_synapses(rng, slots, targets[1], true);
  alone[2].syn = random_synapses(rng, slots, targets[2], false);
  std::vector<std::uint64_t> words;
  const View<const std::uint64_t*> spikes = every_slot_spikes(slots, words);
  ASSERT_GT(words.size(), 3u * StaticDeliver::kGroup);
  std::vector<std::vector<std::int64_t>> expected;
  std::uint64_t expected_events = 0;
  std::vector<View<const std::uint32_t*>> tables;
  for (int p = 0; p < 3; ++p) {
    alone[p].slots = 9;
    alone[p].first_step = 77;
    alone[p].targets = targets[p];
    alone[p].port = p % 2;
    alone[p].spikes = spikes;
    std::uint64_t events = 0;
    expected.push_back(delivered_ring(alone[p], words.size(), targets[p], events));
    expected_events += events;
    tables.push_back(alone[p].syn.slot_segment);
  }
  ASSERT_GT(expected_events, 0u);
  for (const int blocks : {1, 3}) {
    HostDeliver fused;
    fused.n_parts = 3;
    fused.blocks = blocks;
    fused.slot_entries = interleave_slot_tables(tables, "entries");
    for (int p = 0; p < 3; ++p) {
      fused.parts[p] = alone[p];
      fused.parts[p].syn.slot_segment = {};  // the interleaved table only
      fused.parts[p].ring = InputRing("ring", kPortCount, alone[p].slots, targets[p]);
    }
    fused.spikes = spikes;
    EXPECT_EQ(fused.run(words.size(), 77), expected_events) << "blocks " << blocks;
    for (int p = 0; p < 3; ++p) {
      auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), fused.parts[p].ring);
      EXPECT_EQ(std::vector<std::int64_t>(ring.data(), ring.data() + ring.span()), expected[p])
          << "part " << p << " blocks " << blocks;
    }
  }
}

// check_direct_rows with the rows ordered by `row_blocks` target blocks.
template <class Word>
void check_direct_rows_of(const StaticDeliver (&alone)[3],
                          const std::vector<View<const std::uint32_t*>>& tables,
                          const std::vector<View<const std::uint32_t*>>& part_targets,
                          const std::vector<std::uint64_t>& words,
                          const std::vector<std::vector<std::int64_t>>& expected,
                          const std::uint64_t expected_events, const int row_blocks) {
  const std::uint32_t slots = static_cast<std::uint32_t>(tables[0].extent(0) - 1);
  const std::uint32_t targets[3] = {alone[0].targets, alone[1].targets, alone[2].targets};
  std::uint64_t largest = 0;
  std::vector<std::uint64_t> filled;
  const std::uint64_t entries = DirectRowsLayout::entries(tables, row_blocks, largest, filled);
  ASSERT_LE(largest, 65535u);
  View<Word*> rows("rows", entries);
  const std::vector<std::uint32_t> row_keys = DirectRowsLayout::fill(
      tables, part_targets, std::vector<std::uint32_t>(targets, targets + 3), row_blocks, rows);
  ASSERT_EQ(row_keys.size(), slots);
  // A key is its row's offset, doubled, plus 1 where the row's last entry lies in a later 64-byte
  // line than its first; rows follow one another.
  std::uint32_t spilling = 0;
  for (std::uint32_t s = 0; s < slots; ++s) {
    const std::uint64_t offset = direct_row_offset(row_keys[s]);
    const auto header = static_cast<std::uint64_t>(3 * row_blocks);
    std::uint64_t length = header, run = offset + header;
    for (std::uint64_t i = 0; i < header; ++i) {
      // Run (b, p) holds part p's targets of block b, increasing.
      const int b = static_cast<int>(i / 3), p = static_cast<int>(i % 3);
      const std::uint64_t count = rows(offset + i);
      for (std::uint64_t j = run; j < run + count; ++j) {
        EXPECT_GE(static_cast<std::uint32_t>(rows(j)), block_bound(targets[p], b, row_blocks));
        EXPECT_LT(static_cast<std::uint32_t>(rows(j)), block_bound(targets[p], b + 1, row_blocks));
        if (j > run) {
          EXPECT_LE(rows(j - 1), rows(j));
        }
      }
      run += count;
      length += count;
    }
    const auto first = reinterpret_cast<std::uintptr_t>(&rows(offset));
    const auto last = reinterpret_cast<std::uintptr_t>(&rows(offset + length - 1));
    EXPECT_EQ(direct_row_spills(row_keys[s]), first / 64 != last / 64) << "slot " << s;
    spilling += direct_row_spills(row_keys[s]) ? 1 : 0;
    EXPECT_EQ(s + 1 < slots ? direct_row_offset(row_keys[s + 1]) : entries, offset + length);
  }
  EXPECT_GT(spilling, 0u);
  EXPECT_LT(spilling, slots);
  View<float*> row_weight("row_weight", entries);
  for (int p = 0; p < 3; ++p) {
    std::uint64_t walked = 0;
    // The part's non-empty rows (the engine's tables have no empty row; these may): synapse k
    // lies in the row-th of them (one delay: one segment per row).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> row_range;
    for (std::uint64_t r = 0; r < alone[p].syn.rows; ++r) {
      const std::uint64_t begin = alone[p].syn.segment_begin(alone[p].syn.row_begin(r));
      const std::uint64_t end = alone[p].syn.segment_begin(alone[p].syn.row_begin(r + 1));
      if (end > begin) row_range.emplace_back(begin, end);
    }
    EXPECT_EQ(filled[static_cast<std::size_t>(p)], row_range.size());
    DirectRowsLayout::for_each_synapse(
        rows, 3, row_blocks, p, [&](std::uint64_t row, std::uint64_t k, std::uint64_t position) {
          EXPECT_EQ(k, walked++);
          ASSERT_LT(row, row_range.size());
          EXPECT_TRUE(row_range[row].first <= k && k < row_range[row].second) << "synapse " << k;
          EXPECT_EQ(static_cast<std::uint32_t>(rows(position)), alone[p].syn.target(k));
          if (!alone[p].syn.homogeneous) row_weight(position) = alone[p].syn.weight(k);
        });
    EXPECT_EQ(walked, alone[p].syn.target.extent(0));
  }
  std::vector<std::uint64_t> keyed;
  for (std::uint64_t w : words) {
    keyed.push_back(comm::pack_spike(row_keys[comm::spike_key(w)], comm::spike_lag(w)));
  }
  View<std::uint64_t*> spikes("spikes", keyed.size());
  std::copy(keyed.begin(), keyed.end(), spikes.data());
  // Blocks own targets (searching for their cuts, or reading their runs of block-ordered rows)
  // or take shares of the spikes' lags (split: rows in part order, plain adds).
  for (const auto& [blocks, split] :
       {std::pair{1, false}, std::pair{3, false}, std::pair{3, true}}) {
    if (row_blocks != 1 && (blocks != row_blocks || split)) continue;
    DirectDeliver<Word> direct;
    direct.n_parts = 3;
    direct.blocks = blocks;
    direct.row_blocks = row_blocks;
    direct.split_spikes = split;
    direct.rows = rows;
    direct.row_weight = row_weight;
    for (int p = 0; p < 3; ++p) {
      auto& part = direct.parts[p];
      part.ring = InputRing("ring", kPortCount, alone[p].slots, targets[p]);
      part.port = alone[p].port;
      part.delay = alone[p].syn.uniform_delay;
      part.slots = alone[p].slots;
      part.weight = alone[p].syn.homogeneous_weight;
      part.row_weights = !alone[p].syn.homogeneous;
      part.targets = targets[p];
    }
    direct.spikes = spikes;
    EXPECT_EQ(direct.run(keyed.size(), 77), expected_events)
        << "blocks " << blocks << " split " << split;
    for (int p = 0; p < 3; ++p) {
      auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), direct.parts[p].ring);
      EXPECT_EQ(std::vector<std::int64_t>(ring.data(), ring.data() + ring.span()), expected[p])
          << "part " << p << " blocks " << blocks << " split " << split;
    }
  }
}

// Direct rows (kernels/direct_rows.hpp) hold one source population's static projections with
// a uniform delay: delivered with spikes keyed by their rows' keys they add to each ring exactly
// what each projection adds alone through its slot table, and count the same events; 16- and 32-bit
// targets, one thread and target blocks, constant and per-synapse weights (the row-ordered
// copy set between runs), rows in part order and ordered by target block. The walk over a
// part's synapses gives back its targets in order.
template <class Word>
void check_direct_rows() {
  const std::uint32_t slots = 150;
  const std::uint32_t targets[3] = {29, 7, 64};
  std::mt19937 rng(31);
  StaticDeliver alone[3];
  for (int p = 0; p < 3; ++p) {
    alone[p].syn = random_synapses(rng, slots, targets[p], p != 1, true, true);
    alone[p].slots = 9;
    alone[p].first_step = 77;
    alone[p].targets = targets[p];
    alone[p].port = p % 2;
  }
  std::vector<std::uint64_t> words;
  alone[0].spikes = alone[1].spikes = alone[2].spikes = every_slot_spikes(slots, words);
  ASSERT_GT(words.size(), 3u * DirectDeliver<Word>::kGroup);
  std::vector<std::vector<std::int64_t>> expected;
  std::uint64_t expected_events = 0;
  std::vector<View<const std::uint32_t*>> tables;
  std::vector<View<const std::uint32_t*>> part_targets;
  for (int p = 0; p < 3; ++p) {
    std::uint64_t events = 0;
    expected.push_back(delivered_ring(alone[p], words.size(), targets[p], events));
    expected_events += events;
    tables.push_back(alone[p].syn.slot_segment);
    part_targets.push_back(alone[p].syn.target);
  }
  ASSERT_GT(expected_events, 0u);
  // Rows in part order (row_blocks 1: delivered by 1 or 3 blocks, which search for their cuts)
  // and ordered by 3 target blocks (delivered by 3 blocks, which read their runs).
  for (const int row_blocks : {1, 3}) {
    SCOPED_TRACE("row_blocks " + std::to_string(row_blocks));
    check_direct_rows_of<Word>(alone, tables, part_targets, words, expected, expected_events,
                               row_blocks);
  }
}

TEST(Delivery, DirectRowsAddWhatTheSlotTablesAdd16) {
  check_direct_rows<std::uint16_t>();
}
TEST(Delivery, DirectRowsAddWhatTheSlotTablesAdd32) {
  check_direct_rows<std::uint32_t>();
}

// Rows are ordered by target block only for more than one block and where their mean length is
// at least 16 times the header that needs (parts x blocks counts).
TEST(Delivery, RowsAreOrderedByBlockOnlyWhereTheyAreLong) {
  EXPECT_EQ(choose_row_blocks(1000000, 100, 2, 1), 1);
  EXPECT_EQ(choose_row_blocks(16 * 2 * 4 * 100, 100, 2, 4), 4);
  EXPECT_EQ(choose_row_blocks(16 * 2 * 4 * 100 - 1, 100, 2, 4), 1);
  EXPECT_EQ(choose_row_blocks(11 * 11250, 11250, 2, 2), 1);        // P = 1024: 11 entries a row
  EXPECT_EQ(choose_row_blocks(11250ull * 11250, 11250, 2, 2), 2);  // scale 1, 1 rank
}

// Threads share the lags only with more than one thread, rows in part order and lags that own
// their ring slots.
TEST(Delivery, ThreadsShareTheLagsOnlyWhereRowsAreInPartOrderAndLagsOwnSlots) {
  EXPECT_FALSE(choose_split_spikes(1, 1, true));
  EXPECT_TRUE(choose_split_spikes(1, 2, true));
  EXPECT_FALSE(choose_split_spikes(2, 2, true));
  EXPECT_FALSE(choose_split_spikes(1, 2, false));
}

TEST(Delivery, EveryOwnershipAddsTheSameInputAndCountsTheSameEvents) {
  std::mt19937 rng(11);
  const std::uint32_t slots = 40, targets = 37;
  for (const bool homogeneous : {true, false}) {
    StaticDeliver deliver;
    deliver.syn = random_synapses(rng, slots, targets, homogeneous);
    deliver.slots = 7;
    deliver.first_step = 123;
    deliver.targets = targets;
    std::vector<std::uint64_t> words;
    deliver.spikes = every_slot_spikes(slots, words);
    std::vector<std::vector<std::int64_t>> rings;
    std::vector<std::uint64_t> events;
    for (const Ownership ownership :
         {Ownership::kOneThread, Ownership::kTargetBlocks, Ownership::kAtomic}) {
      for (const int blocks : {1, 3, 37}) {
        if (ownership != Ownership::kTargetBlocks && blocks > 1) continue;
        deliver.ring = InputRing("ring", kPortCount, deliver.slots, targets);
        deliver.ownership = ownership;
        deliver.blocks = blocks;
        events.push_back(deliver.run(words.size()));
        auto ring = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver.ring);
        rings.emplace_back(ring.data(), ring.data() + ring.span());
      }
    }
    std::uint64_t expected_events = 0;
    for (std::uint64_t w : words) {
      auto row_begin =
          Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver.syn.row_begin);
      auto segment_begin =
          Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver.syn.segment_begin);
      auto slot_row =
          Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), deliver.syn.slot_row);
      const std::uint32_t row = slot_row(comm::spike_key(w));
      if (row == DeviceSynapses::kNoRow) continue;
      expected_events += segment_begin(row_begin(row + 1)) - segment_begin(row_begin(row));
    }
    ASSERT_GT(expected_events, 0u);
    for (std::size_t k = 0; k < rings.size(); ++k) {
      EXPECT_EQ(events[k], expected_events) << "variant " << k;
      EXPECT_EQ(rings[k], rings[0]) << "variant " << k << " homogeneous " << homogeneous;
    }
    EXPECT_NE(std::count(rings[0].begin(), rings[0].end(), 0), static_cast<long>(rings[0].size()));
  }
}

}  // namespace
}  // namespace spikeweave::kernels
