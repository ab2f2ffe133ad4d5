#include "comm/dry_run_context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numeric>

#include "comm/spike.hpp"
#include "core/errors.hpp"
#include "core/memory_usage.hpp"
#include "core/random.hpp"

namespace spikeweave::comm {
namespace {

using Clock = std::chrono::steady_clock;

// Mixed into the seed so that dry-run draws are independent of the network's own streams.
constexpr std::uint64_t kDryRunKey = 0x6472792d72756e21ull;  // "dry-run!"

// Process CPU time: on a shared machine a run's CPU time is far less disturbed by other
// processes than its wall time (with threads it is the sum over threads).
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Calls emit(i) for each i in [0, n) chosen independently with probability p, in increasing
// order. Geometric skips between chosen indices (or between unchosen ones when p > 1/2) make the
// cost proportional to the smaller of the two sets, not to n.
template <class Emit>
void bernoulli_subset(rng::Stream& stream, std::uint64_t n, double p, Emit&& emit) {
  if (n == 0 || p <= 0.0) return;
  if (p >= 1.0) {
    for (std::uint64_t i = 0; i < n; ++i) emit(i);
    return;
  }
  const bool complement = p > 0.5;
  const double log_miss = std::log1p(-(complement ? 1.0 - p : p));
  // Number of misses before the next hit of a Bernoulli(q) sequence, capped at n.
  auto skip = [&]() -> std::uint64_t {
    const double k = std::floor(std::log(stream.uniform()) / log_miss);
    return k >= static_cast<double>(n) ? n : static_cast<std::uint64_t>(k);
  };
  if (!complement) {
    for (std::uint64_t i = skip(); i < n; i += 1 + skip()) emit(i);
    return;
  }
  std::uint64_t excluded = skip();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (i == excluded) {
      excluded = std::min<std::uint64_t>(n, i + 1 + skip());
      continue;
    }
    emit(i);
  }
}

[[noreturn]] void bad_option(const std::string& option, const std::string& text,
                             const std::string& expected) {
  throw UserError(option, "'" + text + "': " + expected);
}

double parse_rate(const std::string& text, const std::string& option) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value < 0.0) {
    bad_option(option, text, "expected a rate in Hz, a finite number >= 0");
  }
  return value;
}

}  // namespace

void parse_dry_run_rank(const std::string& text, const std::string& option,
                        DryRunSettings& settings) {
  const std::string expected = "expected R/P with 0 <= R < P, e.g. 0/1024";
  const auto slash = text.find('/');
  if (slash == std::string::npos) bad_option(option, text, expected);
  const std::string r_text = text.substr(0, slash), p_text = text.substr(slash + 1);
  auto parse_int = [&](const std::string& s) {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
      bad_option(option, text, expected);
    }
    return std::atoi(s.c_str());
  };
  const int r = parse_int(r_text), p = parse_int(p_text);
  if (p < 1 || r >= p) bad_option(option, text, expected);
  settings.rank = r;
  settings.ranks = p;
}

void parse_dry_run_rates(const std::string& text, const std::string& option,
                         DryRunSettings& settings) {
  if (text.find('=') == std::string::npos) {
    const double rate = parse_rate(text, option);
    for (auto& p : settings.populations) p.rate_hz = rate;
    return;
  }
  // Parsed into a copy: a bad item leaves the settings as they were.
  std::vector<DryRunPopulation> populations = settings.populations;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t comma = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, comma - begin);
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      bad_option(option, item, "expected NAME=RATE_HZ items separated by commas, e.g. E=8.5,I=9");
    }
    const std::string name = item.substr(0, eq);
    auto it = std::find_if(populations.begin(), populations.end(),
                           [&](const DryRunPopulation& p) { return p.name == name; });
    if (it == populations.end()) {
      std::string names;
      for (const auto& p : settings.populations) names += (names.empty() ? "" : ", ") + p.name;
      bad_option(option, item, "no population named '" + name + "' (populations: " + names + ")");
    }
    it->rate_hz = parse_rate(item.substr(eq + 1), option);
    begin = comma + 1;
  }
  settings.populations = std::move(populations);
}

