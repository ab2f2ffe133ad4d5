#pragma once
// SIGTERM, SIGUSR1 (what SLURM sends before a time limit with --signal) and SIGINT (Ctrl-C) ask
// a run to stop cleanly: the handler only records the request; the run agrees on it over all
// ranks at the next interval boundary, writes a checkpoint and its buffered output, and exits
// with kExitStoppedBySignal. A second signal while that happens only records again, so it
// cannot interrupt (and corrupt) the checkpoint being written.
namespace spikeweave::cli {

// The exit status of a run stopped by a signal after writing its checkpoint (EX_TEMPFAIL: try
// again, e.g. requeue and --restart DIR/latest).
inline constexpr int kExitStoppedBySignal = 75;

void install_stop_signals();
// The signal received since install_stop_signals, or 0.
int stop_signal();

}  // namespace spikeweave::cli
