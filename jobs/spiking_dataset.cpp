#include "jobs/spiking_dataset.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/errors.hpp"
#include "core/random.hpp"
#include "engine/simulation.hpp"
#include "io/dataset_spec.hpp"
#include "io/dataset_spiking_file.hpp"
#include "jobs/override_value.hpp"
#include "jobs/part_file.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "jobs/resumable_job.hpp"
#include "jobs/spike_collector.hpp"
#include "jobs/work_queue.hpp"
#include "network/spec.hpp"

namespace spikeweave::jobs {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Philox objects of Purpose::kDataset used here (the rate dataset uses 1 .. 8).
constexpr std::uint32_t kInstanceSeed = 100;
constexpr std::uint32_t kVariedBase = 101;

std::string value_text(const VariedKey& v, double value) {
  return v.integer ? std::to_string(std::llround(value)) : override_value_text(value);
}

// ---- part files: one per finished instance ------------------------------------------------
constexpr PartMagic kMagic = {'S', 'W', 'S', 'P', 'I', 'K', 'E', '1'};

std::string part_name(const std::string& dir, std::uint64_t m) {
  return dir + "/instance_" + std::to_string(m) + ".bin";
}

void save_part(const std::string& dir, const io::SpikingInstance& s) {
  PartWriter w;
  w.u64(s.index);
  w.u64(s.seed);
  w.array(s.varied);
  w.u64(s.spike_nodes.size());
  for (std::size_t p = 0; p < s.spike_nodes.size(); ++p) {
    w.array(s.spike_nodes[p]);
    w.array(s.spike_times_ms[p]);
  }
  w.u64(s.sources.size());
  for (std::size_t q = 0; q < s.sources.size(); ++q) {
    w.array(s.sources[q]);
    w.array(s.targets[q]);
    w.array(s.weights[q]);
    w.array(s.delays_ms[q]);
  }
  save_part_file(part_name(dir, s.index), kMagic, w.bytes());
}

// Reads a part file; false if it is missing, truncated or damaged.
bool load_part(const std::string& dir, std::uint64_t m, io::SpikingInstance& s) {
  const std::optional<std::string> payload = load_part_file(part_name(dir, m), kMagic);
  if (!payload) return false;
  PartReader r(*payload);
  std::uint64_t groups = 0, projections = 0;
  if (!r.u64(s.index) || s.index != m || !r.u64(s.seed) || !r.array(s.varied) || !r.u64(groups))
    return false;
  s.spike_nodes.resize(groups);
  s.spike_times_ms.resize(groups);
  for (std::uint64_t p = 0; p < groups; ++p) {
    if (!r.array(s.spike_nodes[p]) || !r.array(s.spike_times_ms[p])) return false;
  }
  if (!r.u64(projections)) return false;
  s.sources.resize(projections);
  s.targets.resize(projections);
  s.weights.resize(projections);
  s.delays_ms.resize(projections);
  for (std::uint64_t q = 0; q < projections; ++q) {
    if (!r.array(s.sources[q]) || !r.array(s.targets[q]) || !r.array(s.weights[q]) ||
        !r.array(s.delays_ms[q])) {
      return false;
    }
  }
  return true;
}

// ---- one instance on a group of ranks ------------------------------------------------------
// Runs instance m on `group`; the group's rank 0 gets the whole instance, sorted.
io::SpikingInstance run_instance(comm::Context& group, const SpikingDatasetSpec& spec,
                                 std::uint64_t m) {
  io::SpikingInstance s;
  s.index = m;
  const std::vector<std::string> overrides = instance_overrides(spec, m, &s.varied, &s.seed);
  const network::NetworkSpec net =
      network::parse_network(spec.network_toml, spec.source, overrides);
  engine::Simulation simulation(net, group);
  const double dt = net.simulation.dt_ms;
  // Connectivity before the run: the weights that produced the activity.
  std::vector<std::uint64_t> words;
  const std::size_t Q = net.projections.size();
  for (std::size_t q = 0; q < Q; ++q) {
    const auto states = simulation.synapse_states(static_cast<int>(q));
    words.push_back(states.size());
    for (const auto& st : states) {
      words.push_back(st.source);
      words.push_back(st.target);
      words.push_back(bits_of(st.weight));
      words.push_back(bits_of(st.delay_steps * dt));
    }
  }
  const std::vector<std::uint64_t> received = gather_words_to_root(group, words);
  SpikeCollector collector(simulation.spike_layouts().size());
  simulation.set_output(&collector);
  simulation.run_to_end();
  SortedSpikes spikes = gather_spikes_to_root(group, collector);
  if (group.rank() != 0) return s;
  s.spike_nodes = std::move(spikes.nodes);
  s.spike_times_ms = std::move(spikes.times_ms);
  s.sources.assign(Q, {});
  s.targets.assign(Q, {});
  s.weights.assign(Q, {});
  s.delays_ms.assign(Q, {});
  std::vector<std::vector<std::tuple<std::uint64_t, std::uint64_t, double, double>>> synapses(Q);
  for (std::size_t at = 0; at < received.size();) {  // rank by rank
    for (std::size_t q = 0; q < Q; ++q) {
      const std::uint64_t n = received[at++];
      for (std::uint64_t e = 0; e < n; ++e, at += 4) {
        synapses[q].emplace_back(received[at], received[at + 1], double_of(received[at + 2]),
                                 double_of(received[at + 3]));
      }
    }
  }
  for (std::size_t q = 0; q < Q; ++q) {
    std::sort(synapses[q].begin(), synapses[q].end());
    for (const auto& [source, target, weight, delay] : synapses[q]) {
      s.sources[q].push_back(source);
      s.targets[q].push_back(target);
      s.weights[q].push_back(weight);
      s.delays_ms[q].push_back(delay);
    }
  }
  return s;
}

}  // namespace

