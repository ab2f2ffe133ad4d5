#include "io/checkpoint_raw_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace spikeweave::io {
namespace {

// pwrite of the whole range: 0, or the errno of the failure.
int write_all(int fd, const unsigned char* from, std::uint64_t bytes, std::uint64_t offset) {
  while (bytes > 0) {
    const ssize_t put = ::pwrite(fd, from, bytes, static_cast<off_t>(offset));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return put < 0 ? errno : EIO;
    from += put;
    offset += static_cast<std::uint64_t>(put);
    bytes -= static_cast<std::uint64_t>(put);
  }
  return 0;
}

std::string message(int error) {
  return error == 0 ? std::string() : std::string("cannot write: ") + std::strerror(error);
}

}  // namespace

bool RawFile::direct_requested() {
  const char* setting = std::getenv("SPIKEWEAVE_CHECKPOINT_DIRECT");
  return setting == nullptr || std::strcmp(setting, "0") != 0;
}

RawFile::RawFile(const std::string& path, bool direct)
    : fd_(::open(path.c_str(), O_WRONLY | O_CLOEXEC)) {
#ifdef O_DIRECT
  if (fd_ >= 0 && direct) direct_fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_DIRECT);
#else
  (void)direct;
#endif
}

RawFile::~RawFile() {
  if (direct_fd_ >= 0) ::close(direct_fd_);
  if (fd_ >= 0) ::close(fd_);
}

std::string RawFile::write(const void* data, std::uint64_t bytes, std::uint64_t offset) {
  const auto* from = static_cast<const unsigned char*>(data);
  const std::uint64_t end = offset + bytes;
  const std::uint64_t first = (offset + kAlignment - 1) / kAlignment * kAlignment;
  const std::uint64_t last = end / kAlignment * kAlignment;
  if (direct_fd_ < 0 || last <= first) {
    const int error = write_all(fd_, from, bytes, offset);
    if (error == 0) start_writeback(offset, bytes);
    return message(error);
  }
  int error = write_all(fd_, from, first - offset, offset);  // head
  if (error == 0) {
    error = write_direct(from + (first - offset), first, last);
    if (error == EINVAL) {
      // The file system refused the direct write after all (another block size, or O_DIRECT
      // taken at open only): buffered from here on.
      ::close(direct_fd_);
      direct_fd_ = -1;
      error = write_all(fd_, from + (first - offset), last - first, first);
    }
  }
  if (error == 0) error = write_all(fd_, from + (last - offset), end - last, last);  // tail
  return message(error);
}

int RawFile::write_direct(const unsigned char* from, std::uint64_t first, std::uint64_t last) {
  if (reinterpret_cast<std::uintptr_t>(from) % kAlignment == 0)
    return write_all(direct_fd_, from, last - first, first);
  if (!bounce_) {
    bounce_.reset(static_cast<unsigned char*>(std::aligned_alloc(kAlignment, kBounceBytes)));
    if (!bounce_) return ENOMEM;
  }
  for (std::uint64_t at = first; at < last; at += kBounceBytes) {
    const std::uint64_t n = std::min(kBounceBytes, last - at);
    std::memcpy(bounce_.get(), from + (at - first), n);
    const int error = write_all(direct_fd_, bounce_.get(), n, at);
    if (error != 0) return error;
  }
  return 0;
}

void RawFile::start_writeback(std::uint64_t offset, std::uint64_t bytes) const {
  constexpr std::uint64_t kPage = 4096, kLeast = std::uint64_t{1} << 20;
  const std::uint64_t first = (offset + kPage - 1) / kPage * kPage;
  const std::uint64_t end = (offset + bytes) / kPage * kPage;
  if (fd_ >= 0 && bytes >= kLeast && end > first) {
    (void)::sync_file_range(fd_, static_cast<off_t>(first), static_cast<off_t>(end - first),
                            SYNC_FILE_RANGE_WRITE);
  }
}

std::string RawFile::sync() const {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0)
    return std::string("fsync failed: ") + std::strerror(errno);
  return std::string();
}

}  // namespace spikeweave::io
