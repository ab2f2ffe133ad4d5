#include "engine/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "comm/spike.hpp"
#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "core/random.hpp"
#include "kernels/compact.hpp"
#include "kernels/deliver.hpp"

namespace spikeweave::engine {

namespace {

// The gids of every source with a synapse on this rank, or modulating one (dopamine populations
// reach every rank with a projection they modulate), increasing: marked per population, then
// listed, so that the list is built at its final size (at 1,024 ranks each of the 11.5 M sources
// is the source of a row in two projections; collecting every row's gid and removing the
// repeats took twice the list's memory).
std::vector<Gid> needed_sources(const network::NetworkSpec& spec,
                                const std::vector<std::unique_ptr<Projection>>& projections) {
  std::vector<std::vector<bool>> marked(spec.populations.size());
  for (std::size_t p = 0; p < marked.size(); ++p) marked[p].assign(spec.populations[p].size, false);
  for (const auto& projection : projections) {
    std::vector<bool>& mark = marked[static_cast<std::size_t>(projection->source())];
    const auto& row_source = projection->host_tables().row_source;
    for (std::size_t row = 0; row < row_source.extent(0); ++row) mark[row_source(row)] = true;
    const int m = projection->modulator_population();
    if (m >= 0) marked[static_cast<std::size_t>(m)].assign(spec.populations[m].size, true);
  }
  std::size_t count = 0;
  for (const auto& mark : marked)
    count += static_cast<std::size_t>(std::count(mark.begin(), mark.end(), true));
  std::vector<Gid> needed;
  needed.reserve(count);
  // Populations' first gids increase with their index (network/spec.hpp).
  for (std::size_t p = 0; p < marked.size(); ++p) {
    for (std::size_t node = 0; node < marked[p].size(); ++node) {
      if (marked[p][node]) needed.push_back(spec.populations[p].first_gid + node);
    }
  }
  return needed;
}

}  // namespace

Simulation::Simulation(const network::NetworkSpec& source_spec, comm::Context& context,
                       bool checkpointing, bool keep_checkpoint_buffers)
    : net_(network::lower_network(source_spec)),
      spec_(net_.spec),
      context_(context),
      partition_{spec_.simulation.partition, spec_.total_neurons, context.size()},
      keep_checkpoint_buffers_(keep_checkpoint_buffers) {
  const network::NetworkSpec& spec = spec_;
  PhaseTimers::Scope build(timers_, Phase::kBuild);
  // The communication interval is the minimum delay: a spike emitted in an interval cannot be
  // due before the next one, so ranks need to talk only once per interval.
  const Step min_delay = spec.projections.empty() ? comm::kMaxIntervalSteps : net_.min_delay_steps;
  interval_steps_ = static_cast<int>(std::min<Step>(
      {min_delay, comm::kMaxIntervalSteps, std::max<Step>(1, spec.simulation.steps)}));
  // Pending arrivals span at most max_delay slots beyond the interval being updated.
  slots_ = static_cast<int>(net_.max_delay_steps) + interval_steps_;
  flush_every_intervals_ =
      static_cast<std::uint64_t>(std::max<Step>(1, net_.flush_steps / interval_steps_));

  const std::vector<network::LocalPopulation> locals =
      network::local_populations(spec, partition_, context.rank());
  std::vector<std::vector<Gid>> local_gids;
  std::vector<Gid> first_gids;
  for (std::size_t p = 0; p < spec.populations.size(); ++p) {
    groups_.push_back(make_neuron_group(spec, static_cast<int>(p), locals[p].gids, interval_steps_,
                                        slots_, net_.models[p]));
    local_gids.push_back(locals[p].gids);
    first_gids.push_back(spec.populations[p].first_gid);
    compacted_.emplace_back("compacted_spikes", std::max(16, groups_.back()->size()));
  }
  spike_counts_.assign(spec.populations.size(), 0);

  for (std::size_t i = 0; i < spec.projections.size(); ++i) {
    const network::ProjectionSpec& p = spec.projections[i];
    projections_.push_back(make_projection(spec, static_cast<int>(i), partition_, context.rank(),
                                           *groups_[p.target], histories_, rates_, interval_steps_,
                                           net_.plasticity[i]));
    // The keys of the first plastic projection are built while the later ones are: a restart
    // restores their synapses only after the build, and a first checkpoint needs them.
    if (checkpointing && projections_.back()->plastic() &&
        !checkpoint_keys_thread_.thread.joinable())
      start_checkpoint_keys({projections_.back().get()});
  }
  histories_.allocate(groups_, spec.simulation.dt_ms);
  rates_.allocate(groups_, spec.simulation.dt_ms);
  for (auto& projection : projections_) projection->bind(histories_, rates_);
  // The projections learn their receive slots before the exchange is built, which then frees
  // the list: at scale it is the largest thing built here (11.5 M gids at 1,024 ranks).
  std::vector<Gid> needed = needed_sources(spec, projections_);
  const std::vector<std::uint64_t> slot_begin = SpikeExchange::slot_begins(first_gids, needed);
  for (auto& projection : projections_) {
    const auto p = static_cast<std::size_t>(projection->source());
    projection->bind_receive_slots(needed.data() + slot_begin[p],
                                   slot_begin[p + 1] - slot_begin[p]);
  }
  // Direct rows and fused slot tables free the projections' own targets and slot tables before
  // the exchange's build, the next peak.
  std::vector<std::vector<std::uint32_t>> row_keys = use_direct_rows(projections_, slot_begin);
  fuse_static_deliveries(projections_);
  exchange_ = std::make_unique<SpikeExchange>(context, partition_, local_gids, first_gids,
                                              std::move(needed), std::move(row_keys));
  stimuli_ = make_stimuli(spec, groups_);
  recorder_ = std::make_unique<Recorder>(spec, groups_, interval_steps_);
  select_recorded_weights();
  for (const auto& projection : projections_) has_plastic_ = has_plastic_ || projection->plastic();
  received_device_ = kernels::View<std::uint64_t*>("received_spikes", 1024);
  run_begin_device_ = kernels::View<std::uint32_t*>("spike_runs", 1024);
  Kokkos::fence();
}

Simulation::~Simulation() = default;

// Chooses the synapses each [[record]] weights entry samples: the `sample` synapses with the
// smallest hash of (seed, projection, source gid, target gid, ordinal among equal pairs), a
// choice that does not depend on the number of ranks. Collective.
void Simulation::select_recorded_weights() {
  for (const network::WeightRecordSpec& r : spec_.weight_record) {
    const std::vector<SynapseState> states = synapse_states(r.projection);
    const network::ProjectionSpec& proj = spec_.projections[r.projection];
    const Gid source_first = spec_.populations[proj.source].first_gid;
    const Gid target_first = spec_.populations[proj.target].first_gid;
    std::vector<std::uint64_t> hashes(states.size());
    std::map<std::pair<NodeId, NodeId>, std::uint32_t> ordinal;
    for (std::size_t i = 0; i < states.size(); ++i) {
      const std::uint32_t k = ordinal[{states[i].source, states[i].target}]++;
      rng::Stream stream(spec_.simulation.seed, rng::Purpose::kSampling,
                         static_cast<std::uint32_t>(r.projection),
                         static_cast<std::uint32_t>(source_first + states[i].source),
                         static_cast<std::uint32_t>(target_first + states[i].target), k);
      hashes[i] = (std::uint64_t{stream.next_u32()} << 32) | stream.next_u32();
    }
    std::uint64_t threshold = UINT64_MAX;
    if (r.sample > 0) {
      // Every rank sends its `sample` smallest hashes to every rank; the sample-th smallest of
      // all of them is the global threshold.
      std::vector<std::uint64_t> smallest = hashes;
      std::sort(smallest.begin(), smallest.end());
      if (smallest.size() > r.sample) smallest.resize(r.sample);
      const int ranks = context_.size();
      std::vector<std::uint64_t> send, all;
      for (int q = 0; q < ranks; ++q) send.insert(send.end(), smallest.begin(), smallest.end());
      std::vector<int> counts(ranks, static_cast<int>(smallest.size())), received;
      context_.alltoallv(send, counts, all, received, false);
      std::sort(all.begin(), all.end());
      if (all.size() >= r.sample) threshold = all[r.sample - 1];
    }
    std::vector<std::uint64_t> synapses, sources, targets;
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (hashes[i] <= threshold) {
        synapses.push_back(states[i].index);
        sources.push_back(states[i].source);
        targets.push_back(states[i].target);
      }
    }
    recorder_->add_weight_group(r, projections_[r.projection].get(), std::move(synapses),
                                std::move(sources), std::move(targets));
  }
}