std::unique_ptr<DryRunContext> make_dry_run_context(const Context& world,
                                                    const std::string& rank_option,
                                                    const std::string& rates_option,
                                                    DryRunSettings settings) {
  if (rank_option.empty()) throw UserError("--dry-run-rates", "needs --dry-run R/P");
  if (world.size() > 1) {
    throw UserError("--dry-run",
                    "plays one rank of P in one process: start it without mpirun "
                    "(or with a single rank), not on " +
                        std::to_string(world.size()) + " ranks");
  }
  parse_dry_run_rank(rank_option, "--dry-run", settings);
  if (!rates_option.empty()) parse_dry_run_rates(rates_option, "--dry-run-rates", settings);
  return std::make_unique<DryRunContext>(std::move(settings));
}

DryRunContext::DryRunContext(DryRunSettings settings) : settings_(std::move(settings)) {
  require_invariant(settings_.ranks >= 1 && settings_.rank >= 0 && settings_.rank < settings_.ranks,
                    "dry-run rank outside 0 .. ranks-1");
  Gid total = 0;
  for (const auto& p : settings_.populations) {
    require_invariant(p.first_gid == total, "dry-run populations must cover the gids in order");
    total += p.size;
  }
  partition_ = partition::Partition{settings_.scheme, total, settings_.ranks};
  stream_key_ = settings_.seed ^ kDryRunKey;
  for (const auto& p : settings_.populations) {
    own_neurons_.push_back(
        partition::owned_count(partition_, settings_.rank, p.first_gid, p.first_gid + p.size));
  }
  rate_sum_hz_.assign(settings_.populations.size(), 0.0);
}

void DryRunContext::sum(std::vector<double>& values) {
  for (double& v : values) v *= settings_.ranks;
}

void DryRunContext::sum(std::vector<std::uint64_t>& values) {
  for (std::uint64_t& v : values) v *= static_cast<std::uint64_t>(settings_.ranks);
}

std::uint64_t DryRunContext::exclusive_prefix_sum(std::uint64_t value) {
  return value * static_cast<std::uint64_t>(settings_.rank);
}

std::vector<std::uint64_t> DryRunContext::all_gather(std::uint64_t value) {
  return std::vector<std::uint64_t>(static_cast<std::size_t>(settings_.ranks), value);
}

std::unique_ptr<Context> DryRunContext::split(int, int) {
  return std::make_unique<DryRunContext>(settings_);
}

void DryRunContext::begin_time_loop(Step first_step, int interval_steps, Step end_step,
                                    std::function<std::vector<std::uint64_t>()> own_spike_counts) {
  require_invariant(interval_steps >= 1, "dry-run interval must be at least one step");
  in_loop_ = true;
  step_ = first_step;
  interval_steps_ = interval_steps;
  end_step_ = end_step;
  own_spike_counts_ = std::move(own_spike_counts);
  own_history_.clear();
  if (own_spike_counts_) own_history_.push_back({first_step, own_spike_counts_()});
  for (const auto& p : settings_.populations) {
    require_invariant(p.rate_hz >= 0.0 || own_spike_counts_,
                      "a dry-run rate that follows this rank needs its spike counts");
  }
  last_exchange_end_ = Clock::now();
  loop_start_cpu_seconds_ = cpu_seconds();
  last_exchange_end_cpu_seconds_ = loop_start_cpu_seconds_;
}

bool DryRunContext::alltoallv(const std::vector<std::uint64_t>& send,
                              const std::vector<int>& send_counts, std::vector<std::uint64_t>& recv,
                              std::vector<int>& recv_counts, bool this_rank_failed) {
  // The other ranks are taken not to fail: only this rank's failure stops the run.
  if (this_rank_failed) return true;
  require_invariant(send_counts.size() == static_cast<std::size_t>(settings_.ranks),
                    "alltoallv needs one count per rank");
  // Every rank sends this rank what this rank sends itself.
  const int r = settings_.rank;
  const std::size_t offset =
      static_cast<std::size_t>(std::accumulate(send_counts.begin(), send_counts.begin() + r, 0LL));
  const std::vector<std::uint64_t> own(
      send.begin() + static_cast<std::ptrdiff_t>(offset),
      send.begin() + static_cast<std::ptrdiff_t>(offset) + send_counts[r]);
  recv.clear();
  for (int q = 0; q < settings_.ranks; ++q) recv.insert(recv.end(), own.begin(), own.end());
  recv_counts.assign(static_cast<std::size_t>(settings_.ranks), send_counts[r]);
  return false;
}

