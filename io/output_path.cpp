#include "io/output_path.hpp"

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
