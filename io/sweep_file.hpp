#pragma once
// The sweep file of `spikeweave sweep` (io/SCHEMA.md), written collectively once every point of
// the run is computed (jobs/sweep.hpp keeps finished points in part files until then):
//
//   /points/<axis>, /points/repeat, /points/seed      one row per point
//   /metrics/<population>/<metric>                    float64 [rows], NaN where undefined
//   /metrics/<projection>/weight_{mean,sd,bimodality} plastic projections
//   /metrics/wall_seconds, /metrics/cpu_seconds
//   /done                                             uint8 [rows]
//   /spikes_of_point/<i>/<population>/{timestamps,node_ids}   with keep_spikes
//   /provenance                                       attributes: sweep_toml, base_toml, spec, ...
#include <cstdint>
#include <string>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::io {

struct SweepFileLayout {
  std::uint64_t rows = 0;
  std::vector<std::string> axes;
  std::vector<std::string> populations;
  std::vector<std::string> population_metrics;  // metric names of each population
  std::vector<std::string> plastic_projections;
  std::vector<std::string> weight_metrics;  // metric names of each plastic projection
  bool keep_spikes = false;
  std::string spec;  // canonical text; a resume compares it
  std::string sweep_toml, base_toml, command_line, backend;
  std::int64_t ranks = 1;
  // Dataset paths of the metric columns in table order: populations' metrics, projections'
  // metrics, wall_seconds, cpu_seconds ("exc/rate_hz", ..., "wall_seconds").
  std::vector<std::string> metric_columns() const;
};

// The rows [first_row, first_row + rows) this rank writes.
struct SweepRowBlock {
  std::uint64_t first_row = 0;
  std::uint64_t rows = 0;
  std::vector<std::vector<double>> axis_values;  // [axis][row]
  std::vector<std::uint64_t> repeat, seed;
  std::vector<std::vector<double>> metrics;  // [column][row] (metric_columns order)
  std::vector<std::uint8_t> done;
  // keep_spikes: [row][population], sorted by (time, node id); empty where not done.
  std::vector<std::vector<std::vector<std::uint64_t>>> spike_nodes;
  std::vector<std::vector<std::vector<double>>> spike_times_ms;
};

// Collective: writes `path` through "<path>.assembling" and a rename. Blocks of consecutive ranks
// are consecutive and cover all rows. `spike_counts` (keep_spikes; identical on every rank):
// rows x populations.
void write_sweep_file(comm::Context& context, const std::string& path,
                      const SweepFileLayout& layout, const SweepRowBlock& mine,
                      const std::vector<std::uint64_t>& spike_counts);

// The whole of a sweep file (serial read, for --merge): the layout's names and provenance, and
// every row.
struct SweepFileContents {
  SweepFileLayout layout;
  SweepRowBlock table;
};
SweepFileContents read_sweep_file(const std::string& path);

// The canonical spec stored in a sweep file, or `problem` set.
std::string read_sweep_spec(const std::string& path, std::string& problem);

}  // namespace spikeweave::io