bool DryRunContext::exchange_spikes(const std::vector<std::uint64_t>& send,
                                    const std::vector<int>& send_counts,
                                    std::vector<std::uint64_t>& recv, std::vector<int>& recv_counts,
                                    bool this_rank_failed) {
  if (this_rank_failed) return true;
  require_invariant(in_loop_, "dry-run: a spike exchange before begin_time_loop");
  require_invariant(send_counts.size() == static_cast<std::size_t>(settings_.ranks),
                    "exchange_spikes needs one count per rank");
  fabricate_spikes(send, send_counts, recv, recv_counts);
  return false;
}

void DryRunContext::request_sources(const std::vector<std::uint64_t>& send,
                                    const std::vector<std::uint32_t>& keys,
                                    const std::vector<int>& send_counts,
                                    std::vector<std::uint64_t>& recv,
                                    std::vector<std::uint32_t>& recv_keys,
                                    std::vector<int>& recv_counts) {
  require_invariant(!requests_answered_, "dry-run: the sources were requested twice");
  require_invariant(
      send_counts.size() == static_cast<std::size_t>(settings_.ranks) && keys.size() == send.size(),
      "request_sources needs one count per rank and one key per gid");
  requests_answered_ = true;
  const auto start = Clock::now();
  const int ranks = settings_.ranks, r = settings_.rank;
  const std::size_t pops = settings_.populations.size();
  // Keep the requests to the other ranks (the sources to fabricate spikes for, with the keys
  // their spikes carry), split by owner and population; count what this rank needs of each.
  std::vector<std::uint64_t> needed(pops, 0);
  segment_.assign(static_cast<std::size_t>(ranks) * (pops + 1), 0);
  // Sized once: what this rank asks of the others (requests are answered once).
  const auto own = static_cast<std::size_t>(send_counts[static_cast<std::size_t>(r)]);
  remote_sources_.clear();
  remote_sources_.reserve(send.size() - own);
  remote_keys_.clear();
  remote_keys_.reserve(send.size() - own);
  recv.clear();
  recv_keys.clear();
  std::size_t k = 0;
  for (int q = 0; q < ranks; ++q) {
    const std::size_t begin = k, end = k + static_cast<std::size_t>(send_counts[q]);
    k = end;
    for (std::size_t i = begin; i < end; ++i) {
      require_invariant(
          partition::owner(partition_, send[i]) == q && (i == begin || send[i] > send[i - 1]),
          "dry-run: requested sources must be increasing gids of their owner");
    }
    std::size_t cursor = begin;
    for (std::size_t p = 0; p < pops; ++p) {
      const Gid last = settings_.populations[p].first_gid + settings_.populations[p].size;
      const std::size_t stop = static_cast<std::size_t>(
          std::lower_bound(send.begin() + static_cast<std::ptrdiff_t>(cursor),
                           send.begin() + static_cast<std::ptrdiff_t>(end), last) -
          send.begin());
      needed[p] += stop - cursor;
      segment_[static_cast<std::size_t>(q) * (pops + 1) + p] = remote_sources_.size();
      if (q != r) {
        for (std::size_t i = cursor; i < stop; ++i) {
          remote_sources_.push_back(send[i]);
          remote_keys_.push_back(keys[i]);
        }
      }
      cursor = stop;
    }
    segment_[static_cast<std::size_t>(q) * (pops + 1) + pops] = remote_sources_.size();
  }
  stats_.remote_sources = remote_sources_.size();
  draw_requests_to_this_rank(send, keys, send_counts, needed, recv, recv_keys, recv_counts);
  stats_.build_fabricate_seconds += seconds_since(start);
}

