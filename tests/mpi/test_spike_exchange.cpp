// Spike exchange: every spike reaches exactly the ranks that asked for its source, exactly once,
// split by population and keyed by the receiver's slot, each source's spikes together and in lag
// order; and a failure on one rank is seen by all ranks in the same exchange (no hang).
#include <gtest/gtest.h>

#include <algorithm>

#include "comm/spike.hpp"
#include "common/test_context.hpp"
#include "engine/spike_exchange.hpp"

namespace spikeweave::engine {
namespace {

// Whether `rank` needs the spikes of `gid`: a fixed pseudo-random pattern, some gids needed by
// no rank, some by all (about 2/3 of the (gid, rank) pairs: the sender's dense table).
bool needs(int rank, Gid gid) {
  return ((gid * 2654435761u) >> (rank % 7 + 3)) % 3 != 0 || gid % 10 == 0;
}
// One pair in 20: on 3 or more ranks the sender's sparse table is the smaller (below).
bool needs_rarely(int rank, Gid gid) {
  return (gid + static_cast<Gid>(rank)) % 20 == 0;
}

// Every spike reaches exactly the ranks that ask for its source under the pattern `needs_fn`,
// exactly once, for both partition schemes.
void check_delivery(bool (*needs_fn)(int, Gid)) {
  comm::Context& world = test::world();
  const Gid n_a = 97, n_b = 41;  // two populations
  for (const auto scheme : {partition::Scheme::kRoundRobin, partition::Scheme::kBlock}) {
    const partition::Partition p{scheme, n_a + n_b, world.size()};
    const std::vector<Gid> first = {0, n_a};
    std::vector<std::vector<Gid>> local = {partition::owned_gids(p, world.rank(), 0, n_a),
                                           partition::owned_gids(p, world.rank(), n_a, n_a + n_b)};
    std::vector<Gid> needed;
    for (Gid g = 0; g < n_a + n_b; ++g) {
      if (needs_fn(world.rank(), g)) needed.push_back(g);
    }
    // The sender keeps whichever table is smaller: a slot per (local neuron, rank), 4 bytes, or
    // per asked pair 8 bytes and per local neuron 8.
    std::uint64_t pairs = 0;
    for (const std::vector<Gid>& gids : local) {
      for (Gid g : gids) {
        for (int r = 0; r < world.size(); ++r) pairs += needs_fn(r, g) ? 1 : 0;
      }
    }
    const std::uint64_t mine = local[0].size() + local[1].size();
    const bool dense =
        4 * mine * static_cast<std::uint64_t>(world.size()) <= 8 * pairs + 8 * (mine + 1);
    SpikeExchange exchange(world, p, local, first, needed);
    EXPECT_EQ(exchange.dense_destinations(), dense);
    EXPECT_EQ(exchange.destinations(), pairs);
    // Each local neuron spikes at two lags, the gid decides them; queued lag-major, as the
    // compaction writes them.
    for (int pop = 0; pop < 2; ++pop) {
      std::vector<std::uint64_t> words;
      for (int lag = 0; lag < 12; ++lag) {
        for (std::size_t i = 0; i < local[pop].size(); ++i) {
          const Gid g = local[pop][i];
          if (lag == static_cast<int>(g % 5) || lag == static_cast<int>(g % 5) + 7) {
            words.push_back(comm::pack_spike(i, lag));
          }
        }
      }
      exchange.add_local_spikes(pop, words.data(), words.size());
    }
    ASSERT_FALSE(exchange.exchange(false));
    for (int pop = 0; pop < 2; ++pop) {
      const auto [first_slot, slots] = exchange.slot_range(pop);
      const auto first_it = needed.begin() + static_cast<std::ptrdiff_t>(first_slot);
      const std::vector<Gid> sources(first_it, first_it + static_cast<std::ptrdiff_t>(slots));
      std::vector<std::uint64_t> expected;
      for (std::size_t slot = 0; slot < sources.size(); ++slot) {
        ASSERT_TRUE(needs_fn(world.rank(), sources[slot]));
        ASSERT_TRUE(sources[slot] >= first[pop] && sources[slot] < first[pop] + (pop ? n_b : n_a));
        expected.push_back(comm::pack_spike(slot, static_cast<int>(sources[slot] % 5)));
        expected.push_back(comm::pack_spike(slot, static_cast<int>(sources[slot] % 5) + 7));
      }
      const auto [begin, count] = exchange.population_range(pop);
      std::vector<std::uint64_t> got(exchange.received().begin() + begin,
                                     exchange.received().begin() + begin + count);
      // One source's spikes are adjacent and in lag order: the runs are exactly the sources.
      const std::vector<std::uint32_t> runs = exchange.source_runs(pop);
      ASSERT_EQ(runs.size(), sources.size() + 1);
      for (std::size_t r = 0; r + 1 < runs.size(); ++r) {
        ASSERT_EQ(runs[r + 1] - runs[r], 2u);
        EXPECT_LT(got[runs[r]], got[runs[r] + 1]);
      }
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected) << "population " << pop;
    }
    // The buffers are empty after an exchange: a second one delivers nothing.
    ASSERT_FALSE(exchange.exchange(false));
    EXPECT_TRUE(exchange.received().empty());
  }
}

TEST(SpikeExchange, DeliversEverySpikeExactlyOnceToEveryRankThatNeedsIt) {
  check_delivery(needs);
}

// The sparse table on 3 and 4 ranks, the dense one on 1 and 2 (see check_delivery).
TEST(SpikeExchange, SparseRoutingDeliversAsDenseDoes) {
  check_delivery(needs_rarely);
}

TEST(SpikeExchange, AFailureOnOneRankIsSeenByAll) {
  comm::Context& world = test::world();
  const partition::Partition p{partition::Scheme::kBlock, 8, world.size()};
  std::vector<std::vector<Gid>> local = {partition::owned_gids(p, world.rank(), 0, 8)};
  SpikeExchange exchange(world, p, local, {0}, {0, 1, 2, 3, 4, 5, 6, 7});
  const bool this_rank_fails = world.rank() == world.size() - 1;
  EXPECT_TRUE(exchange.exchange(this_rank_fails));
  // And the ranks are still in step: a normal exchange works afterwards.
  EXPECT_FALSE(exchange.exchange(false));
}

}  // namespace
}  // namespace spikeweave::engine
