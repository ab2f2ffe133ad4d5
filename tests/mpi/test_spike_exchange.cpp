// Spike exchange: every spike reaches exactly the ranks that asked for its source, exactly once,
// sorted; and a failure on one rank is seen by all ranks in the same exchange (no hang).
#include <gtest/gtest.h>

#include <algorithm>

#include "comm/spike.hpp"
#include "common/test_context.hpp"
#include "engine/spike_router.hpp"

namespace spikeweave::engine {
namespace {

// Whether `rank` needs the spikes of `gid`: a fixed pseudo-random pattern, some gids needed by
// no rank, some by all.
bool needs(int rank, Gid gid) {
  return ((gid * 2654435761u) >> (rank % 7 + 3)) % 3 != 0 || gid % 10 == 0;
}

TEST(SpikeExchange, DeliversEverySpikeExactlyOnceToEveryRankThatNeedsIt) {
  comm::Context& world = test::world();
  const Gid n_a = 97, n_b = 41;  // two populations
  const partition::Partition p{partition::Scheme::kRoundRobin, n_a + n_b, world.size()};
  const std::vector<Gid> first = {0, n_a};
  std::vector<std::vector<Gid>> local = {partition::owned_gids(p, world.rank(), 0, n_a),
                                         partition::owned_gids(p, world.rank(), n_a, n_a + n_b)};
  std::vector<Gid> needed;
  for (Gid g = 0; g < n_a + n_b; ++g) {
    if (needs(world.rank(), g)) needed.push_back(g);
  }
  SpikeRouter router(world, p, local, first, needed);
  // Each local neuron spikes at two lags; the gid decides them.
  for (int pop = 0; pop < 2; ++pop) {
    for (std::size_t i = 0; i < local[pop].size(); ++i) {
      const Gid g = local[pop][i];
      router.add(pop, static_cast<std::uint32_t>(i), static_cast<int>(g % 5));
      router.add(pop, static_cast<std::uint32_t>(i), static_cast<int>(g % 5) + 7);
    }
  }
  std::vector<std::uint64_t> received;
  ASSERT_FALSE(router.exchange(received, false));
  std::vector<std::uint64_t> expected;
  for (Gid g : needed) {
    expected.push_back(comm::pack_spike(g, static_cast<int>(g % 5)));
    expected.push_back(comm::pack_spike(g, static_cast<int>(g % 5) + 7));
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(received, expected);
  // The buffers are empty after an exchange: a second one delivers nothing.
  ASSERT_FALSE(router.exchange(received, false));
  EXPECT_TRUE(received.empty());
}

TEST(SpikeExchange, AFailureOnOneRankIsSeenByAll) {
  comm::Context& world = test::world();
  const partition::Partition p{partition::Scheme::kBlock, 8, world.size()};
  std::vector<std::vector<Gid>> local = {partition::owned_gids(p, world.rank(), 0, 8)};
  SpikeRouter router(world, p, local, {0}, {0, 1, 2, 3, 4, 5, 6, 7});
  std::vector<std::uint64_t> received;
  const bool this_rank_fails = world.rank() == world.size() - 1;
  EXPECT_TRUE(router.exchange(received, this_rank_fails));
  // And the ranks are still in step: a normal exchange works afterwards.
  EXPECT_FALSE(router.exchange(received, false));
}

}  // namespace
}  // namespace spikeweave::engine