// Every other rank q asks for each of this rank's neurons of population p with probability f_p,
// the fraction of p that this rank needs; this rank's own requests pass through.
void DryRunContext::draw_requests_to_this_rank(const std::vector<std::uint64_t>& send,
                                               const std::vector<std::uint32_t>& keys,
                                               const std::vector<int>& send_counts,
                                               const std::vector<std::uint64_t>& needed,
                                               std::vector<std::uint64_t>& recv,
                                               std::vector<std::uint32_t>& recv_keys,
                                               std::vector<int>& recv_counts) {
  const int ranks = settings_.ranks, r = settings_.rank;
  const std::size_t pops = settings_.populations.size();
  std::vector<std::vector<Gid>> own_gids(pops);
  std::vector<double> fraction(pops, 0.0);
  for (std::size_t p = 0; p < pops; ++p) {
    const DryRunPopulation& pop = settings_.populations[p];
    own_gids[p] = partition::owned_gids(partition_, r, pop.first_gid, pop.first_gid + pop.size);
    fraction[p] =
        pop.size > 0 ? static_cast<double>(needed[p]) / static_cast<double>(pop.size) : 0.0;
  }
  const std::size_t own_first =
      static_cast<std::size_t>(std::accumulate(send_counts.begin(), send_counts.begin() + r, 0LL));
  recv_counts.assign(static_cast<std::size_t>(ranks), 0);
  for (int q = 0; q < ranks; ++q) {
    const std::size_t before = recv.size();
    if (q == r) {
      const auto first = static_cast<std::ptrdiff_t>(own_first);
      recv.insert(recv.end(), send.begin() + first, send.begin() + first + send_counts[r]);
      recv_keys.insert(recv_keys.end(), keys.begin() + first,
                       keys.begin() + first + send_counts[r]);
    } else {
      for (std::size_t p = 0; p < pops; ++p) {
        rng::Stream stream(stream_key_, rng::Purpose::kConnectivity, static_cast<std::uint32_t>(p),
                           static_cast<std::uint32_t>(q), static_cast<std::uint32_t>(r));
        const std::vector<Gid>& gids = own_gids[p];
        bernoulli_subset(stream, gids.size(), fraction[p], [&](std::uint64_t i) {
          // Rank q's key for the source: its position in q's request (any distinct number
          // does; what this rank sends to q is counted and dropped).
          recv_keys.push_back(static_cast<std::uint32_t>(recv.size() - before));
          recv.push_back(gids[i]);
        });
      }
      stats_.remote_destinations += recv.size() - before;
    }
    recv_counts[static_cast<std::size_t>(q)] = static_cast<int>(recv.size() - before);
  }
}

std::vector<double> DryRunContext::interval_rates_hz(int steps) {
  std::vector<double> rates(settings_.populations.size(), 0.0);
  bool follow = false;
  for (std::size_t p = 0; p < rates.size(); ++p) {
    rates[p] = settings_.populations[p].rate_hz;
    follow = follow || rates[p] < 0.0;
  }
  if (!follow) return rates;
  // This rank's spikes of the current interval are already counted (the engine compacts them
  // before the exchange): the window ends with it.
  const Step end = step_ + steps;
  const std::vector<std::uint64_t> counts = own_spike_counts_();
  const auto window_steps = static_cast<Step>(std::llround(kFollowWindowMs / settings_.dt_ms));
  while (own_history_.size() > 1 && own_history_[1].step <= end - window_steps) {
    own_history_.pop_front();
  }
  const CountsAt& base = own_history_.front();
  const double window_s = static_cast<double>(end - base.step) * settings_.dt_ms * 1e-3;
  for (std::size_t p = 0; p < rates.size(); ++p) {
    if (rates[p] >= 0.0) continue;
    rates[p] = own_neurons_[p] > 0 && window_s > 0.0
                   ? static_cast<double>(counts.at(p) - base.counts.at(p)) /
                         (static_cast<double>(own_neurons_[p]) * window_s)
                   : 0.0;
  }
  own_history_.push_back({end, counts});
  return rates;
}