// The interval schedule. Interval k covers steps [t_k, t_k + D), D = the minimum delay:
//   S(k)  stimuli add their input for the steps of k to the rings
//   U(k)  neurons update step by step, reading the rings (recorded state sampled per step)
//   X(k)  spikes of k compacted, recorded, packed and exchanged (collective)
//   P(k)  postsynaptic histories and rates take k's spikes
//   D(k)  received spikes of k delivered into the rings at t_k + lag + delay >= t_{k+1}
//   W(k)  plastic sweeps and weight samples at the end of k; output flushed every K intervals
// Dependencies: U(k) needs D(k-1) and S(k) (a spike of k-1 arrives in k at the earliest);
// X(k) needs U(k); D(k) needs X(k) and, for plastic synapses, P(k) (depression reads the
// target's history up to the spike); W(k) needs D(k). Nothing of interval k+1 needs X(k) except
// through D(k), which is why one exchange per interval suffices. One timer per phase, and no
// timer scope encloses another.
void Simulation::run(Step steps, const ProgressCallback& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (step_ == 0) recorder_->sample_weights(0, 0, true);
  const Step first = step_;
  const Step end = step_ + steps;
  while (step_ < end) {
    const int n = static_cast<int>(std::min<Step>(interval_steps_, end - step_));
    // A rank that fails inside the interval says so in the spike exchange, so the others stop
    // with it instead of waiting for it in a collective.
    std::exception_ptr error;
    try {
      run_interval(n);
    } catch (...) {
      error = std::current_exception();
    }
    bool any_failed = false;
    {
      PhaseTimers::Scope t(timers_, Phase::kExchange);
      any_failed = exchange_->exchange(error != nullptr);
    }
    if (any_failed) {
      if (!error) throw PeerFailure();
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        throw RankLocalError(e.what());
      }
    }
    deliver(step_);
    step_ += n;
    if (has_plastic_) {
      PhaseTimers::Scope t(timers_, Phase::kPlasticity);
      for (auto& projection : projections_) projection->sweep(step_);
    }
    if (recorder_->records_weights()) {
      PhaseTimers::Scope t(timers_, Phase::kRecord);
      recorder_->sample_weights(step_ - n, step_, false);
    }
    ++intervals_;
    if (intervals_ % flush_every_intervals_ == 0 || step_ == end) {
      PhaseTimers::Scope t(timers_, Phase::kIo);
      recorder_->flush();
    }
    const bool stop = interval_hook_ && interval_hook_();
    if (progress) {
      progress(Progress{
          step_, end,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), first});
    }
    if (stop) break;
  }
}

