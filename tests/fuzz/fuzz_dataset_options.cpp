// libFuzzer harness: the dataset option parsers. The input is a rate-dataset TOML file; its first
// line is also given to the command line's DIST parser (uniform:A,B / normal:A,B / TOML). Accepted
// specs must draw valid networks for their first indices.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "jobs/rate_dataset_spec.hpp"
#include "rate/params.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const std::string first_line = text.substr(0, text.find('\n'));
    spikeweave::jobs::distribution_to_toml(first_line, "--gain");
  } catch (const spikeweave::UserError&) {
  }
  try {
    const spikeweave::jobs::RateDatasetSpec spec =
        spikeweave::jobs::parse_rate_dataset_text(text, "fuzz.toml");
    for (std::uint64_t m = 0; m < 3 && m < spec.networks; ++m) {
      spikeweave::rate::validate(spikeweave::jobs::draw_network_params(spec, m), spec.dynamics,
                                 "network " + std::to_string(m));
    }
    spikeweave::jobs::canonical_toml(spec);
  } catch (const spikeweave::UserError&) {
  }
  return 0;
}
