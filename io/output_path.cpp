#include "io/output_path.hpp"

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/errors.hpp"

namespace spikeweave::io {

std::string partial_path(const std::string& final_path) {
  return final_path + ".partial";
}

namespace {
// Returns "" if writable, else the reason.
std::string output_problem(const std::string& final_path, bool overwrite) {
  namespace fs = std::filesystem;
  const fs::path path(final_path);
  const fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  // A missing output directory is created (as `mkdir -p`), so job scripts can name fresh ones.
  if (!fs::exists(directory, ec)) fs::create_directories(directory, ec);
  if (!fs::is_directory(directory, ec)) {
    return "the directory '" + directory.string() + "' does not exist and cannot be created";
  }
  if (::access(directory.c_str(), W_OK) != 0) {
    return "the directory '" + directory.string() + "' is not writable (" + std::strerror(errno) +
           ")";
  }
  if (fs::exists(path, ec) && !overwrite) {
    return "the file exists; pass --overwrite to replace it (it is replaced only when the new "
           "output is complete)";
  }
  if (fs::is_directory(path, ec)) return "is a directory";
  return "";
}
}  // namespace

void check_output_path(comm::Context& context, const std::string& final_path, bool overwrite) {
  std::string problem = context.rank() == 0 ? output_problem(final_path, overwrite) : "";
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(final_path, problem);
}

std::string space_problem(const std::string& file_path, double bytes_needed) {
  namespace fs = std::filesystem;
  const fs::path path(file_path);
  const fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  struct statvfs fs_info {};
  if (::statvfs(directory.c_str(), &fs_info) == 0) {
    const double free_bytes =
        static_cast<double>(fs_info.f_bavail) * static_cast<double>(fs_info.f_frsize);
    if (free_bytes < bytes_needed) {
      return "the file system of '" + directory.string() + "' is full (" +
             std::to_string(static_cast<long long>(free_bytes)) + " bytes free)";
    }
  }
  rlimit limit{};
  std::error_code ec;
  const double size = fs::exists(path, ec) ? static_cast<double>(fs::file_size(path, ec)) : 0.0;
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      size + bytes_needed > static_cast<double>(limit.rlim_cur)) {
    return "the file size limit (ulimit -f) of " + std::to_string(limit.rlim_cur) +
           " bytes is reached";
  }
  return "";
}

std::string storage_problem(const std::string& file_path) {
  // HDF5 writes chunks of up to a few MB: less than that free means the disk stopped the write.
  return space_problem(file_path, 4.0 * 1024 * 1024);
}

void truncate_partial_file(const std::string& final_path) {
  (void)::truncate(partial_path(final_path).c_str(), 0);
}

void remove_partial_file(const std::string& final_path) {
  std::error_code ec;
  std::filesystem::remove(partial_path(final_path), ec);
}

void commit_output_path(comm::Context& context, const std::string& final_path) {
  context.barrier();
  std::string problem;
  if (context.rank() == 0 &&
      std::rename(partial_path(final_path).c_str(), final_path.c_str()) != 0) {
    problem = std::string("cannot rename the finished output into place: ") + std::strerror(errno);
  }
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(final_path, problem);
}

}  // namespace spikeweave::io