void Simulation::flush_output() {
  PhaseTimers::Scope t(timers_, Phase::kIo);
  recorder_->flush();
}

void Simulation::run_interval(int steps) {
  if (histories_.take_overflow()) {
    throw UserError("plasticity",
                    "a postsynaptic spike history overflowed (a neuron fired more often than its "
                    "history_capacity allows between synapse updates); raise history_capacity or "
                    "lower sweep_interval_ms in the projection's plasticity table");
  }
  if (!stimuli_.empty()) {
    PhaseTimers::Scope t(timers_, Phase::kStimulus);
    for (auto& s : stimuli_) s->apply(step_, steps);
    Kokkos::fence();
  }
  {
    PhaseTimers::Scope t(timers_, Phase::kUpdate);
    if (recorder_->samples_state()) {
      for (int lag = 0; lag < steps; ++lag) {
        for (auto& g : groups_) g->update(step_ + lag, lag);
        recorder_->sample(step_ + lag);
      }
    } else {  // nothing reads the state between steps: one parallel region per population
      for (auto& g : groups_) g->update_interval(step_, steps);
    }
    Kokkos::fence();
    for (auto& g : groups_) g->check_errors(step_, spec_.simulation.dt_ms);
  }
  send_spikes(steps);
  if (!histories_.empty() || !rates_.empty()) {
    PhaseTimers::Scope p(timers_, Phase::kPlasticity);
    histories_.append(groups_, step_, steps);
    rates_.update(groups_, steps);
  }
}

