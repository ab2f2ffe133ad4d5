// The rate dataset job on 1, 2 and 4 ranks: the file equals a serial reference bit for bit
// (so it is the same whatever the number of ranks), an interrupted run resumes to the same
// bytes, different parameters are refused on every rank, compression keeps the data.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "common/test_context.hpp"
#include "core/errors.hpp"
#include "io/dataset_rate_file.hpp"
#include "jobs/rate_dataset.hpp"
#include "rate/simulator.hpp"

namespace spikeweave::jobs {
namespace {

// A directory shared by the ranks of this test process (rank 0 names it).
std::string shared_directory(const std::string& name) {
  std::string dir;
  if (test::world().rank() == 0) {
    dir = (std::filesystem::temp_directory_path() /
           ("spikeweave_" + name + "_" + std::to_string(::getpid()) + "_" +
            std::to_string(test::world().size())))
              .string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  test::world().broadcast(dir, 0);
  return dir;
}

RateDatasetSpec small_spec(const std::string& output) {
  RateDatasetSpec s;
  s.networks = 23;  // not a multiple of any rank count or batch
  s.seed = 77;
  s.output = output;
  s.dynamics.neurons = 37;
  s.dynamics.trials = 3;
  s.dynamics.steps = 40;
  s.dynamics.dt_ms = 1.0;
  s.gain.kind = Distribution::Kind::kUniform;
  s.gain.a = 0.5;
  s.gain.b = 2.0;
  s.noise = Distribution::constant(0.2);
  s.sparsity = Distribution::constant(0.6);
  s.input_std = Distribution::constant(0.1);
  return s;
}

RateDatasetOptions quiet_options() {
  RateDatasetOptions o;
  o.quiet = true;
  o.batch = 2;
  o.round_seconds = 0.0;  // one batch per round: many rounds, many collective writes
  o.backend = "test";
  return o;
}

// Rank 0 compares every network of the file with the serial simulator's output.
void expect_matches_serial_reference(const RateDatasetSpec& spec) {
  int failures = 0;
  if (test::world().rank() == 0) {
    io::RateDatasetReader reader(spec.output);
    EXPECT_EQ(reader.networks(), spec.networks);
    rate::BatchSimulator<float> simulator(spec.dynamics, 1, false);
    const std::size_t n = spec.dynamics.neurons;
    for (std::uint64_t m = 0; m < spec.networks; ++m) {
      simulator.generate_and_run(spec.seed, {m}, {draw_network_params(spec, m)});
      const std::vector<float> activity = reader.activity(m);
      if (std::memcmp(activity.data(), simulator.activity(0), activity.size() * sizeof(float)) != 0)
        ++failures;
      std::vector<float> w(n * n);
      simulator.copy_weights(0, w.data());
      const std::vector<double> stored = reader.weights(m);
      for (std::size_t e = 0; e < w.size(); ++e) failures += stored[e] != static_cast<double>(w[e]);
      EXPECT_TRUE(reader.done(m));
      EXPECT_DOUBLE_EQ(reader.param(m, "gain"), draw_network_params(spec, m).gain);
    }
  }
  EXPECT_EQ(failures, 0) << "networks differing from the serial reference";
}

TEST(RateDataset, EqualsTheSerialReferenceOnAnyNumberOfRanks) {
  const std::string dir = shared_directory("ranks");
  const RateDatasetSpec spec = small_spec(dir + "/data.h5");
  const RateDatasetReport report = run_rate_dataset(test::world(), spec, quiet_options());
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.computed, spec.networks);
  expect_matches_serial_reference(spec);
  // Rerunning the same command finds the file complete and computes nothing.
  const RateDatasetReport again = run_rate_dataset(test::world(), spec, quiet_options());
  EXPECT_EQ(again.computed, 0u);
  EXPECT_EQ(again.already_done, spec.networks);
}

TEST(RateDataset, InterruptedRunResumesToTheSameData) {
  const std::string dir = shared_directory("resume");
  const RateDatasetSpec spec = small_spec(dir + "/data.h5");
  RateDatasetOptions stop = quiet_options();
  stop.stop_after_rounds =
      2;  // leaves the work file as a kill after two rounds would (at most 16 of 23)
  const RateDatasetReport first = run_rate_dataset(test::world(), spec, stop);
  EXPECT_FALSE(first.complete);
  EXPECT_GT(first.computed, 0u);
  EXPECT_LT(first.computed, spec.networks);
  // With sync (the default) a round is marked done at the next round's write: the first round is
  // marked, the second written but not marked, and recomputed by the rerun.
  EXPECT_GT(first.marked, 0u);
  EXPECT_LT(first.marked, first.computed);
  const RateDatasetReport second = run_rate_dataset(test::world(), spec, quiet_options());
  EXPECT_TRUE(second.complete);
  EXPECT_EQ(second.already_done, first.marked);
  EXPECT_EQ(second.already_done + second.computed, spec.networks);
  expect_matches_serial_reference(spec);
}

TEST(RateDataset, DifferentParametersAreRefusedOnEveryRank) {
  const std::string dir = shared_directory("refuse");
  RateDatasetSpec spec = small_spec(dir + "/data.h5");
  RateDatasetOptions stop = quiet_options();
  stop.stop_after_rounds = 1;
  run_rate_dataset(test::world(), spec, stop);  // an unfinished run
  RateDatasetSpec other = spec;
  other.noise = Distribution::constant(0.3);
  try {
    run_rate_dataset(test::world(), other, quiet_options());
    ADD_FAILURE() << "a resume with different parameters must be refused";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("rate.network.noise"), std::string::npos) << e.what();
  }
  // The unfinished work is untouched: resuming with the right parameters completes it.
  EXPECT_TRUE(run_rate_dataset(test::world(), spec, quiet_options()).complete);
  // A complete file made with other parameters is refused too, and kept.
  const auto size = std::filesystem::file_size(spec.output);
  EXPECT_THROW(run_rate_dataset(test::world(), other, quiet_options()), FileError);
  EXPECT_EQ(std::filesystem::file_size(spec.output), size);
  // --overwrite replaces it.
  RateDatasetOptions overwrite = quiet_options();
  overwrite.overwrite = true;
  EXPECT_TRUE(run_rate_dataset(test::world(), other, overwrite).complete);
}

TEST(RateDataset, CompressedFileHoldsTheSameData) {
  const std::string dir = shared_directory("deflate");
  RateDatasetSpec spec = small_spec(dir + "/data.h5");
  spec.deflate = 4;
  spec.record_h = true;
  spec.lyapunov = true;
  spec.lyapunov_steps = 50;
  spec.lyapunov_transient_steps = 10;
  EXPECT_TRUE(run_rate_dataset(test::world(), spec, quiet_options()).complete);
  expect_matches_serial_reference(spec);
  if (test::world().rank() == 0) {
    EXPECT_FALSE(std::filesystem::exists(spec.output + ".partial"));
  }
}

}  // namespace
}  // namespace spikeweave::jobs
