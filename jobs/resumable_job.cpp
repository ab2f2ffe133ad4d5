#include "jobs/resumable_job.hpp"

#include "io/output_path.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/dataset_rate_file.hpp"
#include "jobs/work_queue.hpp"

namespace spikeweave::jobs {
namespace {

namespace fs = std::filesystem;

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Rank 0's decision: "fresh", "resume", "complete" or "error:<message>".
std::string decide(const ResumableOutput& out, const StoredSpecReader& read_stored_spec) {
  std::error_code ec;
  const std::string dir = out.parts_dir();
  if (!out.overwrite && fs::exists(out.output, ec)) {
    std::string problem;
    const std::string existing = read_stored_spec(out.output, problem);
    if (!problem.empty())
      return "error:the file exists and " + problem + "; pass --overwrite to replace it";
    if (existing != out.canonical) {
      return "error:the file exists and was made with different parameters (" +
             io::describe_spec_difference(existing, out.canonical) +
             "); pass --overwrite to replace it";
    }
    return "complete";
  }
  if (!out.overwrite && fs::exists(dir, ec)) {
    const std::string existing = read_text(dir + "/spec.toml");
    if (existing == out.canonical) return "resume";
    return "error:an unfinished run with different parameters exists (" + dir + ": " +
           io::describe_spec_difference(existing, out.canonical) +
           "); resume it with its own parameters, or pass --overwrite";
  }
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  std::ofstream spec(dir + "/spec.toml.tmp", std::ios::binary);
  spec << out.canonical;
  spec.close();
  if (!spec || std::rename((dir + "/spec.toml.tmp").c_str(), (dir + "/spec.toml").c_str()) != 0)
    return "error:cannot create the work directory " + dir;
  return "fresh";
}

}  // namespace

ResumeState open_resumable_output(comm::Context& context, const ResumableOutput& out,
                                  const StoredSpecReader& read_stored_spec) {
  // Directory checks first (missing and unwritable directories), before any work runs.
  io::check_output_path(context, out.output, true);
  std::string decision;
  if (context.rank() == 0) decision = decide(out, read_stored_spec);
  context.broadcast(decision, 0);
  if (decision.rfind("error:", 0) == 0) throw FileError(out.output, decision.substr(6));
  if (decision == "complete") return ResumeState::kComplete;
  return decision == "resume" ? ResumeState::kResume : ResumeState::kFresh;
}

std::vector<std::uint64_t> pending_items(
    comm::Context& context, std::uint64_t total,
    const std::function<std::string(std::uint64_t)>& part_path) {
  std::string done_flags(total, '0');
  if (context.rank() == 0) {
    for (std::uint64_t m = 0; m < total; ++m) {
      if (fs::exists(part_path(m))) done_flags[m] = '1';
    }
  }
  context.broadcast(done_flags, 0);
  std::vector<std::uint64_t> pending;
  for (std::uint64_t m = 0; m < total; ++m) {
    if (done_flags[m] == '0') pending.push_back(m);
  }
  return pending;
}

std::uint64_t count_part_files(const std::string& parts_dir) {
  std::uint64_t done = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parts_dir, ec))
    done += entry.path().extension() == ".bin";
  return done;
}

void check_ranks_per_group(const comm::Context& context, int k, const std::string& option) {
  if (k < 1 || context.size() % k != 0) {
    throw ConfigError(option, "expected a divisor of the number of ranks (" +
                                  std::to_string(context.size()) + "), got " + std::to_string(k));
  }
}

ClaimLoopResult run_claim_loop(
    comm::Context& context, const std::vector<std::uint64_t>& pending, int ranks_per_group,
    int stop_after_items,
    const std::function<void(comm::Context& group, std::uint64_t item)>& work) {
  std::uint64_t computed = 0;
  bool stopped = false;
  {
    std::unique_ptr<comm::Context> group =
        context.split(context.rank() / ranks_per_group, context.rank());
    WorkQueue queue(context, pending.size());
    for (;;) {
      // The group's rank 0 claims; "" when the queue is empty, "stop" for the test hook.
      std::string claim;
      if (group->rank() == 0) {
        const auto [first, claimed] = queue.take(1);
        claim = claimed == 0 ? "" : std::to_string(pending[first]);
        if (stop_after_items > 0 && computed >= static_cast<std::uint64_t>(stop_after_items))
          claim = "stop";
      }
      group->broadcast(claim, 0);
      if (claim.empty()) break;
      if (claim == "stop") {
        stopped = true;
        break;
      }
      work(*group, std::stoull(claim));
      if (group->rank() == 0) ++computed;
    }
  }
  ClaimLoopResult result;
  result.computed = context.sum(computed);
  result.stopped = context.any(stopped);
  return result;
}

void remove_parts(comm::Context& context, const ResumableOutput& out) {
  if (context.rank() == 0) {
    std::error_code ec;
    fs::remove_all(out.parts_dir(), ec);
  }
  context.barrier();
}

ProgressLine::ProgressLine(bool enabled, std::string what, std::string items, std::uint64_t total,
                           std::uint64_t already_done, double every_seconds)
    : enabled_(enabled),
      what_(std::move(what)),
      items_(std::move(items)),
      total_(total),
      already_done_(already_done),
      every_seconds_(every_seconds),
      start_(now_seconds()) {}

void ProgressLine::update(std::uint64_t done, bool force) {
  const double elapsed = now_seconds() - start_;
  if (!enabled_ || (!force && elapsed - last_print_ < every_seconds_)) return;
  last_print_ = elapsed;
  const double rate = (done - std::min(done, already_done_)) / std::max(elapsed, 1e-9);
  std::fprintf(stderr, "[spikeweave] %s: %llu / %llu %s (%.0f%%), %.3g %s/s, ETA %.0f s\n",
               what_.c_str(), static_cast<unsigned long long>(done),
               static_cast<unsigned long long>(total_), items_.c_str(),
               total_ ? 100.0 * done / total_ : 100.0, rate, items_.c_str(),
               rate > 0 ? (total_ - std::min(done, total_)) / rate : 0.0);
}

}  // namespace spikeweave::jobs