void DryRunContext::fabricate_spikes(const std::vector<std::uint64_t>& send,
                                     const std::vector<int>& send_counts,
                                     std::vector<std::uint64_t>& recv,
                                     std::vector<int>& recv_counts) {
  const auto start = Clock::now();
  const double start_cpu = cpu_seconds();
  stats_.interval_work_seconds.push_back(
      std::chrono::duration<double>(start - last_exchange_end_).count());
  stats_.interval_work_cpu_seconds.push_back(start_cpu - last_exchange_end_cpu_seconds_);
  const int ranks = settings_.ranks, r = settings_.rank;
  const std::size_t pops = settings_.populations.size();
  const int steps = static_cast<int>(std::min<Step>(interval_steps_, end_step_ - step_));
  require_invariant(steps >= 1, "dry-run: more spike exchanges than intervals");
  const std::vector<double> rates = interval_rates_hz(steps);
  for (std::size_t p = 0; p < pops; ++p) rate_sum_hz_[p] += rates[p];

  recv.clear();
  recv_counts.assign(static_cast<std::size_t>(ranks), 0);
  std::size_t offset = 0;
  for (int q = 0; q < ranks; ++q) {
    const std::size_t before = recv.size();
    const auto count = static_cast<std::size_t>(send_counts[q]);
    if (q == r) {
      recv.insert(recv.end(), send.begin() + static_cast<std::ptrdiff_t>(offset),
                  send.begin() + static_cast<std::ptrdiff_t>(offset + count));
      stats_.words_self += count;
    } else {
      stats_.words_sent_remote += count;
      stats_.messages_sent_remote += count > 0 ? 1 : 0;
      for (std::size_t p = 0; p < pops; ++p) {
        const std::size_t first = segment_[static_cast<std::size_t>(q) * (pops + 1) + p];
        const std::size_t m = segment_[static_cast<std::size_t>(q) * (pops + 1) + p + 1] - first;
        if (m == 0) continue;
        const double probability = std::min(1.0, rates[p] * settings_.dt_ms * 1e-3);
        rng::Stream stream(stream_key_, rng::Purpose::kSourceSpikes, static_cast<std::uint32_t>(p),
                           static_cast<std::uint32_t>(q), static_cast<std::uint32_t>(step_));
        // Cells source by source, then lag, as a real sender packs its spikes; each word
        // carries the key this rank gave the source (its receive slot).
        bernoulli_subset(
            stream, static_cast<std::uint64_t>(steps) * m, probability, [&](std::uint64_t cell) {
              const std::uint64_t source = cell / static_cast<std::uint64_t>(steps);
              recv.push_back(
                  pack_spike(remote_keys_[first + source], static_cast<int>(cell % steps)));
            });
      }
      stats_.words_received_remote += recv.size() - before;
      stats_.messages_received_remote += recv.size() > before ? 1 : 0;
    }
    recv_counts[static_cast<std::size_t>(q)] = static_cast<int>(recv.size() - before);
    offset += count;
  }
  step_ += steps;
  ++stats_.intervals;
  last_exchange_end_ = Clock::now();
  stats_.fabricate_seconds += std::chrono::duration<double>(last_exchange_end_ - start).count();
  last_exchange_end_cpu_seconds_ = cpu_seconds();
  stats_.fabricate_cpu_seconds += last_exchange_end_cpu_seconds_ - start_cpu;
}

