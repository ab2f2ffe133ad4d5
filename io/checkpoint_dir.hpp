#pragma once
// Checkpoint directories: atomic publication, checksums and verification (layout in
// io/SCHEMA.md).
//   DIR/ckpt-<step, 12 digits>/state.h5   the state (io/checkpoint_file.hpp)
//   DIR/ckpt-<step>/output.h5             the run's output file as of that step (if any)
//   DIR/ckpt-<step>/MANIFEST              written last: step, ranks, network hash, and the size
//                                         and checksum of every file
//   DIR/latest -> ckpt-<step>             the newest complete checkpoint
// A checkpoint is assembled in DIR/.ckpt-<step>.tmp, its files fsynced, the manifest written and
// fsynced, and the directory renamed: a kill at any moment leaves `latest` naming a complete
// checkpoint, and the previous one is removed only after the new one is published.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::io {

// 64-bit FNV-1a of a text, as 16 hex digits (the network TOML's hash).
std::string text_hash(const std::string& text);
// The same hash over a file's bytes; throws FileError if it cannot be read.
std::string file_checksum(const std::string& path);
// file_checksum of a file just written, hashed where it lies in the page cache (mapped, not copied
// out: the copy was nearly half of the state file's checksum time in a profile at scale 0.5).
std::string cached_file_checksum(const std::string& path);

struct CheckpointManifest {
  std::string directory;  // the checkpoint's directory
  std::int64_t step = 0;
  double time_ms = 0.0;
  std::int64_t ranks = 0;
  std::string network_hash;
  struct File {
    std::string name;
    std::uint64_t bytes = 0;
    std::string checksum;
  };
  std::vector<File> files;
  bool has_file(const std::string& name) const;
};

// Collective. Creates DIR if needed and an empty staging directory for the checkpoint of `step`;
// returns its path. Throws FileError on every rank if DIR cannot be written.
std::string begin_checkpoint(comm::Context& context, const std::string& dir, std::int64_t step);

// Rank 0 only (the others wait in the caller's collective): checksums (those whose checksum the
// manifest does not carry yet) and fsyncs the files of the staging directory, writes the manifest,
// publishes the directory as ckpt-<step>, points `latest` at it and removes the oldest complete
// checkpoints beyond `keep`. With `retired`, those are only renamed to hidden names, which no
// restart takes and begin_checkpoint sweeps away like staging directories, and listed there for
// the caller to remove off the run's critical path (removing a state file of GBs takes ext4
// tenths of a second). Returns "" or the reason it failed.
std::string publish_checkpoint(const std::string& staging, const std::string& dir,
                               CheckpointManifest manifest, int keep,
                               std::vector<std::string>* retired = nullptr);

// Local. The checkpoint directory that `path` names: a checkpoint directory itself (it holds a
// MANIFEST), or DIR/latest of a checkpoint root DIR. Then verifies it: every file of the
// manifest is present, has its size (else: truncated) and its checksum (else: corrupted).
// Throws FileError naming the file and the reason, and the previous complete checkpoint if
// there is one.
CheckpointManifest verify_checkpoint(const std::string& path);

// Local. open_checkpoint is verify_checkpoint without the checksums: the manifest read, every
// file present with its size. A restart then verifies the checksums with a ChecksumVerification
// while it reads the state (the files are read from the disk once, not twice), and uses nothing
// it read before the verification succeeded.
CheckpointManifest open_checkpoint(const std::string& path);

// Verifies the checksums of a checkpoint's files (those of `manifest`, which open_checkpoint(path)
// returned) on a thread of its own, reading each file in whole buffers (the restart's one read of
// it from the disk; a reader may wait_resident behind it). The destructor waits for it.
class ChecksumVerification {
 public:
  ChecksumVerification(std::string path, CheckpointManifest manifest);
  ChecksumVerification(const ChecksumVerification&) = delete;
  ChecksumVerification& operator=(const ChecksumVerification&) = delete;
  ~ChecksumVerification();
  // Waits for the verification: "" if every checksum matched, else the message of the FileError
  // that verify_checkpoint(path) throws for the checkpoint (naming the file and the previous
  // checkpoint).
  const std::string& wait();
  // Waits until the first `bytes` of the manifest's file `name` are in the page cache (read by
  // the verification ahead of its hash), or the verification ended: a reader of the file that
  // waits for this before reading leaves the disk one sequential stream, the verification's.
  void wait_resident(const std::string& name, std::uint64_t bytes);
  // How long the verification took [s] (after wait()).
  double seconds() const { return seconds_; }

 private:
  void run(const std::string& path, const CheckpointManifest& manifest);
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::uint64_t> resident_;  // bytes in the page cache, per file
  bool done_ = false;
  std::string problem_;
  double seconds_ = 0.0;
  std::thread thread_;  // last: it starts once the members above exist
};

// Asks the kernel to start writing `path` to disk without waiting (a hint; errors ignored).
void start_writeback(const std::string& path);

// Copies `from` to `to`, fsyncs the copy and returns its checksum (file_checksum's, computed
// while copying). Local; throws FileError.
std::string copy_file_synced(const std::string& from, const std::string& to);

}  // namespace spikeweave::io
