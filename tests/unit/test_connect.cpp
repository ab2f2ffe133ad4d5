// Connection rules and post-synaptic construction: each rule gives the counts it promises, the
// flags (autapses, multapses) hold, and the union of the synapses built by every rank is the same
// network for any number of ranks and either partition (each rank draws only its own targets).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "network/build.hpp"

namespace spikeweave::network {
namespace {

struct Synapse {
  NodeId source;
  Gid target;
  float weight;
  int delay_steps;
  bool operator<(const Synapse& o) const {
    return std::tie(source, target, weight, delay_steps) <
           std::tie(o.source, o.target, o.weight, o.delay_steps);
  }
  bool operator==(const Synapse& o) const {
    return source == o.source && target == o.target && weight == o.weight &&
           delay_steps == o.delay_steps;
  }
};

// All synapses of projection 0, built rank by rank, as a sorted list.
std::vector<Synapse> build_all(const NetworkSpec& net, partition::Scheme scheme, int ranks,
                               network::WeightStorage storage = network::WeightStorage::kFloat) {
  const partition::Partition p{scheme, net.total_neurons, ranks};
  const PopulationSpec& target = net.populations[net.projections[0].target];
  std::vector<Synapse> all;
  for (int r = 0; r < ranks; ++r) {
    const SynapseTables t = build_projection(net, 0, p, r, storage);
    const std::vector<Gid> local =
        partition::owned_gids(p, r, target.first_gid, target.first_gid + target.size);
    std::uint64_t count = 0;
    for (std::uint64_t row = 0; row < t.rows(); ++row) {
      if (row > 0) {
        EXPECT_LT(t.row_source(row - 1), t.row_source(row));
      }
      for (std::uint64_t seg = t.row_begin(row); seg < t.row_begin(row + 1); ++seg) {
        if (seg > t.row_begin(row)) {
          EXPECT_LT(t.segment_delay(seg - 1), t.segment_delay(seg));
        }
        for (std::uint64_t k = t.segment_begin(seg); k < t.segment_begin(seg + 1); ++k) {
          all.push_back({t.row_source(row), local.at(t.target(k)),
                         static_cast<float>(t.weight_at(k)), t.segment_delay(seg)});
          ++count;
        }
      }
    }
    EXPECT_EQ(count, t.synapses);
  }
  std::sort(all.begin(), all.end());
  return all;
}

NetworkSpec network(const std::string& connect, const std::string& extra = "",
                    const std::string& sizes = "size = 60") {
  std::string text = R"(
[simulation]
t_stop_ms = 10.0
seed = 3
[[population]]
name = "a"
model = "lif_psc_exp"
)" + sizes + R"(
[[population]]
name = "b"
size = 45
model = "lif_psc_exp"
[[projection]]
source = "a"
target = "b"
connect = )" + connect +
                     "\n" + extra;
  if (extra.find("weight_pa") == std::string::npos)
    text += "weight_pa = { normal = [10.0, 2.0] }\n";
  if (extra.find("delay_ms") == std::string::npos) text += "delay_ms = { uniform = [1.0, 3.0] }\n";
  return parse_network(text, "test.toml");
}

std::map<Gid, int> indegrees(const std::vector<Synapse>& s) {
  std::map<Gid, int> d;
  for (const auto& x : s) ++d[x.target];
  return d;
}

TEST(Connect, NetworkIsIdenticalForAnyRankCountAndPartition) {
  for (const char* rule :
       {"{ rule = \"fixed_indegree\", indegree = 7 }",
        "{ rule = \"fixed_outdegree\", outdegree = 5 }",
        "{ rule = \"fixed_total_number\", n = 500 }", "{ rule = \"pairwise_bernoulli\", p = 0.2 }",
        "{ rule = \"all_to_all\" }"}) {
    const NetworkSpec net = network(rule);
    const std::vector<Synapse> reference = build_all(net, partition::Scheme::kRoundRobin, 1);
    ASSERT_FALSE(reference.empty()) << rule;
    for (int ranks : {2, 3, 4}) {
      EXPECT_EQ(build_all(net, partition::Scheme::kRoundRobin, ranks), reference)
          << rule << " " << ranks;
      EXPECT_EQ(build_all(net, partition::Scheme::kBlock, ranks), reference)
          << rule << " " << ranks;
    }
  }
}

TEST(Connect, FixedIndegreeGivesExactlyKPerTarget) {
  const auto s = build_all(network("{ rule = \"fixed_indegree\", indegree = 7 }"),
                           partition::Scheme::kRoundRobin, 2);
  const auto d = indegrees(s);
  EXPECT_EQ(d.size(), 45u);
  for (const auto& [t, k] : d) EXPECT_EQ(k, 7);
}

TEST(Connect, WithoutMultapsesSourcesAreDistinct) {
  // In-degree 60 of 60 sources without multapses: every source exactly once (Floyd's sampling).
  const auto s =
      build_all(network("{ rule = \"fixed_indegree\", indegree = 60, allow_multapses = false }"),
                partition::Scheme::kRoundRobin, 3);
  std::set<std::pair<NodeId, Gid>> pairs;
  for (const auto& x : s) pairs.insert({x.source, x.target});
  EXPECT_EQ(pairs.size(), s.size());
  EXPECT_EQ(s.size(), 60u * 45u);
}

TEST(Connect, WithoutAutapsesNoNeuronTargetsItself) {
  const std::string text = R"(
[simulation]
t_stop_ms = 10.0
[[population]]
name = "a"
size = 30
model = "lif_psc_delta"
[[projection]]
source = "a"
target = "a"
connect = { rule = "fixed_indegree", indegree = 29, allow_autapses = false, allow_multapses = false }
weight_mv = 0.1
delay_ms = 1.0
)";
  const auto s = build_all(parse_network(text, "t.toml"), partition::Scheme::kRoundRobin, 2);
  EXPECT_EQ(s.size(), 30u * 29u);
  for (const auto& x : s) EXPECT_NE(x.source, x.target);
}

