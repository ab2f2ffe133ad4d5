#include "jobs/sweep.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "core/errors.hpp"
#include "io/output_path.hpp"
#include "io/sweep_file.hpp"
#include "jobs/part_file.hpp"
#include "jobs/resumable_job.hpp"
#include "jobs/sweep_point.hpp"

namespace spikeweave::jobs {
namespace {

using Clock = std::chrono::steady_clock;
constexpr PartMagic kMagic = {'S', 'W', 'S', 'W', 'E', 'E', 'P', '1'};

const std::vector<std::string> kPopulationMetrics = {"rate_hz",
                                                     "cv_isi",
                                                     "n_cv_neurons",
                                                     "fano_factor",
                                                     "synchrony_chi",
                                                     "peak_frequency_hz",
                                                     "peak_power_fraction",
                                                     "silent_fraction"};
const std::vector<std::string> kWeightMetrics = {"weight_mean", "weight_sd", "weight_bimodality"};

std::vector<double> values_of(const PopulationMetrics& m) {
  return {m.rate_hz,
          m.cv_isi,
          m.n_cv_neurons,
          m.fano_factor,
          m.synchrony_chi,
          m.peak_frequency_hz,
          m.peak_power_fraction,
          m.silent_fraction};
}
std::vector<double> values_of(const WeightMetrics& m) {
  return {m.weight_mean, m.weight_sd, m.weight_bimodality};
}

std::string part_name(const std::string& dir, std::uint64_t i) {
  return dir + "/point_" + std::to_string(i) + ".bin";
}

// The point's row of metric columns (io::SweepFileLayout::metric_columns order).
std::vector<double> metric_row(const SweepPointResult& r) {
  std::vector<double> row;
  for (const auto& p : r.populations) {
    const std::vector<double> v = values_of(p);
    row.insert(row.end(), v.begin(), v.end());
  }
  for (const auto& q : r.plastic) {
    const std::vector<double> v = values_of(q);
    row.insert(row.end(), v.begin(), v.end());
  }
  row.push_back(r.wall_seconds);
  row.push_back(r.cpu_seconds);
  return row;
}

struct StoredPoint {
  std::vector<double> metrics;
  std::vector<std::vector<std::uint64_t>> spike_nodes;
  std::vector<std::vector<double>> spike_times_ms;
};

void save_point(const std::string& dir, const SweepPointResult& r) {
  PartWriter w;
  w.u64(r.index);
  w.array(metric_row(r));
  w.u64(r.spike_nodes.size());
  for (std::size_t p = 0; p < r.spike_nodes.size(); ++p) {
    w.array(r.spike_nodes[p]);
    w.array(r.spike_times_ms[p]);
  }
  save_part_file(part_name(dir, r.index), kMagic, w.bytes());
}

std::optional<StoredPoint> load_point(const std::string& dir, std::uint64_t i,
                                      const io::SweepFileLayout& layout) {
  const std::optional<std::string> payload = load_part_file(part_name(dir, i), kMagic);
  if (!payload) return std::nullopt;
  PartReader r(*payload);
  StoredPoint s;
  std::uint64_t index = 0, groups = 0;
  if (!r.u64(index) || index != i || !r.array(s.metrics) || !r.u64(groups)) return std::nullopt;
  if (s.metrics.size() != layout.metric_columns().size()) return std::nullopt;
  s.spike_nodes.resize(groups);
  s.spike_times_ms.resize(groups);
  for (std::uint64_t p = 0; p < groups; ++p) {
    if (!r.array(s.spike_nodes[p]) || !r.array(s.spike_times_ms[p])) return std::nullopt;
  }
  if (layout.keep_spikes && groups != layout.populations.size()) return std::nullopt;
  return s;
}

std::string shard_line(const SweepOptions& options) {
  if (options.shard_count <= 1) return "";
  return "shard = " + std::to_string(options.shard_index) + "/" +
         std::to_string(options.shard_count) + "\n";
}

bool in_shard(std::uint64_t row, std::uint64_t shard_index, std::uint64_t shard_count) {
  return row % shard_count == shard_index;
}

io::SweepFileLayout layout_of(const SweepSpec& spec, const SweepKeyEvaluator& keys,
                              const comm::Context& context, const SweepOptions& options) {
  const SweepTableColumns columns = sweep_table_columns(spec, keys);
  io::SweepFileLayout layout;
  layout.rows = sweep_points(spec).size();
  for (const SweepAxis& axis : spec.axes) layout.axes.push_back(axis.name);
  layout.populations = columns.populations;
  layout.population_metrics = kPopulationMetrics;
  layout.plastic_projections = columns.plastic_projections;
  layout.weight_metrics = kWeightMetrics;
  layout.keep_spikes = spec.keep_spikes;
  layout.spec = canonical_sweep(spec) + shard_line(options);
  layout.sweep_toml = spec.sweep_toml;
  layout.base_toml = spec.base_toml;
  layout.command_line = options.command_line;
  layout.backend = options.backend;
  layout.ranks = context.size();
  return layout;
}

// An empty block of this rank's contiguous rows: points filled, metrics NaN, nothing done.
io::SweepRowBlock empty_block(const comm::Context& context, const io::SweepFileLayout& layout,
                              const std::vector<SweepPoint>& points) {
  io::SweepRowBlock b;
  const std::uint64_t R = layout.rows, ranks = context.size(), r = context.rank();
  b.first_row = R * r / ranks;
  b.rows = R * (r + 1) / ranks - b.first_row;
  b.axis_values.assign(layout.axes.size(), {});
  for (std::uint64_t i = b.first_row; i < b.first_row + b.rows; ++i) {
    for (std::size_t a = 0; a < layout.axes.size(); ++a)
      b.axis_values[a].push_back(points[i].axis_values[a]);
    b.repeat.push_back(points[i].repeat);
    b.seed.push_back(points[i].seed);
  }
  b.metrics.assign(layout.metric_columns().size(), std::vector<double>(b.rows, kUndefined));
  b.done.assign(b.rows, 0);
  b.spike_nodes.assign(b.rows, {});
  b.spike_times_ms.assign(b.rows, {});
  return b;
}

// Fills this rank's block from the part files; a damaged part is removed and reported.
void fill_from_parts(comm::Context& context, const std::string& dir,
                     const io::SweepFileLayout& layout, const SweepOptions& options,
                     io::SweepRowBlock& b, std::vector<std::uint64_t>& spike_counts) {
  const std::size_t P = layout.populations.size();
  spike_counts.assign(layout.keep_spikes ? layout.rows * P : 0, 0);
  std::string problem;
  for (std::uint64_t k = 0; k < b.rows && problem.empty(); ++k) {
    const std::uint64_t i = b.first_row + k;
    if (!in_shard(i, options.shard_index, options.shard_count)) continue;
    std::optional<StoredPoint> s = load_point(dir, i, layout);
    if (!s) {
      problem = part_name(dir, i) + " is missing or damaged; rerun the command to recompute it";
      std::filesystem::remove(part_name(dir, i));
      break;
    }
    for (std::size_t c = 0; c < s->metrics.size(); ++c) b.metrics[c][k] = s->metrics[c];
    b.done[k] = 1;
    if (layout.keep_spikes) {
      for (std::size_t p = 0; p < P; ++p) spike_counts[i * P + p] = s->spike_nodes[p].size();
      b.spike_nodes[k] = std::move(s->spike_nodes);
      b.spike_times_ms[k] = std::move(s->spike_times_ms);
    }
  }
  if (context.any(!problem.empty())) {
    throw FileError(
        options.output,
        problem.empty() ? "a part file of another rank is damaged; rerun the command" : problem);
  }
  context.sum(spike_counts);
}

}  // namespace

SweepReport run_sweep(comm::Context& context, const SweepSpec& spec, const SweepOptions& options) {
  const auto start = Clock::now();
  check_ranks_per_group(context, options.ranks_per_point, "--ranks-per-point");
  if (options.shard_count < 1 || options.shard_index >= options.shard_count)
    throw ConfigError("--shard", "expected I/N with 0 <= I < N");
  io::check_output_path(context, options.output, true);  // the directory; the file is examined
  const bool talk = !options.quiet && context.rank() == 0;
  const SweepKeyEvaluator keys(spec);
  const io::SweepFileLayout layout = layout_of(spec, keys, context, options);
  const ResumableOutput out{options.output, layout.spec, options.overwrite};
  const std::string dir = out.parts_dir();
  const std::vector<SweepPoint> points = sweep_points(spec);
  SweepReport report;
  for (std::uint64_t i = 0; i < points.size(); ++i)
    report.points += in_shard(i, options.shard_index, options.shard_count);
  if (open_resumable_output(context, out, io::read_sweep_spec) == ResumeState::kComplete) {
    report.already_done = report.points;
    report.complete = true;
    if (talk)
      std::fprintf(stderr, "[spikeweave] sweep %s is complete: nothing to do\n",
                   options.output.c_str());
    return report;
  }
  std::vector<std::uint64_t> pending;
  for (std::uint64_t i :
       pending_items(context, points.size(), [&](std::uint64_t i) { return part_name(dir, i); })) {
    if (in_shard(i, options.shard_index, options.shard_count)) pending.push_back(i);
  }
  report.already_done = report.points - pending.size();
  if (talk) {
    std::fprintf(stderr,
                 "[spikeweave] sweep %s: %llu points (%llu already done) of %s on %d rank(s), "
                 "%d per point\n",
                 options.output.c_str(), static_cast<unsigned long long>(report.points),
                 static_cast<unsigned long long>(report.already_done), spec.base_path.c_str(),
                 context.size(), options.ranks_per_point);
  }
  ProgressLine progress(talk, "sweep", "points", report.points, report.already_done);
  const ClaimLoopResult loop = run_claim_loop(
      context, pending, options.ranks_per_point, /*stop_after_items=*/0,
      [&](comm::Context& group, std::uint64_t i) {
        const SweepPointResult result = run_sweep_point(group, spec, keys, points[i]);
        if (group.rank() == 0) save_point(dir, result);
        if (talk) progress.update(count_part_files(dir));
      });
  report.computed = loop.computed;
  report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  io::SweepRowBlock block = empty_block(context, layout, points);
  std::vector<std::uint64_t> spike_counts;
  fill_from_parts(context, dir, layout, options, block, spike_counts);
  io::write_sweep_file(context, options.output, layout, block, spike_counts);
  remove_parts(context, out);
  report.complete = true;
  report.seconds = context.max(std::chrono::duration<double>(Clock::now() - start).count());
  if (talk) {
    progress.update(report.points, true);
    std::fprintf(stderr, "[spikeweave] sweep %s complete: %llu points computed in %.1f s\n",
                 options.output.c_str(), static_cast<unsigned long long>(report.computed),
                 report.seconds);
  }
  return report;
}

}  // namespace spikeweave::jobs
