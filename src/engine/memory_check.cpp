#include "engine/memory_check.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "network/memory_estimate.hpp"

namespace spikeweave::engine {
namespace {

// A number from a one-line file such as memory.max ("max" or missing: no limit).
double read_limit(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::numeric_limits<double>::infinity();
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::numeric_limits<double>::infinity();
  }
}

double mem_available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    double kib = 0.0;
    if (fields >> key >> kib && key == "MemAvailable:") return kib * 1024.0;
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

double available_memory_bytes() {
  double available = mem_available_bytes();
  const double v2_limit = read_limit("/sys/fs/cgroup/memory.max");
  if (v2_limit < std::numeric_limits<double>::infinity()) {
    available = std::min(available, v2_limit - read_limit("/sys/fs/cgroup/memory.current"));
  }
  const double v1_limit = read_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (v1_limit < 1e18) {  // v1 reports "no limit" as a huge number
    available =
        std::min(available, v1_limit - read_limit("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
  }
  return std::max(available, 0.0);
}

void check_memory(const network::NetworkSpec& spec, int partition_ranks, comm::Context& context) {
  const network::MemoryEstimate mine = network::estimate_rank_memory(spec, partition_ranks);
  std::unique_ptr<comm::Context> node = context.split_node();
  const double node_needed = node->sum(mine.total());
  // Ranks of a node read the same counters at nearly the same time; take the most cautious.
  std::vector<double> node_available{available_memory_bytes()};
  node->min(node_available);
  const bool short_here = node_needed > node_available[0];
  std::string message;
  if (short_here) {
    message = "the network needs about " + network::format_bytes(node_needed) + " on one node (" +
              std::to_string(node->size()) + " rank(s) there, each about " +
              network::format_bytes(mine.total()) + " for " +
              std::to_string(static_cast<long long>(mine.synapses)) +
              " synapses and their neurons), but only " + network::format_bytes(node_available[0]) +
              " is available; run it on more nodes (the estimate divides by the ranks), make it "
              "smaller, or pass --no-memory-check if the estimate is wrong";
  }
  const std::string error = comm::first_error(context, message);
  if (!error.empty()) throw UserError("memory", error);
}

}  // namespace spikeweave::engine