// Compacts each population's spikes of the interval, records them and queues them for the
// exchange (compaction and packing count as exchange work, the recorder's copy as recording).
void Simulation::send_spikes(int steps) {
  for (std::size_t p = 0; p < groups_.size(); ++p) {
    NeuronGroup& g = *groups_[p];
    if (g.size() == 0) continue;
    std::size_t count = 0;
    const auto host = [&] {
      PhaseTimers::Scope t(timers_, Phase::kExchange);
      count = kernels::compact_spikes(g.fired(), steps, compacted_[p]);
      return Kokkos::create_mirror_view_and_copy(
          Kokkos::HostSpace(),
          Kokkos::subview(compacted_[p], std::make_pair<std::size_t>(0, count)));
    }();
    if (count == 0) continue;
    spike_counts_[p] += count;
    {
      PhaseTimers::Scope t(timers_, Phase::kRecord);
      recorder_->add_spikes(static_cast<int>(p), host.data(), count, step_);
    }
    PhaseTimers::Scope t(timers_, Phase::kExchange);
    exchange_->add_local_spikes(static_cast<int>(p), host.data(), count);  // reorders `host`
  }
  PhaseTimers::Scope t(timers_, Phase::kRecord);
  recorder_->end_interval();
}

// Runs of equal source inside each population's received spikes, for rules that must see one
// source's spikes in order (offsets relative to the population's first spike, then its end).
void Simulation::find_source_runs() {
  run_begin_.clear();
  source_runs_.resize(spec_.populations.size());
  for (std::size_t p = 0; p < spec_.populations.size(); ++p) {
    const std::size_t first = run_begin_.size();
    const std::vector<std::uint32_t> runs = exchange_->source_runs(static_cast<int>(p));
    run_begin_.insert(run_begin_.end(), runs.begin(), runs.end());
    source_runs_[p] = {first, runs.size() - 1};
  }
}

void Simulation::deliver(Step first_step) {
  PhaseTimers::Scope t(timers_, Phase::kDeliver);
  const std::vector<std::uint64_t>& received = exchange_->received();
  const std::size_t n = received.size();
  spikes_delivered_ += n;
  if (n == 0) return;
  if (has_plastic_) find_source_runs();
  // The kernels read the spikes and runs from device Views. Where the device is the host, the
  // Views wrap the host vectors (no copy); they are not touched until the kernels have run.
  kernels::View<const std::uint64_t*> spikes;
  kernels::View<const std::uint32_t*> run_begin;
  using Unmanaged = Kokkos::MemoryTraits<Kokkos::Unmanaged>;
  if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, kernels::MemSpace>::accessible) {
    spikes = Kokkos::View<const std::uint64_t*, kernels::MemSpace, Unmanaged>(received.data(), n);
    run_begin = Kokkos::View<const std::uint32_t*, kernels::MemSpace, Unmanaged>(run_begin_.data(),
                                                                                 run_begin_.size());
  } else {
    if (received_device_.extent(0) < n) {
      received_device_ = kernels::View<std::uint64_t*>("received_spikes", n + n / 2);
    }
    if (run_begin_device_.extent(0) < run_begin_.size()) {
      run_begin_device_ =
          kernels::View<std::uint32_t*>("spike_runs", run_begin_.size() + run_begin_.size() / 2);
    }
    Kokkos::deep_copy(
        Kokkos::subview(received_device_, std::make_pair<std::size_t>(0, n)),
        Kokkos::View<const std::uint64_t*, Kokkos::HostSpace, Unmanaged>(received.data(), n));
    Kokkos::deep_copy(
        Kokkos::subview(run_begin_device_, std::make_pair<std::size_t>(0, run_begin_.size())),
        Kokkos::View<const std::uint32_t*, Kokkos::HostSpace, Unmanaged>(run_begin_.data(),
                                                                         run_begin_.size()));
    spikes = received_device_;
    run_begin = run_begin_device_;
  }
  // Modulatory spikes first: a synapse updated at time T needs the dopamine up to T.
  for (auto& proj : projections_) {
    const int m = proj->modulator_population();
    if (m < 0) continue;
    std::vector<Step> stamps;
    const auto [begin, count] = exchange_->population_range(m);
    for (std::size_t k = begin; k < begin + count; ++k) {
      stamps.push_back(first_step + comm::spike_lag(received[k]) + 1);
    }
    std::sort(stamps.begin(), stamps.end());
    proj->add_modulator_spikes(stamps);
  }
  for (auto& proj : projections_) {
    const auto [begin, count] = exchange_->population_range(proj->source());
    if (count == 0) continue;
    SpikeBatch batch;
    batch.spikes = Kokkos::subview(spikes, std::make_pair(begin, begin + count));
    batch.count = count;
    if (has_plastic_) {
      const auto [run_first, n_runs] = source_runs_[proj->source()];
      batch.run_begin =
          Kokkos::subview(run_begin, std::make_pair(run_first, run_first + n_runs + 1));
      batch.runs = n_runs;
    }
    synaptic_events_ += proj->deliver(batch, first_step);
  }
  Kokkos::fence();
}

