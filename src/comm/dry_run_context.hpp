#pragma once
// The dry-run context: one process plays rank R of P ranks (as Arbor's dry_run_context does), so
// that the per-rank cost of a P-rank run, and of its spike exchange, can be measured on one node.
//
// The engine builds only rank R's part of a network sized for P ranks (its neurons and the
// synapses onto them, exactly as the real rank R would) and talks to "the other ranks" through
// this context, which answers for them:
//
// - Reductions: every other rank is taken to contribute what this rank contributes. sum(x) is
//   P * x, max/min(x) and any(x) are x, exclusive_prefix_sum(x) is R * x, all_gather(x) is P
//   copies of x, broadcast keeps this rank's value, barrier does nothing, split returns a dry-run
//   context of the same R and P (every rank is taken to pick this rank's colour).
// - The routing request (request_sources, SpikeExchange's build-time call in which each rank
//   tells the owners which of their neurons it has synapses from, with its receive slot for
//   each): the requests to the other ranks are kept (they are the sources whose spikes this rank
//   will receive, and the keys those spikes carry) and the other ranks' requests to this rank are
//   drawn. Rule: rank q needs each neuron of population p with the probability
//   f_p = (neurons of p this rank needs) / (size of p), independently per (neuron, q).
//   That is exact in distribution for connectivity drawn independently per target with uniform
//   sources (fixed_indegree, pairwise_bernoulli, fixed_total_number) when every rank holds the
//   same mix of targets (round_robin partition, the default); for hpc_benchmark at P <= 4096 and
//   >= 1125 neurons per rank f is 0.93 to 1, so nearly every rank needs nearly every source.
//   It is only statistical for one_to_one or structured connectivity and for the block partition.
// - Any alltoallv (weight-recording samples, at build time or later): every other rank sends
//   this rank what this rank sends itself. Each operation is answered by what it is, never by
//   its position among the collectives.
// - The spike exchange (exchange_spikes, after begin_time_loop): the block from this rank to
//   itself is passed through; for every other rank q the block holds fabricated spikes of the
//   sources this rank asked q for: each source fires in each step of the interval with
//   probability rate_hz * dt (a Bernoulli process on the time grid, as the engine's neurons
//   spike), packed as (receive slot, lag) in the order a real sender produces them (population,
//   then gid, then lag). Rates are given per population, or follow this rank's own neurons: the
//   mean rate of this rank's neurons of that population over the last kFollowWindowMs (whole
//   intervals, the current one included), so that the fabricated sources follow the network's
//   transients (the start) without keeping their bias for the whole run as a mean since the
//   start would. What this rank sends to the other ranks is counted (words, messages) and
//   dropped.
//
// The fabricated draws use Philox streams keyed by (seed ^ a dry-run constant, rank q, population,
// step): a dry run is reproducible and never touches the network's own random streams.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "comm/context.hpp"
#include "core/ids.hpp"
#include "core/phase_timers.hpp"
#include "partition/partition.hpp"

namespace spikeweave::comm {

// Window of a rate that follows this rank's own neurons [ms]. Long enough that 1000 neurons at
// 10 Hz give ~1000 spikes (a 3% estimate): the estimate's noise is fed back to this rank's
// neurons through the fabricated input, and with a 20 ms window it pulled Brunel's network 12-16%
// below its rate (3-5% with 100 ms, as with the rate given).
inline constexpr double kFollowWindowMs = 100.0;

struct DryRunPopulation {
  std::string name;
  Gid first_gid = 0;
  std::uint64_t size = 0;
  double rate_hz = -1.0;  // [Hz] rate of the other ranks' neurons; negative: follow this rank's
};

struct DryRunSettings {
  int rank = 0;   // R
  int ranks = 1;  // P
  partition::Scheme scheme = partition::Scheme::kRoundRobin;
  std::vector<DryRunPopulation> populations;  // in gid order, covering 0 .. total - 1
  double dt_ms = 0.1;                         // [ms]
  std::uint64_t seed = 0;
};

// Parses the CLI's "R/P" (0 <= R < P) into settings.rank/ranks; throws UserError naming `option`.
void parse_dry_run_rank(const std::string& text, const std::string& option,
                        DryRunSettings& settings);
// Parses "8.5" (every population) or "E=8.5,I=12" into the populations' rate_hz (settings'
// populations must be filled first); throws UserError naming `option`.
void parse_dry_run_rates(const std::string& text, const std::string& option,
                         DryRunSettings& settings);

class DryRunContext;
// The context of `spikeweave run --dry-run R/P [--dry-run-rates RATES]`: checks that `world` is a
// single process, parses both options into `settings` (whose populations are filled) and makes
// the context. Throws UserError naming the option.
std::unique_ptr<DryRunContext> make_dry_run_context(const Context& world,
                                                    const std::string& rank_option,
                                                    const std::string& rates_option,
                                                    DryRunSettings settings);

// What the dry run measured and fabricated (for the benchmark record).
struct DryRunStats {
  std::uint64_t remote_sources = 0;         // sources on other ranks this rank receives from
  std::uint64_t remote_destinations = 0;    // (own neuron, other rank needing it) pairs
  double build_fabricate_seconds = 0.0;     // drawing the other ranks' requests (not a real cost)
  std::uint64_t intervals = 0;              // spike exchanges
  std::uint64_t words_sent_remote = 0;      // spike words this rank sent to other ranks
  std::uint64_t messages_sent_remote = 0;   // non-empty blocks sent to other ranks
  std::uint64_t words_received_remote = 0;  // fabricated spike words received
  std::uint64_t messages_received_remote = 0;
  std::uint64_t words_self = 0;        // spike words this rank sent itself
  double fabricate_seconds = 0.0;      // making up spikes inside the exchange (not a real cost)
  double fabricate_cpu_seconds = 0.0;  // the same in process CPU time
  std::vector<double> interval_work_seconds;      // wall time between exchanges (this rank's work)
  std::vector<double> interval_work_cpu_seconds;  // the same in process CPU time
  std::vector<double> rates_hz;                   // mean fabricated rate per population
};

// The figures of one dry run that the engine knows (passed in by the caller, since comm does not
// depend on the engine).
struct DryRunRunFigures {
  const PhaseTimers* timers = nullptr;
  std::uint64_t local_neurons = 0;
  std::uint64_t local_synapses = 0;
  std::uint64_t synaptic_events = 0;
  std::uint64_t spikes_delivered = 0;             // received spikes delivered (own and fabricated)
  std::vector<std::uint64_t> local_spike_counts;  // per population
  int interval_steps = 1;
  double simulated_ms = 0.0;
  double build_seconds = 0.0;
  double run_seconds = 0.0;
};

class DryRunContext final : public Context {
 public:
  explicit DryRunContext(DryRunSettings settings);

