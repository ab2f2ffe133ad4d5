#include "io/checkpoint_dir.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/errors.hpp"
#include "io/checksum.hpp"

namespace spikeweave::io {
namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestFormat = "spikeweave-checkpoint-manifest 1";

void fsync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) throw FileError(path, std::string("cannot open to sync: ") + std::strerror(errno));
  const int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) throw FileError(path, std::string("fsync failed: ") + std::strerror(errno));
}

std::string step_name(std::int64_t step) {
  char name[32];
  std::snprintf(name, sizeof name, "ckpt-%012lld", static_cast<long long>(step));
  return name;
}

// The step of a checkpoint directory's name ckpt-<step>, or -1 if it is not one.
std::int64_t step_of(const std::string& name) {
  if (name.rfind("ckpt-", 0) != 0 || name.size() == 5) return -1;
  std::int64_t step = 0;
  for (std::size_t i = 5; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || step > (INT64_MAX - 9) / 10) return -1;
    step = step * 10 + (name[i] - '0');
  }
  return step;
}

// Complete checkpoints of a root directory, oldest (lowest step) first. By the step's value, not
// the name: names have 12 digits or more, and ckpt-1000000000000 sorts before ckpt-999999999999.
std::vector<fs::path> complete_checkpoints(const fs::path& root) {
  std::vector<std::pair<std::int64_t, fs::path>> found;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {};
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::int64_t step = step_of(entry.path().filename().string());
    if (step >= 0 && fs::exists(entry.path() / "MANIFEST", ec))
      found.emplace_back(step, entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

CheckpointManifest read_manifest(const fs::path& directory) {
  const std::string path = (directory / "MANIFEST").string();
  std::ifstream in(path);
  if (!in) throw FileError(path, "missing: not a complete checkpoint");
  std::string line;
  std::getline(in, line);
  if (line != kManifestFormat) {
    throw FileError(path, "not a SpikeWeave checkpoint manifest (first line '" + line +
                              "', expected '" + kManifestFormat + "')");
  }
  CheckpointManifest m;
  m.directory = directory.string();
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    fields >> key;
    if (key == "step") fields >> m.step;
    if (key == "time_ms") fields >> m.time_ms;
    if (key == "ranks") fields >> m.ranks;
    if (key == "network_hash") fields >> m.network_hash;
    if (key == "file") {
      CheckpointManifest::File f;
      fields >> f.name >> f.bytes >> f.checksum;
      m.files.push_back(f);
    }
    if (!fields && key != "end") throw FileError(path, "unreadable line '" + line + "'");
  }
  if (m.files.empty()) throw FileError(path, "lists no files: truncated");
  return m;
}

// The first file of the manifest that is missing or has another size, or "".
std::string check_sizes(const CheckpointManifest& m) {
  for (const CheckpointManifest::File& f : m.files) {
    const fs::path file = fs::path(m.directory) / f.name;
    std::error_code ec;
    if (!fs::exists(file, ec)) return file.string() + ": missing";
    const std::uint64_t size = fs::file_size(file, ec);
    if (size != f.bytes) {
      return file.string() + ": truncated or altered (" + std::to_string(size) +
             " bytes, the manifest says " + std::to_string(f.bytes) + ")";
    }
  }
  return "";
}

}  // namespace

bool CheckpointManifest::has_file(const std::string& name) const {
  return std::any_of(files.begin(), files.end(), [&](const File& f) { return f.name == name; });
}

std::string text_hash(const std::string& text) {
  std::uint64_t h = kFnvOffset;
  for (unsigned char c : text) h = (h ^ c) * kFnvPrime;
  return hex64(h);
}

