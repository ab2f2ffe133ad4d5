#pragma once
// `spikeweave inspect DIR[/latest]`: what a checkpoint holds.
#include <string>

namespace spikeweave::cli {

// Whether `path` names a checkpoint (a directory with a MANIFEST, or a root with `latest`).
bool is_checkpoint_path(const std::string& path);
// Verifies the checkpoint (a bad one is a FileError) and prints its step, time, ranks, network
// hash, version, files and state blocks. Rank 0 only.
void print_checkpoint(const std::string& path);

}  // namespace spikeweave::cli