std::vector<std::string> instance_overrides(const SpikingDatasetSpec& spec, std::uint64_t m,
                                            std::vector<double>* varied, std::uint64_t* seed) {
  std::vector<std::string> overrides = spec.set;
  if (varied) varied->clear();
  for (std::size_t k = 0; k < spec.vary.size(); ++k) {
    const VariedKey& v = spec.vary[k];
    rng::Stream stream(spec.seed, rng::Purpose::kDataset,
                       kVariedBase + static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(m),
                       static_cast<std::uint32_t>(m >> 32));
    double value = v.values.sample(stream, "--vary " + v.key);
    if (v.integer) value = static_cast<double>(std::llround(value));
    if (varied) varied->push_back(value);
    overrides.push_back(v.key + "=" + value_text(v, value));
  }
  rng::Stream stream(spec.seed, rng::Purpose::kDataset, kInstanceSeed,
                     static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(m >> 32));
  const std::uint64_t hi = stream.next_u32(), lo = stream.next_u32();
  const std::uint64_t instance_seed = ((hi << 32) | lo) >> 1;  // a TOML (signed) integer
  if (seed) *seed = instance_seed;
  overrides.push_back("simulation.seed=" + std::to_string(instance_seed));
  overrides.push_back("simulation.output=\"\"");
  return overrides;
}

void validate(const SpikingDatasetSpec& spec) {
  if (spec.instances < 1) throw ConfigError("--networks", "expected at least 1 network");
  if (spec.output.empty()) throw ConfigError("--out", "an output file is required");
  // An override of a varied key that fails names the --vary option, not --set.
  auto rename = [&](const ConfigError& e, const std::string& suffix) {
    const std::string what = std::string(e.what()).substr(e.where().size() + 2) + suffix;
    for (const VariedKey& v : spec.vary) {
      if (e.where().rfind("--set " + v.key + "=", 0) == 0)
        throw ConfigError("--vary " + v.key, what);
    }
    throw ConfigError(e.where(), what);
  };
  // Instance 0, and every varied key at its lowest and at its highest value.
  try {
    network::parse_network(spec.network_toml, spec.source, instance_overrides(spec, 0));
  } catch (const ConfigError& e) {
    rename(e, " (instance 0)");
  }
  for (const bool high : {false, true}) {
    std::vector<std::string> overrides = spec.set;
    for (const VariedKey& v : spec.vary) {
      overrides.push_back(v.key + "=" +
                          value_text(v, high ? v.values.highest() : v.values.lowest()));
    }
    try {
      network::parse_network(spec.network_toml, spec.source, overrides);
    } catch (const ConfigError& e) {
      rename(e, std::string(" (with the varied keys at their ") + (high ? "highest" : "lowest") +
                    " values)");
    }
  }
}

std::string canonical_spec(const SpikingDatasetSpec& spec) {
  std::ostringstream out;
  out << "[dataset]\nkind = \"spiking\"\nnetworks = " << spec.instances << "\nseed = " << spec.seed
      << "\n";
  for (std::size_t i = 0; i < spec.set.size(); ++i)
    out << "set." << i << " = \"" << spec.set[i] << "\"\n";
  for (const VariedKey& v : spec.vary) {
    out << "vary." << v.key << " = \"" << v.values.describe() << (v.integer ? " (integer)" : "")
        << " [" << override_value_text(v.values.a) << ", " << override_value_text(v.values.b)
        << ", " << override_value_text(v.values.min) << ", " << override_value_text(v.values.max)
        << "]\"\n";
  }
  out << "network_toml_fnv1a = " << fnv1a(spec.network_toml) << "\n";
  return out.str();
}

