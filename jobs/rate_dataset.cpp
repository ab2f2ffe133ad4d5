#include "jobs/rate_dataset.hpp"

#include <sys/resource.h>
#include <Kokkos_Core.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/errors.hpp"
#include "engine/simulation.hpp"
#include "io/dataset_rate_file.hpp"
#include "jobs/work_queue.hpp"
#include "rate/lyapunov.hpp"
#include "rate/simulator.hpp"

namespace spikeweave::jobs {
namespace {

using Clock = std::chrono::steady_clock;
// User + system CPU seconds of this process so far.
double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + 1e-6 * usage.ru_utime.tv_usec + usage.ru_stime.tv_sec +
         1e-6 * usage.ru_stime.tv_usec;
}

double since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string duration_text(double seconds) {
  char text[48];
  if (seconds < 60.0) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else if (seconds < 3600.0) {
    std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds / 60),
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(text, sizeof text, "%d h %02d min", static_cast<int>(seconds / 3600),
                  static_cast<int>(seconds / 60) % 60);
  }
  return text;
}

// "" if every value is finite, else where the first non-finite value is.
std::string first_non_finite(const float* x, std::size_t trials, std::size_t steps, std::size_t n) {
  for (std::size_t e = 0; e < trials * steps * n; ++e) {
    if (!std::isfinite(x[e])) {
      return "trial " + std::to_string(e / (steps * n)) + ", step " +
             std::to_string(e / n % steps + 1) + ", neuron " + std::to_string(e % n);
    }
  }
  return "";
}

template <class T>
void append_bytes(std::vector<unsigned char>& out, const T* data, std::size_t count) {
  const std::size_t at = out.size();
  out.resize(at + count * sizeof(T));
  if (count > 0) std::memcpy(out.data() + at, data, count * sizeof(T));  // data may be null
}

