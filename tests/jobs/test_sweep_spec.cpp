// The sweep file: every error reported before anything runs, naming the axis or key; the
// designs' points; the overrides of a point; what a changed sweep file reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/errors.hpp"
#include "io/dataset_rate_file.hpp"
#include "jobs/sweep_points.hpp"
#include "jobs/sweep_spec.hpp"
#include "jobs/sweep_validate.hpp"

namespace spikeweave::jobs {
namespace {

const char* kBase = R"(
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0

[[population]]
name = "exc"
size = 40
model = "lif_psc_delta"
params = { tau_m_ms = 20.0, c_m_pf = 250.0, e_l_mv = 0.0, v_th_mv = 20.0, v_reset_mv = 10.0, t_ref_ms = 2.0 }

[[projection]]
source = "exc"
target = "exc"
connect = { rule = "fixed_indegree", indegree = 4 }
weight_mv = 0.1
delay_ms = 1.5

[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 20000.0
weight_mv = 0.1
)";

const char* kGood = R"(
base = "net.toml"
seed = 7
design = "grid"
[set]
"simulation.t_stop_ms" = 200.0
[[axis]]
name = "g"
values = [3.0, 5.0]
keys = { "projection[0].weight_mv" = "-g * 0.1" }
[[axis]]
name = "eta"
linspace = [1.0, 2.0, 3]
key = "stimulus[0].rate_hz"
scale = 10000.0
[metrics]
window_ms = [50.0, 200.0]
bin_ms = 1.0
)";

SweepSpec parsed(const std::string& text) {
  SweepSpec spec = parse_sweep(text, "dir/sweep.toml");
  spec.base_toml = kBase;
  validate_sweep(spec);
  return spec;
}

// Replaces the first occurrence of `from` in the good file.
std::string good_with(const std::string& from, const std::string& to) {
  std::string text = kGood;
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

void expect_error(const std::string& text, const std::string& fragment) {
  try {
    parsed(text);
    ADD_FAILURE() << "expected an error containing: " << fragment;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << "message: " << e.what() << "\nexpected: " << fragment;
  }
}

TEST(SweepSpec, GoodFileGivesGridPointsAndOverrides) {
  const SweepSpec spec = parsed(kGood);
  EXPECT_EQ(spec.base_path, "dir/net.toml");
  const std::vector<SweepPoint> points = sweep_points(spec);
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[1].axis_values, (std::vector<double>{3.0, 1.5}));  // the last axis fastest
  EXPECT_EQ(points[5].axis_values, (std::vector<double>{5.0, 2.0}));
  const SweepKeyEvaluator keys(spec);
  const std::vector<std::string> o = point_overrides(spec, keys, points[4]);
  EXPECT_NE(std::find(o.begin(), o.end(), "projection[0].weight_mv=-0.5"), o.end());
  EXPECT_NE(std::find(o.begin(), o.end(), "stimulus[0].rate_hz=15000.0"), o.end());
  EXPECT_NE(std::find(o.begin(), o.end(), "simulation.t_stop_ms=200.0"), o.end());
  std::set<std::uint64_t> seeds;
  for (const SweepPoint& p : points) seeds.insert(p.seed);
  EXPECT_EQ(seeds.size(), points.size());
}

// Replaces `from` by `to` in `text`.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(SweepSpec, ListZipsAndRepeatsGetTheirOwnSeeds) {
  const SweepSpec spec =
      parsed(with(good_with("design = \"grid\"", "design = \"list\"\nrepeats = 2"),
                  "linspace = [1.0, 2.0, 3]", "values = [1.0, 2.0]"));
  const std::vector<SweepPoint> points = sweep_points(spec);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[2].axis_values, (std::vector<double>{5.0, 2.0}));
  EXPECT_EQ(points[3].repeat, 1u);
  EXPECT_NE(points[2].seed, points[3].seed);
}

TEST(SweepSpec, IntegerKeysAreRounded) {
  const SweepSpec spec = parsed(
      with(good_with("key = \"stimulus[0].rate_hz\"", "key = \"projection[0].connect.indegree\""),
           "scale = 10000.0", "scale = 2.0"));
  const SweepKeyEvaluator keys(spec);
  const std::vector<std::string> o = point_overrides(spec, keys, sweep_points(spec)[1]);  // eta 1.5
  EXPECT_NE(std::find(o.begin(), o.end(), "projection[0].connect.indegree=3"), o.end());
}

