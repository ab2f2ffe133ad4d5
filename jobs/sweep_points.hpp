#pragma once
// The points of a sweep: its design (grid, list, random, latin_hypercube) turned into rows of
// axis values, each run `repeats` times with its own seed; the `--set` overrides that make a
// point's network; the canonical text that resumes compare.
//
// Rows: design point d, repeat r is row d * repeats + r. Random draws and point seeds are
// Philox streams of (sweep seed, purpose kDataset, object, d, r), so a point does not depend on
// which rank runs it, or on which other points exist.
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/sweep_expression.hpp"
#include "jobs/sweep_spec.hpp"

namespace spikeweave::jobs {

struct SweepPoint {
  std::uint64_t index = 0;         // row of the output table
  std::uint64_t design_point = 0;  // d
  std::uint64_t repeat = 0;        // r
  std::uint64_t seed = 0;          // the network's simulation.seed at this point
  std::vector<double> axis_values;
};

// The design's points (repeats not expanded): one row of axis values each.
std::vector<std::vector<double>> design_points(const SweepSpec& spec);

// Every row of the table.
std::vector<SweepPoint> sweep_points(const SweepSpec& spec);

// [set], then every axis key's value at this point, then the point's seed and no output file.
std::vector<std::string> point_overrides(const SweepSpec& spec, const SweepKeyEvaluator& keys,
                                         const SweepPoint& point);

// "key = value" lines describing everything the table depends on (io::describe_spec_difference
// names what changed between two of them).
std::string canonical_sweep(const SweepSpec& spec);

}  // namespace spikeweave::jobs
