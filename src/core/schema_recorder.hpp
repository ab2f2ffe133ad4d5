#pragma once
// The numeric keys a parse reads, with their documented ranges (plain: no TOML, so that tests and
// tools that also include Kokkos can use it).
#include <string>
#include <vector>

#include "core/value_range.hpp"

namespace spikeweave::config {

// One numeric key as a parser asked for it: its full path and documented range. Collected while
// a SchemaRecorder is alive on the thread, so that tests (and `spikeweave run --list-keys`) can
// enumerate every numeric key a network's parse reads, present or defaulted.
struct NumericKey {
  std::string path;
  Range range;           // for integers: low/high hold the integer bounds
  bool integer = false;  // read as a TOML integer
  bool present = false;  // given in the file (false: the default was used)
};

class SchemaRecorder {
 public:
  SchemaRecorder();
  ~SchemaRecorder();
  SchemaRecorder(const SchemaRecorder&) = delete;
  SchemaRecorder& operator=(const SchemaRecorder&) = delete;
  const std::vector<NumericKey>& keys() const { return keys_; }
  // Called by the readers; records nothing when no recorder is alive.
  static void note(NumericKey key);

 private:
  std::vector<NumericKey> keys_;
  SchemaRecorder* previous_;
};

}  // namespace spikeweave::config
