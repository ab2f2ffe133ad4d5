#pragma once
// Host only (TOML): reads a rate-dataset spec from its TOML table.
#include <toml++/toml.h>

#include <string>

#include "jobs/rate_dataset_spec.hpp"

namespace spikeweave::jobs {

// Parses and validates; ConfigError names the key (`rate.network.gain`).
RateDatasetSpec parse_rate_dataset(const toml::table& root, const std::string& source);

}  // namespace spikeweave::jobs