namespace {
// Reads up to `n` bytes (fewer only at the end of the file); -1 on an error.
ssize_t read_full(int fd, unsigned char* data, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, data + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

bool write_full(int fd, const unsigned char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// Hashes `from` (a file descriptor) in whole buffers, so the hash does not depend on how the
// file is split into reads (the plain checksum, or the chunked one if `chunked`); each buffer
// also goes to `to` if it is >= 0. `resident(bytes)`, if given, is told each time the file's
// first `bytes` have been read (are in the page cache).
std::string hash_and_copy(int from, int to, const std::string& path, const std::string& target,
                          const std::function<void(std::uint64_t)>& resident = {},
                          bool chunked = false) {
  std::vector<unsigned char> buffer(std::size_t{1} << 22);  // a multiple of 8
  std::uint64_t h = kFnvOffset;
  ChunkedChecksum chunks;
  std::uint64_t read_bytes = 0;
  for (;;) {
    const ssize_t got = read_full(from, buffer.data(), buffer.size());
    if (got < 0) throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
    if (got == 0) break;
    read_bytes += static_cast<std::uint64_t>(got);
    if (resident) resident(read_bytes);
    if (chunked) {
      chunks.add(buffer.data(), static_cast<std::size_t>(got));
    } else {
      h = fnv_words(h, buffer.data(), static_cast<std::size_t>(got));
    }
    if (to >= 0 && !write_full(to, buffer.data(), static_cast<std::size_t>(got))) {
      throw FileError(target, std::string("cannot write: ") + std::strerror(errno));
    }
    if (static_cast<std::size_t>(got) < buffer.size()) break;
  }
  return chunked ? chunks.finish() : hex64(h);
}

// A file descriptor closed when it goes out of scope.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

std::string file_checksum(const std::string& path) {
  const Fd in{::open(path.c_str(), O_RDONLY)};
  if (in.fd < 0) throw FileError(path, "cannot read");
  return hash_and_copy(in.fd, -1, path, "");
}

namespace {
// The file's checksum in the form of `expected` (chunked or plain), telling `resident` how much
// of the file has been read (see hash_and_copy).
std::string streamed_checksum(const std::string& path, const std::string& expected,
                              const std::function<void(std::uint64_t)>& resident) {
  const Fd in{::open(path.c_str(), O_RDONLY)};
  if (in.fd < 0) throw FileError(path, "cannot read");
  (void)::posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);  // a larger read-ahead (a hint)
  return hash_and_copy(in.fd, -1, path, "", resident, is_chunked_checksum(expected));
}

// The first file of the manifest whose checksum differs, or "". `resident(name, bytes)`, if
// given, is told each time a file's first `bytes` have been read (see hash_and_copy).
std::string check_checksums(
    const CheckpointManifest& m,
    const std::function<void(const std::string&, std::uint64_t)>& resident = {}) {
  for (const CheckpointManifest::File& f : m.files) {
    const fs::path file = fs::path(m.directory) / f.name;
    const std::string sum = streamed_checksum(file.string(), f.checksum, [&](std::uint64_t bytes) {
      if (resident) resident(f.name, bytes);
    });
    if (sum != f.checksum) {
      return file.string() + ": corrupted (checksum " + sum + ", the manifest says " + f.checksum +
             ")";
    }
  }
  return "";
}

std::string verify_files(const CheckpointManifest& m) {
  const std::string problem = check_sizes(m);
  return problem.empty() ? check_checksums(m) : problem;
}
}  // namespace

std::string cached_file_checksum(const std::string& path) {
  const Fd in{::open(path.c_str(), O_RDONLY)};
  struct stat status;
  if (in.fd < 0 || ::fstat(in.fd, &status) != 0 || status.st_size <= 0) return file_checksum(path);
  const std::size_t bytes = static_cast<std::size_t>(status.st_size);
  // Mapped a window at a time: a mapping's pages count in the process's resident size, and a
  // batch system that polls it must not see a 3 GB file as 3 GB more memory. The windows are
  // multiples of 8 bytes, so the words and the padded last word are hash_and_copy's.
  constexpr std::size_t kWindow = std::size_t{64} << 20;
  std::uint64_t h = kFnvOffset;
  for (std::size_t offset = 0; offset < bytes; offset += kWindow) {
    const std::size_t length = std::min(kWindow, bytes - offset);
    void* mapped =
        ::mmap(nullptr, length, PROT_READ, MAP_SHARED, in.fd, static_cast<off_t>(offset));
    if (mapped == MAP_FAILED) return file_checksum(path);
    (void)::madvise(mapped, length, MADV_SEQUENTIAL);
    h = fnv_words(h, static_cast<const unsigned char*>(mapped), length);
    ::munmap(mapped, length);
  }
  return hex64(h);
}

std::string copy_file_synced(const std::string& from, const std::string& to) {
  const Fd in{::open(from.c_str(), O_RDONLY)};
  if (in.fd < 0) throw FileError(to, "cannot copy " + from + ": " + std::strerror(errno));
  const Fd out{::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)};
  if (out.fd < 0) throw FileError(to, std::string("cannot create: ") + std::strerror(errno));
  const std::string checksum = hash_and_copy(in.fd, out.fd, from, to);
  if (::fsync(out.fd) != 0)
    throw FileError(to, std::string("fsync failed: ") + std::strerror(errno));
  return checksum;
}

void start_writeback(const std::string& path) {
  const Fd file{::open(path.c_str(), O_RDONLY)};
  // Only a hint: the fsync before publishing is what guarantees the data are on disk.
  if (file.fd >= 0) (void)::sync_file_range(file.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}

std::string begin_checkpoint(comm::Context& context, const std::string& dir, std::int64_t step) {
  const std::string staging = (fs::path(dir) / ("." + step_name(step) + ".tmp")).string();
  std::string problem;
  if (context.rank() == 0) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir, ec)) {
      problem = "cannot create the checkpoint directory";
    } else {
      // Staging directories are left by runs killed while writing: never complete, never named
      // by `latest`, so they go.
      std::vector<fs::path> stale;
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().filename().string().rfind(".ckpt-", 0) == 0) stale.push_back(entry.path());
      }
      for (const fs::path& path : stale) fs::remove_all(path, ec);
      if (!fs::create_directory(staging, ec)) problem = "cannot create " + staging;
    }
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(dir, problem);
  return staging;
}

