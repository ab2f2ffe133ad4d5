#include "cli/inspect_checkpoint.hpp"

#include <cstdio>
#include <filesystem>

#include "io/checkpoint_dir.hpp"
#include "io/checkpoint_file.hpp"

namespace spikeweave::cli {

bool is_checkpoint_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  return fs::is_directory(path, ec) &&
         (fs::exists(fs::path(path) / "MANIFEST", ec) || fs::exists(fs::path(path) / "latest", ec));
}

void print_checkpoint(const std::string& path) {
  const io::CheckpointManifest m = io::verify_checkpoint(path);
  const std::string state = m.directory + "/state.h5";
  const io::CheckpointHeader h = io::open_checkpoint_state(state)->header();
  std::printf("%s: SpikeWeave checkpoint (layout %lld), complete and intact\n", m.directory.c_str(),
              static_cast<long long>(h.layout_version));
  std::printf("step %lld (t = %.3f ms, dt %.4g ms, interval %lld steps), written by %lld rank(s)\n",
              static_cast<long long>(h.step), m.time_ms, h.dt_ms,
              static_cast<long long>(h.interval_steps), static_cast<long long>(h.ranks));
  std::printf("network hash %s, written by SpikeWeave %s\n", h.network_hash.c_str(),
              h.version.c_str());
  if (!h.overrides.empty()) std::printf("overrides:\n%s", h.overrides.c_str());
  std::printf("%-14s %14s  %s\n", "file", "bytes", "checksum");
  std::uint64_t total = 0;
  for (const auto& f : m.files) {
    std::printf("%-14s %14llu  %s\n", f.name.c_str(), static_cast<unsigned long long>(f.bytes),
                f.checksum.c_str());
    total += f.bytes;
  }
  std::printf("%-14s %14llu\n", "total", static_cast<unsigned long long>(total));
  // keys 0: synapses, keyed implicitly by their target's segment (io/SCHEMA.md).
  std::printf("%-48s %12s %5s %6s %s\n", "state block", "entries", "keys", "values", "type");
  for (const io::CheckpointBlockSummary& b : io::checkpoint_block_summaries(state)) {
    std::printf("%-48s %12llu %5d %6d %s\n", b.name.c_str(),
                static_cast<unsigned long long>(b.entries), b.key_width, b.value_width,
                b.integer  ? "int64"
                : b.single ? "float32"
                           : "float64");
  }
}

}  // namespace spikeweave::cli