TEST(Connect, FixedOutdegreeGivesExactlyKPerSource) {
  const auto s = build_all(network("{ rule = \"fixed_outdegree\", outdegree = 5 }"),
                           partition::Scheme::kBlock, 3);
  std::map<NodeId, int> out;
  for (const auto& x : s) ++out[x.source];
  EXPECT_EQ(out.size(), 60u);
  for (const auto& [src, k] : out) EXPECT_EQ(k, 5);
}

TEST(Connect, FixedTotalNumberGivesExactlyN) {
  const auto s = build_all(network("{ rule = \"fixed_total_number\", n = 1234 }"),
                           partition::Scheme::kRoundRobin, 4);
  EXPECT_EQ(s.size(), 1234u);
  // The split over 45 targets is multinomial: each target's count has mean 27.4 and sd 5.2;
  // all 45 within 6 sd of the mean.
  for (const auto& [t, k] : indegrees(s)) EXPECT_NEAR(k, 1234.0 / 45.0, 6 * 5.2);
}

TEST(Connect, PairwiseBernoulliDrawsAboutPTimesAllPairs) {
  const auto s = build_all(network("{ rule = \"pairwise_bernoulli\", p = 0.2 }", "", "size = 600"),
                           partition::Scheme::kRoundRobin, 2);
  // 600 * 45 = 27000 pairs, mean 5400, sd sqrt(27000 * 0.2 * 0.8) = 66: 5 sd.
  EXPECT_NEAR(static_cast<double>(s.size()), 5400.0, 5 * 66.0);
}

TEST(Connect, OneToOneAndAllToAll) {
  const auto one = build_all(network("{ rule = \"one_to_one\" }", "", "size = 45"),
                             partition::Scheme::kBlock, 2);
  ASSERT_EQ(one.size(), 45u);
  for (const auto& x : one)
    EXPECT_EQ(x.source + 45, x.target);  // target population starts at gid 45
  const auto all =
      build_all(network("{ rule = \"all_to_all\" }"), partition::Scheme::kRoundRobin, 3);
  EXPECT_EQ(all.size(), 60u * 45u);
}

TEST(Connect, WeightsAndDelaysFollowTheirDistributions) {
  const auto s = build_all(network("{ rule = \"fixed_indegree\", indegree = 200 }",
                                   "weight_pa = { normal = [10.0, 2.0], min = 7.0, max = 13.0 }\n"
                                   "delay_ms = { uniform = [1.0, 3.0] }\n"),
                           partition::Scheme::kRoundRobin, 1);
  double sum = 0;
  for (const auto& x : s) {
    EXPECT_GE(x.weight, 7.0f);
    EXPECT_LE(x.weight, 13.0f);
    EXPECT_GE(x.delay_steps, 10);
    EXPECT_LE(x.delay_steps, 30);
    sum += x.weight;
  }
  // 9000 draws of a symmetric truncated normal: mean 10 within 5 standard errors (sd < 2).
  EXPECT_NEAR(sum / s.size(), 10.0, 5 * 2.0 / std::sqrt(9000.0));
}

TEST(Connect, ConstantWeightsAreStoredOnce) {
  const NetworkSpec net =
      network("{ rule = \"fixed_indegree\", indegree = 3 }", "weight_pa = 12.5\ndelay_ms = 1.5\n");
  const partition::Partition p{partition::Scheme::kRoundRobin, net.total_neurons, 1};
  const SynapseTables t = build_projection(net, 0, p, 0, WeightStorage::kFloat);
  EXPECT_TRUE(t.homogeneous());
  EXPECT_FLOAT_EQ(t.homogeneous_weight, 12.5f);
  EXPECT_EQ(t.segments(), t.rows());  // one delay: one segment per row
  const SynapseTables stored = build_projection(net, 0, p, 0, WeightStorage::kDouble);
  EXPECT_TRUE(stored.homogeneous());
  EXPECT_EQ(stored.homogeneous_weight, 12.5);
  const NetworkSpec drawn = network("{ rule = \"fixed_indegree\", indegree = 3 }",
                                    "weight_pa = { uniform = [1.0, 2.0] }\ndelay_ms = 1.5\n");
  EXPECT_FALSE(build_projection(drawn, 0, p, 0, WeightStorage::kFloat).homogeneous());
}

}  // namespace
}  // namespace spikeweave::network
