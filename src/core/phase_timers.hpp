#pragma once
// Wall-clock seconds per named phase of the simulation loop (update, deliver, exchange, ...).
// Phases are a fixed enum so that timings can be reduced over ranks element by element.
#include <array>
#include <chrono>
#include <string_view>

namespace spikeweave {

enum class Phase : int {
  kBuild = 0,
  kUpdate,
  kDeliver,
  kExchange,
  kStimulus,
  kPlasticity,
  kRecord,
  kIo,
  kCount
};

inline constexpr std::array<std::string_view, static_cast<int>(Phase::kCount)> kPhaseNames = {
    "build", "update", "deliver", "exchange", "stimulus", "plasticity", "record", "io"};

class PhaseTimers {
 public:
  using Clock = std::chrono::steady_clock;

  void add(Phase phase, double seconds) { seconds_[index(phase)] += seconds; }
  double seconds(Phase phase) const { return seconds_[index(phase)]; }
  const std::array<double, static_cast<int>(Phase::kCount)>& all() const { return seconds_; }
  void reset() { seconds_.fill(0.0); }

  // Adds the time from construction to destruction to one phase.
  class Scope {
   public:
    Scope(PhaseTimers& timers, Phase phase)
        : timers_(timers), phase_(phase), start_(Clock::now()) {}
    ~Scope() { timers_.add(phase_, std::chrono::duration<double>(Clock::now() - start_).count()); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PhaseTimers& timers_;
    Phase phase_;
    Clock::time_point start_;
  };

 private:
  static int index(Phase phase) { return static_cast<int>(phase); }
  std::array<double, static_cast<int>(Phase::kCount)> seconds_{};
};

}  // namespace spikeweave