  int rank() const override { return settings_.rank; }
  int size() const override { return settings_.ranks; }
  std::string kind() const override { return "dry-run"; }

  bool alltoallv(const std::vector<std::uint64_t>& send, const std::vector<int>& send_counts,
                 std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                 bool this_rank_failed) override;
  void request_sources(const std::vector<std::uint64_t>& gids,
                       const std::vector<std::uint32_t>& keys, const std::vector<int>& counts,
                       std::vector<std::uint64_t>& asked_gids,
                       std::vector<std::uint32_t>& asked_keys,
                       std::vector<int>& asked_counts) override;
  bool exchange_spikes(const std::vector<std::uint64_t>& send, const std::vector<int>& send_counts,
                       std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                       bool this_rank_failed) override;
  using Context::max;  // the one-value forms
  using Context::sum;
  void sum(std::vector<double>& values) override;
  void sum(std::vector<std::uint64_t>& values) override;
  void max(std::vector<double>&) override {}
  void min(std::vector<double>&) override {}
  std::uint64_t exclusive_prefix_sum(std::uint64_t value) override;
  bool any(bool flag) override { return flag; }
  void broadcast(std::string&, int) override {}
  std::vector<std::uint64_t> all_gather(std::uint64_t value) override;
  void barrier() override {}
  std::unique_ptr<Context> split(int color, int key) override;
  // The pretended ranks share no real node: this process is its own.
  std::unique_ptr<Context> split_node() override { return make_local_context(); }

  // Spike exchanges may follow: the k-th covers steps
  // [first_step + k * interval_steps, ...) up to end_step. `own_spike_counts` returns this rank's
  // spike counts per population so far (needed when a population's rate follows this rank's).
  void begin_time_loop(Step first_step, int interval_steps, Step end_step,
                       std::function<std::vector<std::uint64_t>()> own_spike_counts = {});

  const DryRunStats& stats() const { return stats_; }
  const DryRunSettings& settings() const { return settings_; }
  // One JSON object (one line) describing the run: rank, ranks, per-phase seconds, the exchange
  // work without the fabrication, traffic and rates.
  std::string record(const DryRunRunFigures& figures) const;

 private:
  void draw_requests_to_this_rank(const std::vector<std::uint64_t>& send,
                                  const std::vector<std::uint32_t>& keys,
                                  const std::vector<int>& send_counts,
                                  const std::vector<std::uint64_t>& needed,
                                  std::vector<std::uint64_t>& recv,
                                  std::vector<std::uint32_t>& recv_keys,
                                  std::vector<int>& recv_counts);
  void fabricate_spikes(const std::vector<std::uint64_t>& send, const std::vector<int>& send_counts,
                        std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts);
  std::vector<double> interval_rates_hz(int steps);

  DryRunSettings settings_;
  partition::Partition partition_;
  std::uint64_t stream_key_ = 0;
  bool requests_answered_ = false;
  bool in_loop_ = false;
  Step step_ = 0;
  int interval_steps_ = 1;
  Step end_step_ = 0;
  std::function<std::vector<std::uint64_t>()> own_spike_counts_;
  struct CountsAt {
    Step step = 0;
    std::vector<std::uint64_t> counts;
  };
  std::deque<CountsAt> own_history_;        // own spike counts at interval ends, over the window
  std::vector<std::uint64_t> own_neurons_;  // per population
  // Sources this rank receives from other ranks: for owner q and population p, the gids
  // remote_sources_[segment_[q * (pops + 1) + p] .. segment_[q * (pops + 1) + p + 1]).
  std::vector<Gid> remote_sources_;
  std::vector<std::uint32_t> remote_keys_;  // this rank's receive key (slot) of each remote source
  std::vector<std::size_t> segment_;
  std::vector<double> rate_sum_hz_;
  DryRunStats stats_;
  std::chrono::steady_clock::time_point last_exchange_end_;
  double loop_start_cpu_seconds_ = 0.0;
  double last_exchange_end_cpu_seconds_ = 0.0;
};

}  // namespace spikeweave::comm
