#pragma once
// Everything that can be wrong with a sweep, found before any point runs, identically on every
// rank (no communication): the [set] overrides, every key path, every expression, and the
// network at every design point (a value that makes it invalid), and the metrics window.
#include "jobs/sweep_spec.hpp"

namespace spikeweave::jobs {

// Marks the keys that hold integers in the base network (their values are rounded), then
// checks. Throws ConfigError naming the sweep file's axis or key, and the point.
void validate_sweep(SweepSpec& spec);

}  // namespace spikeweave::jobs
