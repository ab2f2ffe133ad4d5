#include "cli/stop_signals.hpp"

#include <csignal>
#include <initializer_list>

namespace spikeweave::cli {
namespace {
volatile std::sig_atomic_t received = 0;

extern "C" void record_signal(int signal) {
  received = signal;
}
}  // namespace

void install_stop_signals() {
  struct sigaction action {};
  action.sa_handler = &record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // system calls of the ongoing I/O continue
  for (int signal : {SIGTERM, SIGUSR1, SIGINT}) sigaction(signal, &action, nullptr);
}

int stop_signal() {
  return received;
}

}  // namespace spikeweave::cli