SpikingDatasetReport run_spiking_dataset(comm::Context& context, const SpikingDatasetSpec& spec,
                                         const SpikingDatasetOptions& options) {
  const auto start = Clock::now();
  validate(spec);
  const int R = options.ranks_per_network;
  check_ranks_per_group(context, R, "--ranks-per-network");
  const bool talk = !options.quiet && context.rank() == 0;
  const ResumableOutput out{spec.output, canonical_spec(spec), options.overwrite};
  const std::string dir = out.parts_dir();
  const std::string& canonical = out.canonical;
  SpikingDatasetReport report;
  report.instances = spec.instances;
  const ResumeState state = open_resumable_output(context, out, io::read_dataset_spec);
  if (state == ResumeState::kComplete) {
    report.already_done = spec.instances;
    report.complete = true;
    if (talk)
      std::fprintf(stderr, "[spikeweave] dataset %s is complete: nothing to do\n",
                   spec.output.c_str());
    return report;
  }
  const std::vector<std::uint64_t> pending =
      pending_items(context, spec.instances, [&](std::uint64_t m) { return part_name(dir, m); });
  report.already_done = spec.instances - pending.size();
  if (talk) {
    std::fprintf(
        stderr,
        "[spikeweave] dataset %s: %s, %llu instances of %s on %d rank(s), %d per instance\n",
        spec.output.c_str(), state == ResumeState::kResume ? "resuming" : "new",
        static_cast<unsigned long long>(spec.instances), spec.source.c_str(), context.size(), R);
    if (report.already_done > 0) {
      std::fprintf(stderr, "[spikeweave] %llu networks already done, %zu to go\n",
                   static_cast<unsigned long long>(report.already_done), pending.size());
    }
  }
  ProgressLine progress(talk, "dataset", "networks", spec.instances, report.already_done);
  const ClaimLoopResult loop = run_claim_loop(context, pending, R, options.stop_after_instances,
                                              [&](comm::Context& group, std::uint64_t m) {
                                                const io::SpikingInstance instance =
                                                    run_instance(group, spec, m);
                                                if (group.rank() == 0) save_part(dir, instance);
                                                if (talk) progress.update(count_part_files(dir));
                                              });
  report.computed = loop.computed;
  if (loop.stopped) {
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return report;
  }
  // Assembly: rank r reads the parts of its contiguous range of instances.
  const std::uint64_t M = spec.instances, ranks = context.size(), r = context.rank();
  const std::uint64_t first = M * r / ranks, last = M * (r + 1) / ranks;
  const network::NetworkSpec net =
      network::parse_network(spec.network_toml, spec.source, instance_overrides(spec, 0));
  io::SpikingDatasetLayout layout;
  layout.instances = M;
  for (int p : net.spike_record) layout.populations.push_back(net.populations[p].name);
  for (const auto& projection : net.projections) layout.projections.push_back(projection.name);
  for (const VariedKey& v : spec.vary) layout.varied_keys.push_back(v.key);
  layout.spec = canonical;
  layout.command_line = options.command_line;
  layout.backend = options.backend;
  const std::size_t columns = layout.populations.size() + layout.projections.size();
  std::vector<io::SpikingInstance> mine;
  std::vector<std::uint64_t> counts(M * columns, 0);
  std::string problem;
  for (std::uint64_t m = first; m < last; ++m) {
    io::SpikingInstance s;
    if (!load_part(dir, m, s) || s.spike_nodes.size() != layout.populations.size() ||
        s.sources.size() != layout.projections.size()) {
      problem = part_name(dir, m) + " is missing or damaged; rerun the command to recompute it";
      fs::remove(part_name(dir, m));
      break;
    }
    for (std::size_t p = 0; p < layout.populations.size(); ++p)
      counts[m * columns + p] = s.spike_nodes[p].size();
    for (std::size_t q = 0; q < layout.projections.size(); ++q) {
      counts[m * columns + layout.populations.size() + q] = s.sources[q].size();
    }
    mine.push_back(std::move(s));
  }
  if (context.any(!problem.empty())) {
    throw FileError(spec.output, problem.empty()
                                     ? "a part file of another rank is damaged; rerun the command"
                                     : problem);
  }
  context.sum(counts);
  io::write_spiking_dataset(context, spec.output, layout, mine, counts);
  remove_parts(context, out);
  report.complete = true;
  report.seconds = context.max(std::chrono::duration<double>(Clock::now() - start).count());
  if (talk) {
    std::fprintf(stderr, "[spikeweave] dataset %s complete: %llu instances computed in %.1f s\n",
                 spec.output.c_str(), static_cast<unsigned long long>(report.computed),
                 report.seconds);
  }
  return report;
}

}  // namespace spikeweave::jobs