std::string publish_checkpoint(const std::string& staging, const std::string& dir,
                               CheckpointManifest manifest, int keep,
                               std::vector<std::string>* retired) {
  try {
    std::error_code ec;
    // The disk writes the files while their checksums are computed (from the page cache); the
    // fsyncs then wait only for what is left.
    for (const CheckpointManifest::File& f : manifest.files)
      start_writeback((fs::path(staging) / f.name).string());
    for (CheckpointManifest::File& f : manifest.files) {
      const std::string path = (fs::path(staging) / f.name).string();
      f.bytes = fs::file_size(path, ec);
      if (f.checksum.empty()) f.checksum = cached_file_checksum(path);
    }
    for (const CheckpointManifest::File& f : manifest.files)
      fsync_path((fs::path(staging) / f.name).string(), false);
    const std::string manifest_path = (fs::path(staging) / "MANIFEST").string();
    {
      std::ofstream out(manifest_path);
      out << kManifestFormat << "\n"
          << "step " << manifest.step << "\n"
          << "time_ms " << manifest.time_ms << "\n"
          << "ranks " << manifest.ranks << "\n"
          << "network_hash " << manifest.network_hash << "\n";
      for (const auto& f : manifest.files)
        out << "file " << f.name << " " << f.bytes << " " << f.checksum << "\n";
      out << "end\n";
      if (!out) return manifest_path + ": cannot write";
    }
    fsync_path(manifest_path, false);
    fsync_path(staging, true);
    const fs::path final_dir = fs::path(dir) / step_name(manifest.step);
    fs::remove_all(final_dir, ec);  // an older run's checkpoint of the same step
    fs::rename(staging, final_dir, ec);
    if (ec) return "cannot rename " + staging + " to " + final_dir.string() + ": " + ec.message();
    fsync_path(dir, true);
    // `latest` is replaced by renaming a new link over it: never absent, never dangling.
    const fs::path link = fs::path(dir) / "latest";
    const fs::path temporary = fs::path(dir) / ".latest.tmp";
    fs::remove(temporary, ec);
    fs::create_directory_symlink(final_dir.filename(), temporary, ec);
    if (ec) return "cannot create " + temporary.string() + ": " + ec.message();
    fs::rename(temporary, link, ec);
    if (ec) return "cannot update " + link.string() + ": " + ec.message();
    fsync_path(dir, true);
    // The oldest by step go first, but never the one just published: a restart from an earlier
    // checkpoint may write into a directory that holds later ones (of the abandoned run).
    std::vector<fs::path> complete = complete_checkpoints(dir);
    std::size_t left = complete.size();
    const std::size_t keep_count = static_cast<std::size_t>(std::max(1, keep));
    for (std::size_t k = 0; k < complete.size() && left > keep_count; ++k) {
      if (complete[k].filename() == final_dir.filename()) continue;
      --left;
      if (retired != nullptr) {
        // ".ckpt-<step>.old": a staging directory's prefix (swept by begin_checkpoint).
        const fs::path hidden = fs::path(dir) / ("." + complete[k].filename().string() + ".old");
        fs::remove_all(hidden, ec);
        fs::rename(complete[k], hidden, ec);
        if (!ec) {
          retired->push_back(hidden.string());
          continue;
        }
      }
      fs::remove_all(complete[k], ec);
    }
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

namespace {

// The FileError of a checkpoint that cannot be restarted: `problem`, and the newest other
// complete checkpoint beside it, if any.
FileError refusal(const std::string& path, const fs::path& directory, const std::string& problem) {
  std::error_code ec;
  std::string offer;
  const fs::path canonical = fs::weakly_canonical(directory, ec);
  for (const fs::path& other : complete_checkpoints(canonical.parent_path())) {
    if (other != canonical) offer = other.string();
  }
  return FileError(path, "cannot restart from this checkpoint: " + problem +
                             (offer.empty() ? std::string(" (no other checkpoint found)")
                                            : "; the previous checkpoint is " + offer +
                                                  " (--restart " + offer + ")"));
}

// The checkpoint directory `path` names (see verify_checkpoint), resolved.
fs::path checkpoint_directory(const std::string& path) {
  std::error_code ec;
  fs::path directory(path);
  if (!fs::exists(directory, ec)) throw FileError(path, "no such checkpoint");
  if (!fs::exists(directory / "MANIFEST", ec) && fs::exists(directory / "latest", ec)) {
    directory = directory / "latest";
  }
  // DIR/latest resolved: a later checkpoint moving `latest` does not change what was verified.
  const fs::path resolved = fs::canonical(directory, ec);
  return ec ? directory : resolved;
}

// The checkpoint's manifest, its files checked by `check` (a problem, or "").
CheckpointManifest checked_checkpoint(const std::string& path,
                                      std::string (*check)(const CheckpointManifest&)) {
  const fs::path directory = checkpoint_directory(path);
  std::string problem;
  CheckpointManifest m;
  try {
    m = read_manifest(directory);
    problem = check(m);
  } catch (const FileError& e) {
    problem = e.what();
  }
  if (problem.empty()) return m;
  throw refusal(path, directory, problem);
}

}  // namespace

CheckpointManifest open_checkpoint(const std::string& path) {
  return checked_checkpoint(path, check_sizes);
}

ChecksumVerification::ChecksumVerification(std::string path, CheckpointManifest manifest)
    : thread_([this, path = std::move(path), m = std::move(manifest)] { run(path, m); }) {}

void ChecksumVerification::run(const std::string& path, const CheckpointManifest& m) {
  // A thread must not throw: what would have been thrown is kept for wait().
  std::string problem;
  try {
    const auto start = std::chrono::steady_clock::now();
    problem = check_checksums(m, [this](const std::string& name, std::uint64_t bytes) {
      const std::lock_guard<std::mutex> lock(mutex_);
      resident_[name] = bytes;
      changed_.notify_all();
    });
    if (!problem.empty()) problem = refusal(path, m.directory, problem).what();
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } catch (const std::exception& e) {
    problem = e.what();
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  problem_ = problem;
  done_ = true;
  changed_.notify_all();
}

ChecksumVerification::~ChecksumVerification() {
  if (thread_.joinable()) thread_.join();
}

const std::string& ChecksumVerification::wait() {
  if (thread_.joinable()) thread_.join();
  return problem_;
}

void ChecksumVerification::wait_resident(const std::string& name, std::uint64_t bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] {
    const auto found = resident_.find(name);
    return done_ || (found != resident_.end() && found->second >= bytes);
  });
}

CheckpointManifest verify_checkpoint(const std::string& path) {
  return checked_checkpoint(path, verify_files);
}

}  // namespace spikeweave::io