template <class Real>
RateDatasetReport run(comm::Context& context, const RateDatasetSpec& spec,
                      const RateDatasetOptions& options) {
  const auto start = Clock::now();
  const double cpu_start = process_cpu_seconds();
  const bool talk = !options.quiet && context.rank() == 0;
  const rate::Dynamics& d = spec.dynamics;
  io::RateDatasetLayout layout;
  layout.networks = spec.networks;
  layout.neurons = d.neurons;
  layout.trials = d.trials;
  layout.steps = d.steps;
  layout.double_precision = spec.double_precision;
  layout.record_h = spec.record_h;
  layout.lyapunov = spec.lyapunov;
  layout.deflate = spec.deflate;
  layout.param_columns = param_columns();
  layout.spec_toml = canonical_toml(spec);
  layout.command_line = options.command_line;
  layout.backend = options.backend;
  io::RateDatasetWriter writer(
      context, spec.output, layout, options.overwrite,
      [&](std::uint64_t m, double* row) { param_row(draw_network_params(spec, m), row); });
  writer.set_sync(options.sync);
  RateDatasetReport report;
  report.networks = spec.networks;
  if (writer.state() == io::DatasetState::kComplete) {
    report.already_done = spec.networks;
    report.complete = true;
    if (talk) {
      std::fprintf(
          stderr,
          "[spikeweave] dataset %s is complete (%llu networks, same parameters): nothing to do\n",
          spec.output.c_str(), static_cast<unsigned long long>(spec.networks));
    }
    return report;
  }
  std::vector<std::uint64_t> pending;
  for (std::uint64_t m = 0; m < spec.networks; ++m) {
    if (!writer.done_at_open()[m]) pending.push_back(m);
  }
  report.already_done = spec.networks - pending.size();
  if (talk) {
    std::fprintf(
        stderr,
        "[spikeweave] dataset %s: %s, %llu networks of N = %d, K = %d, T = %d on %d rank(s)\n",
        spec.output.c_str(), writer.state() == io::DatasetState::kResumed ? "resuming" : "new",
        static_cast<unsigned long long>(spec.networks), d.neurons, d.trials, d.steps,
        context.size());
    if (report.already_done > 0) {
      std::fprintf(stderr, "[spikeweave] %llu networks already done, %zu to go\n",
                   static_cast<unsigned long long>(report.already_done), pending.size());
    }
  }

  const std::uint64_t per_network = rate::BatchSimulator<Real>::bytes_per_network(d, spec.record_h);
  const double buffer_bytes = options.buffer_mb * 1048576.0;
  int batch = options.batch > 0
                  ? options.batch
                  : std::max(1, std::min(256, Kokkos::DefaultExecutionSpace().concurrency()));
  // The simulator's buffers get at most half the memory budget.
  batch = static_cast<int>(
      std::max<double>(1.0, std::min<double>(batch, 0.5 * buffer_bytes / per_network)));
  rate::BatchSimulator<Real> simulator(d, batch, spec.record_h);

  const std::size_t n = d.neurons, k = d.trials, t = d.steps;
  const std::size_t trace = k * t * n;
  WorkQueue queue(context, pending.size());
  io::RateDatasetBlock block;
  {
    // Room for a full round from the start: growing the buffers would copy them again and again.
    const double result_bytes =
        trace * 4.0 * (spec.record_h ? 2 : 1) + (n * n + n + k * n) * sizeof(Real);
    const std::size_t most =
        static_cast<std::size_t>(std::max<double>(batch, buffer_bytes / result_bytes)) + batch;
    block.indices.reserve(most);
    block.w.reserve(most * n * n * sizeof(Real));
    block.input.reserve(most * n * sizeof(Real));
    block.h0.reserve(most * k * n * sizeof(Real));
    block.activity.reserve(most * trace);
    if (spec.record_h) block.h.reserve(most * trace);
  }
  std::vector<Real> scratch(std::max(n * n, k * n));
  bool exhausted = false;
  std::string failure;
  double seconds_per_network = 0.0;  // measured, for the size of the next claim
  std::uint64_t taken = 0;           // the queue's position after this rank's last claim
  const double result_bytes = trace * 4.0 * (spec.record_h ? 2 : 1) +
                              static_cast<double>((n * n + n + k * n) * sizeof(Real));
  double simulate_seconds = 0.0, write_seconds = 0.0, last_print = -1e300;
  std::uint64_t computed_total = 0, bytes_total = 0;
  for (;;) {
    const auto round_start = Clock::now();
    while (!exhausted) {
      const double room = buffer_bytes - static_cast<double>(block.bytes());
      if (!block.indices.empty() &&
          (since(round_start) >= options.round_seconds || room < batch * result_bytes))
        break;
      // Claim several batches at once when networks are cheap, so that a rank's networks form long
      // runs of consecutive indices (one collective write call per run): about an eighth of a
      // round, at most what fits the buffer, and (guided self-scheduling) at most a share
      // 1 / (2 ranks) of what was left at this rank's previous claim, so that the claims shrink
      // towards the end and no rank is left with a long tail while the others wait.
      std::uint64_t claim = static_cast<std::uint64_t>(batch);
      if (seconds_per_network > 0.0) {
        const double wanted = options.round_seconds / 8.0 / seconds_per_network;
        const double fits = room / result_bytes;
        const double share = static_cast<double>(pending.size() - taken) / (2.0 * context.size());
        claim =
            static_cast<std::uint64_t>(std::max<double>(batch, std::min({wanted, fits, share})));
      }
      const auto [first, claimed] = queue.take(claim);
      if (claimed == 0) {
        exhausted = true;
        break;
      }
      taken = first + claimed;  // at least this much of the queue is gone
      const auto sim_start = Clock::now();
      for (std::uint64_t at = first; at < first + claimed && failure.empty(); at += batch) {
        const std::uint64_t count = std::min<std::uint64_t>(batch, first + claimed - at);
        std::vector<std::uint64_t> indices(pending.begin() + at, pending.begin() + at + count);
        std::vector<rate::NetworkParams> params;
        for (std::uint64_t m : indices) params.push_back(draw_network_params(spec, m));
        simulator.generate_and_run(spec.seed, indices, params);
        for (int b = 0; b < simulator.count() && failure.empty(); ++b) {
          const std::string where = first_non_finite(simulator.activity(b), k, t, n);
          if (!where.empty()) {
            failure = "network " + std::to_string(indices[b]) +
                      " diverges: its activity is not finite from " + where + " on (" +
                      rate::nonlinearity_name(d.phi) + ", gain " + std::to_string(params[b].gain) +
                      "); lower the gain or use a bounded nonlinearity";
            exhausted = true;
            break;
          }
          block.indices.push_back(indices[b]);
          simulator.copy_weights(b, scratch.data());
          append_bytes(block.w, scratch.data(), n * n);
          rate::Network<Real> net;
          if (spec.lyapunov) net.w.assign(scratch.begin(), scratch.begin() + n * n);
          simulator.copy_input(b, scratch.data());
          append_bytes(block.input, scratch.data(), n);
          if (spec.lyapunov) net.input.assign(scratch.begin(), scratch.begin() + n);
          simulator.copy_h0(b, scratch.data());
          append_bytes(block.h0, scratch.data(), k * n);
          if (spec.lyapunov) net.h0.assign(scratch.begin(), scratch.begin() + k * n);
          block.activity.insert(block.activity.end(), simulator.activity(b),
                                simulator.activity(b) + trace);
          if (spec.record_h)
            block.h.insert(block.h.end(), simulator.h_trace(b), simulator.h_trace(b) + trace);
          if (spec.lyapunov) {
            const rate::Coefficients c = rate::coefficients(params[b], d);
            net.dynamics = d;
            net.a = c.a;
            net.noise_scale = c.noise_scale;
            net.seed = spec.seed;
            net.index = static_cast<std::uint32_t>(indices[b]);
            rate::LyapunovOptions lo;
            lo.steps = spec.lyapunov_steps;
            lo.transient_steps = spec.lyapunov_transient_steps;
            block.lyapunov.push_back(rate::largest_lyapunov_exponent(net, lo));
          }
        }
      }
      const double spent = since(sim_start);
      simulate_seconds += spent;
      seconds_per_network = spent / static_cast<double>(claimed);
    }
    // A diverging network stops the run on every rank before anything of the round is written.
    if (context.any(!failure.empty())) {
      if (failure.empty()) throw engine::PeerFailure();
      throw engine::RankLocalError(failure);
    }
    const auto write_start = Clock::now();
    writer.write(block);
    write_seconds += since(write_start);
    const std::uint64_t block_networks = block.indices.size(), block_bytes = block.bytes();
    ++report.rounds;
    block.clear();
    const bool more = context.any(!exhausted);
    if (!more) {
      const auto mark_start = Clock::now();
      writer.mark_written();
      write_seconds += since(mark_start);
    }
    // Progress counts the networks marked done (with sync, a round is marked at the next round's
    // write, once it is on the disk): what a rerun after a kill would skip.
    std::vector<std::uint64_t> counts = {block_networks, block_bytes, writer.networks_marked()};
    context.sum(counts);
    computed_total += counts[0];
    bytes_total += counts[1];
    const std::uint64_t marked_total = counts[2];
    if (talk &&
        (!more || (marked_total > 0 && since(start) - last_print >= options.progress_seconds))) {
      last_print = since(start);
      const double elapsed = since(start);
      const double rate = marked_total / std::max(elapsed, 1e-9);
      const std::uint64_t done = report.already_done + marked_total;
      const double eta = rate > 0 ? (spec.networks - done) / rate : 0.0;
      std::fprintf(
          stderr,
          "[spikeweave] dataset: %llu / %llu networks (%.0f%%), %.1f networks/s, %.1f MB written "
          "(%.1f MB/s), ETA %s\n",
          static_cast<unsigned long long>(done), static_cast<unsigned long long>(spec.networks),
          100.0 * done / spec.networks, rate, bytes_total / 1e6,
          bytes_total / 1e6 / std::max(elapsed, 1e-9), duration_text(eta).c_str());
    }
    if (!more) break;
    if (options.stop_after_rounds > 0 && report.rounds >= options.stop_after_rounds) {
      report.computed = computed_total;
      report.marked = marked_total;
      report.bytes_written = bytes_total;
      report.seconds = since(start);
      return report;  // the work file stays as a killed run would leave it
    }
  }
  const auto commit_start = Clock::now();
  writer.commit();
  write_seconds += since(commit_start);
  report.computed = computed_total;
  report.marked = computed_total;
  report.bytes_written = bytes_total;
  report.simulate_seconds = context.max(simulate_seconds);
  report.write_seconds = context.max(write_seconds);
  report.seconds = context.max(since(start));
  report.cpu_seconds = context.sum(process_cpu_seconds() - cpu_start);
  report.complete = true;
  if (talk) {
    std::fprintf(stderr,
                 "[spikeweave] dataset %s complete: %llu networks computed in %s (simulation %s, "
                 "writing %s, max "
                 "over ranks), %.1f MB\n",
                 spec.output.c_str(), static_cast<unsigned long long>(computed_total),
                 duration_text(report.seconds).c_str(),
                 duration_text(report.simulate_seconds).c_str(),
                 duration_text(report.write_seconds).c_str(), bytes_total / 1e6);
  }
  return report;
}

}  // namespace

RateDatasetReport run_rate_dataset(comm::Context& context, const RateDatasetSpec& spec,
                                   const RateDatasetOptions& options) {
  if (spec.output.empty())
    throw ConfigError("dataset.output", "an output file is required (--out data.h5)");
  return spec.double_precision ? run<double>(context, spec, options)
                               : run<float>(context, spec, options);
}

}  // namespace spikeweave::jobs
