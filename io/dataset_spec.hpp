#pragma once
// The spec text that every SpikeWeave dataset (rate or spiking) keeps in /provenance, read back
// to check that a resumed or appended run asks for the same dataset.
#include <string>

namespace spikeweave::io {

// The /provenance spec of an existing dataset ("" and `problem` set if unreadable).
std::string read_dataset_spec(const std::string& path, std::string& problem);

}  // namespace spikeweave::io