TEST(SweepSpec, RandomAndLatinHypercubeStayInRangeAndAreReproducible) {
  const std::string random = R"(
base = "net.toml"
design = "random"
samples = 50
[[axis]]
name = "w"
uniform = [0.05, 0.2]
key = "projection[0].weight_mv"
[[axis]]
name = "rate"
log_uniform = [1000.0, 30000.0]
key = "stimulus[0].rate_hz"
)";
  const SweepSpec a = parsed(random), b = parsed(random);
  const auto pa = design_points(a), pb = design_points(b);
  EXPECT_EQ(pa, pb);
  for (const auto& row : pa) {
    EXPECT_GE(row[0], 0.05);
    EXPECT_LT(row[0], 0.2);
    EXPECT_GE(row[1], 1000.0);
    EXPECT_LT(row[1], 30000.0);
  }
  std::string lhs = random;
  lhs.replace(lhs.find("\"random\""), 8, "\"latin_hypercube\"");
  const auto pl = design_points(parsed(lhs));
  // Every one of the 50 strata of each axis holds exactly one point.
  for (int axis = 0; axis < 2; ++axis) {
    std::set<int> strata;
    for (const auto& row : pl) {
      const double u =
          axis == 0 ? (row[0] - 0.05) / 0.15 : std::log(row[1] / 1000.0) / std::log(30.0);
      strata.insert(static_cast<int>(u * 50));
    }
    EXPECT_EQ(strata.size(), 50u) << "axis " << axis;
  }
}

TEST(SweepSpec, ErrorsNameTheAxisOrKey) {
  expect_error(good_with("projection[0].weight_mv", "projection[7].weight_mv"),
               "axis[0] (g).keys.projection[7].weight_mv: no element 7 in 'projection'");
  expect_error(
      good_with("\"projection[0].weight_mv\"", "\"population[0].params.tau_mm_ms\""),
      "axis[0] (g).keys.population[0].params.tau_mm_ms: unknown key; expected one of: c_m_pf");
  expect_error(
      good_with("-g * 0.1", "-gg * 0.1"),
      "axis[0] (g).keys.projection[0].weight_mv: expression '-gg * 0.1' names 'gg', which is "
      "not an axis (axes: g, eta)");
  expect_error(good_with("-g * 0.1", "-g * (0.1"), "expression '-g * (0.1'");
  expect_error(good_with("values = [3.0, 5.0]", "values = []"),
               "axis[0].values: expected at least one value");
  expect_error(good_with("design = \"grid\"", "design = \"list\""),
               "axis[1] (eta): a list design zips axes of equal length: this axis has 3 values, "
               "axis[0] (g) has 2");
  expect_error(good_with("values = [3.0, 5.0]", "uniform = [3.0, 5.0]"),
               "axis[0] (g): a grid design needs values, linspace or logspace");
  expect_error(good_with("design = \"grid\"", "design = \"random\""),
               "samples: required by the random design");
  expect_error(good_with("design = \"grid\"", "design = \"sobol\""),
               "design: unknown design 'sobol'");
  expect_error(good_with("name = \"eta\"", "name = \"g\""), "axis[1].name: two axes are named 'g'");
  expect_error(good_with("seed = 7", "seed = 7\nsamples_ = 3"), "samples_: unknown key");
  expect_error(good_with("\"simulation.t_stop_ms\"", "\"simulation.t_stop_mss\""),
               "simulation.t_stop_mss: unknown key");
  expect_error(good_with("window_ms = [50.0, 200.0]", "window_ms = [50.0, 300.0]"),
               "metrics.window_ms: the window [50.0, 300.0] ms must lie inside the run");
  // A value that makes the base network invalid: the delay of point 1 is below dt.
  expect_error(good_with("keys = { \"projection[0].weight_mv\" = \"-g * 0.1\" }",
                         "keys = { \"projection[0].delay_ms\" = \"(g - 3) * 0.7 + 0.05\" }"),
               "axis[0] (g).keys.projection[0].delay_ms: 0.05 is below dt_ms 0.1 (at point 0: g = "
               "3.0, eta = 1.0)");
}

TEST(SweepSpec, ChangedFileNamesWhatChanged) {
  const std::string a = canonical_sweep(parsed(kGood));
  const std::string b =
      canonical_sweep(parsed(good_with("values = [3.0, 5.0]", "values = [3.0, 6.0]")));
  const std::string difference = io::describe_spec_difference(a, b);
  EXPECT_NE(difference.find("axis.g.values: file [3.0, 5.0], now [3.0, 6.0]"), std::string::npos)
      << difference;
}

}  // namespace
}  // namespace spikeweave::jobs
