#pragma once
// Runs part of a test with the receive path chosen by SPIKEWEAVE_RECEIVE_LAYOUT ("slots": every
// projection delivers through receive slots; unset: direct rows where they apply,
// engine/direct_rows.hpp), restoring the variable afterwards. Read when a Simulation is built.
#include <cstdlib>
#include <optional>
#include <string>

namespace spikeweave::test {

class ScopedReceiveLayout {
 public:
  explicit ScopedReceiveLayout(const char* layout) {
    if (const char* old = std::getenv(kName)) previous_ = old;
    setenv(kName, layout, 1);
  }
  ~ScopedReceiveLayout() {
    if (previous_) {
      setenv(kName, previous_->c_str(), 1);
    } else {
      unsetenv(kName);
    }
  }
  ScopedReceiveLayout(const ScopedReceiveLayout&) = delete;
  ScopedReceiveLayout& operator=(const ScopedReceiveLayout&) = delete;

 private:
  static constexpr const char* kName = "SPIKEWEAVE_RECEIVE_LAYOUT";
  std::optional<std::string> previous_;
};

}  // namespace spikeweave::test