std::string DryRunContext::record(const DryRunRunFigures& f) const {
  std::string out = "{\"kind\":\"dry-run\"";
  char buffer[256];
  auto add = [&](const char* key, double value) {
    std::snprintf(buffer, sizeof buffer, ",\"%s\":%.9g", key, value);
    out += buffer;
  };
  auto add_u = [&](const char* key, std::uint64_t value) {
    std::snprintf(buffer, sizeof buffer, ",\"%s\":%llu", key,
                  static_cast<unsigned long long>(value));
    out += buffer;
  };
  add_u("rank", static_cast<std::uint64_t>(settings_.rank));
  add_u("ranks", static_cast<std::uint64_t>(settings_.ranks));
  add_u("local_neurons", f.local_neurons);
  add_u("local_synapses", f.local_synapses);
  add_u("synaptic_events", f.synaptic_events);
  add_u("spikes_delivered", f.spikes_delivered);
  add_u("interval_steps", static_cast<std::uint64_t>(f.interval_steps));
  add_u("intervals", stats_.intervals);
  add("simulated_ms", f.simulated_ms);
  add("dt_ms", settings_.dt_ms);
  add("build_seconds", f.build_seconds);
  add("run_seconds", f.run_seconds);
  add("build_fabricate_seconds", stats_.build_fabricate_seconds);
  add("fabricate_seconds", stats_.fabricate_seconds);
  // CPU time of the loop so far (the run, when called right after it) and of the fabrication.
  if (in_loop_) add("loop_cpu_seconds", cpu_seconds() - loop_start_cpu_seconds_);
  add("fabricate_cpu_seconds", stats_.fabricate_cpu_seconds);
  if (f.timers != nullptr) {
    out += ",\"phase_seconds\":{";
    for (std::size_t i = 0; i < kPhaseNames.size(); ++i) {
      std::snprintf(buffer, sizeof buffer, "%s\"%s\":%.9g", i ? "," : "",
                    std::string(kPhaseNames[i]).c_str(), f.timers->all()[i]);
      out += buffer;
    }
    out += "}";
    // The exchange phase without the time spent making up the other ranks' spikes: packing,
    // copying and sorting, the work a real rank does around MPI_Alltoallv.
    add("exchange_local_seconds",
        std::max(0.0, f.timers->seconds(Phase::kExchange) - stats_.fabricate_seconds));
  }
  // Mean, sd and median of the work between exchanges, in wall and in CPU time.
  auto add_distribution = [&](const std::vector<double>& w, const char* mean_key,
                              const char* sd_key, const char* median_key) {
    if (w.empty()) return;
    const double mean = std::accumulate(w.begin(), w.end(), 0.0) / static_cast<double>(w.size());
    double var = 0.0;
    for (double x : w) var += (x - mean) * (x - mean);
    var /= static_cast<double>(w.size() > 1 ? w.size() - 1 : 1);
    std::vector<double> sorted = w;
    std::sort(sorted.begin(), sorted.end());
    add(mean_key, mean);
    add(sd_key, std::sqrt(var));
    add(median_key, sorted[sorted.size() / 2]);
  };
  add_distribution(stats_.interval_work_seconds, "interval_work_mean_seconds",
                   "interval_work_sd_seconds", "interval_work_median_seconds");
  add_distribution(stats_.interval_work_cpu_seconds, "interval_work_cpu_mean_seconds",
                   "interval_work_cpu_sd_seconds", "interval_work_cpu_median_seconds");
  add_u("remote_sources", stats_.remote_sources);
  add_u("remote_destinations", stats_.remote_destinations);
  add_u("words_sent_remote", stats_.words_sent_remote);
  add_u("messages_sent_remote", stats_.messages_sent_remote);
  add_u("words_received_remote", stats_.words_received_remote);
  add_u("messages_received_remote", stats_.messages_received_remote);
  add_u("words_self", stats_.words_self);
  add_u("peak_rss_bytes", peak_rss_bytes());
  out += ",\"populations\":[";
  const double seconds = f.simulated_ms * 1e-3;
  for (std::size_t p = 0; p < settings_.populations.size(); ++p) {
    const double own_rate = own_neurons_[p] > 0 && seconds > 0 && p < f.local_spike_counts.size()
                                ? static_cast<double>(f.local_spike_counts[p]) /
                                      (static_cast<double>(own_neurons_[p]) * seconds)
                                : 0.0;
    const double fabricated =
        stats_.intervals > 0 ? rate_sum_hz_[p] / static_cast<double>(stats_.intervals) : 0.0;
    std::snprintf(buffer, sizeof buffer,
                  "%s{\"name\":\"%s\",\"size\":%llu,\"local\":%llu,\"rate_hz\":%.6g,"
                  "\"fabricated_rate_hz\":%.6g,\"rate_given\":%s}",
                  p ? "," : "", settings_.populations[p].name.c_str(),
                  static_cast<unsigned long long>(settings_.populations[p].size),
                  static_cast<unsigned long long>(own_neurons_[p]), own_rate, fabricated,
                  settings_.populations[p].rate_hz >= 0.0 ? "true" : "false");
    out += buffer;
  }
  out += "]}";
  return out;
}

}  // namespace spikeweave::comm
