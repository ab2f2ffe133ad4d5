#pragma once
// Refuses, before anything is built, a network whose estimated memory does not fit the nodes it
// runs on: ranks that share a node share its memory, so their estimates are summed and compared
// with what the node has available (MemAvailable, or the job's cgroup limit under SLURM).
#include <cstdint>

#include "comm/context.hpp"
#include "network/spec.hpp"

namespace spikeweave::engine {

// Memory this process may still use [bytes]: the smaller of /proc/meminfo's MemAvailable and the
// room left under its cgroup's memory limit (v2 memory.max, v1 memory.limit_in_bytes).
double available_memory_bytes();

// Collective over `context` (the real ranks). `partition_ranks` is the number of ranks the
// network is split over (the dry run's P). Throws UserError on every rank, naming the estimate
// and the available memory of the node that is short, if any node is.
void check_memory(const network::NetworkSpec& spec, int partition_ranks, comm::Context& context);

}  // namespace spikeweave::engine
