// The spiking dataset job on 1, 2 and 4 ranks (and 2 ranks per instance): every instance in the
// file equals a direct simulation of that instance; an interrupted run resumes to the same file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <tuple>

#include "common/test_context.hpp"
#include "core/errors.hpp"
#include "engine/simulation.hpp"
#include "io/hdf5_util.hpp"
#include "jobs/spiking_dataset.hpp"
#include "network/spec.hpp"

namespace spikeweave::jobs {
namespace {

const char* kNetwork = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 60.0
seed = 5

[[population]]
name = "exc"
size = 80
model = "lif_psc_delta"
params = { tau_m_ms = 20.0, c_m_pf = 250.0, e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 10.0, t_ref_ms = 2.0 }
init = { v_m_mv = { uniform = [0.0, 20.0] } }

[[population]]
name = "inh"
size = 20
model = "lif_psc_delta"
params = { tau_m_ms = 20.0, c_m_pf = 250.0, e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 10.0, t_ref_ms = 2.0 }

[[projection]]
source = "exc"
target = "inh"
connect = { rule = "fixed_indegree", indegree = 8 }
weight_mv = 0.5
delay_ms = 1.5

[[projection]]
source = "inh"
target = "exc"
connect = { rule = "pairwise_bernoulli", p = 0.2 }
weight_mv = -2.0
delay_ms = { uniform = [1.0, 3.0] }

[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 5000.0
weight_mv = 0.5

[[stimulus]]
kind = "poisson"
target = "inh"
rate_hz = 4000.0
weight_mv = 0.5

[[record]]
spikes = ["exc", "inh"]
)";

class Collector final : public io::RunOutput {
 public:
  explicit Collector(std::size_t groups) : spikes(groups) {}
  void append_spikes(int group, const std::vector<std::uint64_t>& nodes,
                     const std::vector<double>& times) override {
    for (std::size_t e = 0; e < nodes.size(); ++e)
      spikes.at(group).emplace_back(times[e], nodes[e]);
  }
  void append_report(int, const std::vector<float>&, std::uint64_t) override {}
  void append_weights(int, const std::vector<double>&, const std::vector<double>&) override {}
  void commit(const io::Provenance&) override {}
  std::vector<std::vector<std::pair<double, std::uint64_t>>> spikes;
};

std::string shared_directory(const std::string& name) {
  std::string dir;
  if (test::world().rank() == 0) {
    dir = (std::filesystem::temp_directory_path() /
           ("spikeweave_spiking_" + name + "_" + std::to_string(::getpid())))
              .string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  test::world().broadcast(dir, 0);
  return dir;
}

SpikingDatasetSpec spec_for(const std::string& output) {
  SpikingDatasetSpec s;
  s.network_toml = kNetwork;
  s.source = "test network";
  s.instances = 5;
  s.seed = 99;
  s.output = output;
  s.vary.push_back(parse_varied_key("projection[1].weight_mv=uniform:-3.0,-1.0", kNetwork));
  s.vary.push_back(parse_varied_key("projection[0].connect.indegree=uniform:5,12", kNetwork));
  return s;
}

SpikingDatasetOptions options(int ranks_per_network = 1) {
  SpikingDatasetOptions o;
  o.quiet = true;
  o.ranks_per_network = ranks_per_network;
  return o;
}

// Rank 0 simulates each instance directly (one rank) and compares with the file.
void expect_instances_match(const SpikingDatasetSpec& spec) {
  std::unique_ptr<comm::Context> self = test::world().split(test::world().rank(), 0);
  int mismatches = 0;
  if (test::world().rank() == 0) {
    io::h5::silence_errors();
    io::Handle file =
        io::file_handle(H5Fopen(spec.output.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), spec.output);
    const char* populations[] = {"exc", "inh"};
    for (std::uint64_t m = 0; m < spec.instances; ++m) {
      std::vector<double> varied;
      const network::NetworkSpec net = network::parse_network(spec.network_toml, spec.source,
                                                              instance_overrides(spec, m, &varied));
      EXPECT_EQ(varied[1], std::round(varied[1])) << "an integer key gets integer values";
      engine::Simulation sim(net, *self);
      Collector collector(2);
      sim.set_output(&collector);
      sim.run_to_end();
      for (int p = 0; p < 2; ++p) {
        const std::string group = std::string("spikes/") + populations[p];
        io::Handle g = io::h5::open_group(file, group, spec.output);
        const auto pointers = io::h5::read_uint64s(g, "index_pointers", spec.output);
        const auto nodes = io::h5::read_uint64s(g, "node_ids", spec.output);
        const auto times = io::h5::read_doubles(g, "timestamps", spec.output);
        auto expected = collector.spikes[p];
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(pointers.size(), spec.instances + 1);
        if (pointers[m + 1] - pointers[m] != expected.size()) {
          ++mismatches;
          continue;
        }
        for (std::size_t e = 0; e < expected.size(); ++e) {
          mismatches += nodes[pointers[m] + e] != expected[e].second ||
                        times[pointers[m] + e] != expected[e].first;
        }
        EXPECT_GT(expected.size(), 0u)
            << "instance " << m << " of " << populations[p] << " is silent";
      }
      // Connectivity: as many synapses as the direct build made.
      io::Handle conn = io::h5::open_group(file, "connectivity", spec.output);
      const auto names = io::h5::child_names(conn, spec.output);
      ASSERT_EQ(names.size(), 2u);
      for (std::size_t q = 0; q < 2; ++q) {
        io::Handle g = io::h5::open_group(conn, names[q], spec.output);
        const auto pointers = io::h5::read_uint64s(g, "index_pointers", spec.output);
        const int index = net.projection_index(names[q]);
        ASSERT_GE(index, 0) << names[q];
        EXPECT_EQ(pointers[m + 1] - pointers[m], sim.synapse_states(index).size()) << names[q];
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(SpikingDataset, InstancesEqualDirectSimulations) {
  const std::string dir = shared_directory("direct");
  const SpikingDatasetSpec spec = spec_for(dir + "/data.h5");
  const int per_network = test::world().size() == 4 ? 2 : 1;
  EXPECT_TRUE(run_spiking_dataset(test::world(), spec, options(per_network)).complete);
  expect_instances_match(spec);
  EXPECT_EQ(run_spiking_dataset(test::world(), spec, options()).computed,
            0u);  // complete: nothing to do
}

TEST(SpikingDataset, ResumesAndRefusesOtherParameters) {
  const std::string dir = shared_directory("resume");
  const SpikingDatasetSpec spec = spec_for(dir + "/data.h5");
  SpikingDatasetOptions stop = options();
  stop.stop_after_instances = 1;
  const SpikingDatasetReport first = run_spiking_dataset(test::world(), spec, stop);
  EXPECT_FALSE(first.complete);
  SpikingDatasetSpec other = spec;
  other.seed = 100;
  EXPECT_THROW(run_spiking_dataset(test::world(), other, options()), FileError);
  const SpikingDatasetReport second = run_spiking_dataset(test::world(), spec, options());
  EXPECT_TRUE(second.complete);
  EXPECT_EQ(second.already_done, first.computed);
  expect_instances_match(spec);
}

TEST(SpikingDataset, BadVariedKeysAreConfigErrors) {
  EXPECT_THROW(parse_varied_key("projection[1].weight_mv", kNetwork), ConfigError);
  EXPECT_THROW(parse_varied_key("projection[1].weight_mv=normal:1,2", kNetwork), ConfigError);
  SpikingDatasetSpec spec = spec_for("unused.h5");
  spec.vary.push_back(parse_varied_key("population[0].size=uniform:-5,10", kNetwork));
  EXPECT_THROW(validate(spec), ConfigError);
}

}  // namespace
}  // namespace spikeweave::jobs
