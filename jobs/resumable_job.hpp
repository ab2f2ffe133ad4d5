#pragma once
// The resume machinery shared by `dataset spiking` and `sweep`: work items (instances, points)
// are handed out dynamically to groups of ranks, each finished item is saved at once as a part
// file in "<out>.parts/" (jobs/part_file.hpp), and the output file is assembled collectively
// once every item exists. Rerunning the same command skips the saved items; a rerun with a
// different spec (canonical text stored in "<out>.parts/spec.toml" and in the output file) is
// refused, naming what changed.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::jobs {

struct ResumableOutput {
  std::string output;     // the final file
  std::string canonical;  // canonical text of the spec ("key = value" lines, as io/ compares)
  bool overwrite = false;
  std::string parts_dir() const { return output + ".parts"; }
};

enum class ResumeState { kFresh, kResume, kComplete };

// Returns the spec stored in an existing output file, or sets `problem`.
using StoredSpecReader = std::function<std::string(const std::string& path, std::string& problem)>;

// Rank 0 examines the output file and the parts directory and decides; every rank follows.
// kFresh (re)creates the parts directory with the spec. A refusal (different spec, unreadable
// file, no --overwrite) is a FileError on every rank. Collective.
ResumeState open_resumable_output(comm::Context& context, const ResumableOutput& out,
                                  const StoredSpecReader& read_stored_spec);

// Items of [0, total) whose part file does not exist yet (rank 0 looks, all ranks get the list).
std::vector<std::uint64_t> pending_items(
    comm::Context& context, std::uint64_t total,
    const std::function<std::string(std::uint64_t)>& part_path);

// Number of part files ("*.bin") in a parts directory, for progress lines.
std::uint64_t count_part_files(const std::string& parts_dir);

// Throws ConfigError naming `option` unless k divides the number of ranks.
void check_ranks_per_group(const comm::Context& context, int k, const std::string& option);

struct ClaimLoopResult {
  std::uint64_t computed = 0;  // items finished, all ranks
  bool stopped = false;        // the test hook stopped the run
};

// Splits `context` into groups of `ranks_per_group` consecutive ranks; each group's rank 0 takes
// the next pending item from a shared counter (jobs/work_queue.hpp) and the whole group runs
// `work(group, item)`, which saves the item's part. `stop_after_items` > 0 (tests): each group
// stops after that many items as if killed. Collective.
ClaimLoopResult run_claim_loop(
    comm::Context& context, const std::vector<std::uint64_t>& pending, int ranks_per_group,
    int stop_after_items,
    const std::function<void(comm::Context& group, std::uint64_t item)>& work);

// Removes the parts directory after assembly (rank 0), then a barrier. Collective.
void remove_parts(comm::Context& context, const ResumableOutput& out);

// Rank 0 prints "[spikeweave] <what>: d / n <items> (p%), r <items>/s, ETA s" at most every
// `every_seconds`.
class ProgressLine {
 public:
  ProgressLine(bool enabled, std::string what, std::string items, std::uint64_t total,
               std::uint64_t already_done, double every_seconds = 2.0);
  void update(std::uint64_t done, bool force = false);

 private:
  bool enabled_;
  std::string what_, items_;
  std::uint64_t total_, already_done_;
  double every_seconds_;
  double start_, last_print_ = -1e300;
};

}  // namespace spikeweave::jobs