std::vector<SynapseState> Simulation::synapse_states(int projection) const {
  const Projection& proj = *projections_.at(projection);
  const network::SynapseTables& t = proj.host_tables();
  const NeuronGroup& target = *groups_[proj.target()];
  const Gid target_first = target.spec().first_gid;
  std::vector<SynapseState> states;
  std::vector<std::uint64_t> indices;
  proj.for_each_synapse(
      [&](std::uint64_t row, int delay_steps, std::uint64_t k, std::uint32_t target_index) {
        SynapseState s;
        s.source = t.row_source(row);
        s.target = target.gids()[target_index] - target_first;
        s.delay_steps = delay_steps;
        s.index = k;
        states.push_back(s);
        indices.push_back(k);
      });
  const std::vector<double> weights = proj.weights(indices);
  for (std::size_t i = 0; i < states.size(); ++i) states[i].weight = weights[i];
  return states;
}

std::vector<std::uint64_t> Simulation::global_spike_counts() {
  std::vector<std::uint64_t> counts = spike_counts_;
  context_.sum(counts);
  return counts;
}

std::uint64_t Simulation::local_synapses() const {
  std::uint64_t n = 0;
  for (const auto& p : projections_) n += p->synapses();
  return n;
}

std::uint64_t Simulation::local_neurons() const {
  std::uint64_t n = 0;
  for (const auto& g : groups_) n += static_cast<std::uint64_t>(g->size());
  return n;
}

std::uint64_t Simulation::local_synapse_bytes() const {
  std::uint64_t n = 0;
  for (const auto& p : projections_) n += p->bytes() + p->slot_row_bytes();
  return n + histories_.bytes();
}

io::Provenance Simulation::provenance(const std::string& command_line) {
  io::Provenance p;
  p.config_toml = spec_.toml_text;
  p.command_line = command_line;
  p.ranks = context_.size();
  p.backend = kernels::ExecSpace::name();
  p.dt_ms = spec_.simulation.dt_ms;
  p.t_stop_ms = static_cast<double>(step_) * spec_.simulation.dt_ms;
  p.seed = spec_.simulation.seed;
  std::vector<double> seconds(timers_.all().begin(), timers_.all().end());
  context_.max(seconds);
  for (std::size_t i = 0; i < seconds.size(); ++i)
    p.phase_seconds[std::string(kPhaseNames[i])] = seconds[i];
  std::vector<std::uint64_t> totals = {local_neurons(), local_synapses(), synaptic_events_,
                                       peak_rss_bytes(), local_synapse_bytes()};
  context_.sum(totals);
  p.counters["neurons"] = static_cast<double>(totals[0]);
  p.counters["synapses"] = static_cast<double>(totals[1]);
  p.counters["synaptic_events"] = static_cast<double>(totals[2]);
  p.counters["peak_rss_bytes_sum"] = static_cast<double>(totals[3]);
  p.counters["synapse_table_bytes"] = static_cast<double>(totals[4]);
  p.counters["peak_rss_bytes_max_rank"] = context_.max(static_cast<double>(peak_rss_bytes()));
  p.counters["interval_steps"] = interval_steps_;
  p.counters["threads_per_rank"] = kernels::ExecSpace().concurrency();
  std::vector<std::uint64_t> routing = {exchange_->routing_bytes()};
  context_.sum(routing);
  p.counters["routing_bytes"] = static_cast<double>(routing[0]);
  const std::vector<std::uint64_t> spikes = global_spike_counts();
  std::uint64_t all = 0;
  for (std::uint64_t s : spikes) all += s;
  p.counters["spikes"] = static_cast<double>(all);
  p.presentations = presentation_logs(spec_, stimuli_);
  return p;
}

}  // namespace spikeweave::engine
