// Partitions: every gid has exactly one owner, local indices enumerate each rank's gids, and
// the counts agree with the lists, for round-robin and block over ranks and population ranges.
#include <gtest/gtest.h>

#include "partition/partition.hpp"

namespace spikeweave::partition {
namespace {

void check_consistent(Scheme scheme, Gid total, int ranks) {
  const Partition p{scheme, total, ranks};
  // Populations [0, 37), [37, total).
  for (auto [begin, end] : {std::pair<Gid, Gid>{0, 37}, std::pair<Gid, Gid>{37, total}}) {
    std::vector<int> seen(total, 0);
    std::uint64_t sum = 0;
    for (int r = 0; r < ranks; ++r) {
      const std::vector<Gid> gids = owned_gids(p, r, begin, end);
      EXPECT_EQ(gids.size(), owned_count(p, r, begin, end));
      sum += gids.size();
      for (std::size_t i = 0; i < gids.size(); ++i) {
        EXPECT_EQ(owner(p, gids[i]), r);
        EXPECT_EQ(local_index(p, gids[i], begin), i);
        if (i > 0) {
          EXPECT_LT(gids[i - 1], gids[i]);
        }
        ++seen[gids[i]];
      }
    }
    EXPECT_EQ(sum, end - begin);
    for (Gid g = begin; g < end; ++g) EXPECT_EQ(seen[g], 1) << g;
  }
}

TEST(Partition, RoundRobinAndBlockAreConsistent) {
  for (int ranks : {1, 2, 3, 4, 7}) {
    check_consistent(Scheme::kRoundRobin, 100, ranks);
    check_consistent(Scheme::kBlock, 100, ranks);
  }
}

TEST(Partition, BlocksAreBalancedAndContiguous) {
  const Partition p{Scheme::kBlock, 10, 4};
  EXPECT_EQ(owned_gids(p, 0, 0, 10), (std::vector<Gid>{0, 1}));
  EXPECT_EQ(owned_gids(p, 3, 0, 10), (std::vector<Gid>{7, 8, 9}));
  const Partition rr{Scheme::kRoundRobin, 10, 4};
  EXPECT_EQ(owned_gids(rr, 1, 0, 10), (std::vector<Gid>{1, 5, 9}));
}

TEST(Partition, ParsesNames) {
  EXPECT_EQ(parse_scheme("block", "k"), Scheme::kBlock);
  EXPECT_EQ(parse_scheme("round_robin", "k"), Scheme::kRoundRobin);
  EXPECT_THROW(parse_scheme("metis?", "simulation.partition"), std::runtime_error);
}

}  // namespace
}  // namespace spikeweave::partition
