// libFuzzer harness: network TOML text -> spec builder and validation (parse_network). Any input
// must end in a parsed spec or a UserError naming what is wrong; a crash, hang, leak or sanitizer
// report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "network/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const spikeweave::network::NetworkSpec spec =
        spikeweave::network::parse_network(text, "fuzz.toml", {});
    // The lowered quantities the engine relies on must be consistent for an accepted spec.
    if (spec.min_delay_steps() < 1 || spec.max_delay_steps() < spec.min_delay_steps()) {
      __builtin_trap();
    }
  } catch (const spikeweave::UserError&) {
  }
  return 0;
}
