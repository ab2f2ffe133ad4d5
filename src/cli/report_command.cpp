// spikeweave report FILE.h5 [-o report.html] [options]: the HTML report of a file, drawn by the
// Python package (python/spikeweave) under Debian's /usr/bin/python3. This command only finds the
// interpreter and the package and hands the arguments over unchanged, so that the report's
// options and messages live in one place (spikeweave/cli.py). A missing interpreter is reported
// here; a missing h5py, numpy or matplotlib by the package itself, naming the Debian package.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "core/errors.hpp"

extern char** environ;

namespace spikeweave::cli {
namespace {

constexpr const char* kCommand = "spikeweave report";

// SPIKEWEAVE_PYTHON, else Debian's interpreter (the one whose h5py/numpy/matplotlib
// scripts/setup.sh installs; a pyenv or conda python3 first on PATH usually lacks them).
std::string find_python() {
  const char* chosen = std::getenv("SPIKEWEAVE_PYTHON");
  const std::string python = chosen && *chosen ? chosen : "/usr/bin/python3";
  if (access(python.c_str(), X_OK) != 0) {
    throw UserError(kCommand, python +
                                  " is not an executable Python 3 interpreter; the report needs "
                                  "Debian's python3 with python3-h5py, python3-numpy and "
                                  "python3-matplotlib (./scripts/setup.sh installs them), or "
                                  "SPIKEWEAVE_PYTHON set to another interpreter that has them");
  }
  return python;
}

// The directory holding the package: SPIKEWEAVE_PYTHONPATH, the source tree this binary was
// built from, or the installed copy (cmake --install), whichever has spikeweave/__init__.py.
std::string find_package_dir() {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("SPIKEWEAVE_PYTHONPATH"); dir && *dir) {
    candidates.emplace_back(dir);
  }
  candidates.emplace_back(SPIKEWEAVE_PYTHON_SOURCE_DIR);
  candidates.emplace_back(SPIKEWEAVE_PYTHON_INSTALL_DIR);
  std::string tried;
  for (const std::string& dir : candidates) {
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::path(dir) / "spikeweave" / "__init__.py", error))
      return dir;
    tried += (tried.empty() ? "" : ", ") + dir;
  }
  throw UserError(kCommand, "cannot find the Python package spikeweave (looked in " + tried +
                                "); set SPIKEWEAVE_PYTHONPATH to the directory that holds it");
}

// Runs python -m MODULE ARGS (MODULE: "spikeweave report" or "spikeweave.task") with the
// package first on PYTHONPATH; returns its exit status. posix_spawn rather than fork: forking an
// MPI process is unsafe with some transports.
int run_python(const std::string& python, const std::string& package_dir,
               const std::vector<std::string>& module, const std::vector<std::string>& args) {
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string path =
      package_dir + (old_path && *old_path ? ":" + std::string(old_path) : std::string());
  setenv("PYTHONPATH", path.c_str(), 1);
  setenv("MPLBACKEND", "Agg", 1);
  std::vector<std::string> words{python, "-m"};
  words.insert(words.end(), module.begin(), module.end());
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int error = posix_spawn(&pid, python.c_str(), nullptr, nullptr, argv.data(), environ))
    throw UserError(kCommand, "cannot start " + python + ": " + std::strerror(error));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw UserError(kCommand, std::string("waitpid: ") + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  throw UserError(kCommand, python + " was killed by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace

int report_command(comm::Context& context, const std::vector<std::string>& args) {
  if (args.empty()) {
    throw UserError(kCommand,
                    "missing FILE.h5 (usage: spikeweave report FILE.h5 [-o report.html]; see "
                    "--help)");
  }
  // One process draws the report; the others wait for its exit code so that all ranks agree.
  // An error on rank 0 is rethrown only after that collective, so no rank hangs.
  std::uint64_t code = 0;
  std::exception_ptr error;
  if (context.rank() == 0) {
    try {
      code = static_cast<std::uint64_t>(
          run_python(find_python(), find_package_dir(), {"spikeweave", "report"}, args));
    } catch (...) {
      error = std::current_exception();
      code = 1;
    }
  }
  if (context.size() > 1) code = context.sum(code);
  if (error) std::rethrow_exception(error);
  return code == 0 ? 0 : 1;
}

int task_command(comm::Context& context, const std::vector<std::string>& args) {
  // The pipeline starts its own runs (mpiexec for --ranks > 1): one process only.
  if (context.size() > 1) {
    throw UserError("spikeweave task",
                    "runs its simulations itself (--ranks N); start it without mpirun");
  }
  // The pipeline runs this very executable.
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) setenv("SPIKEWEAVE_BINARY", self.c_str(), 1);
  return run_python(find_python(), find_package_dir(), {"spikeweave.task"}, args) == 0 ? 0 : 1;
}

}  // namespace spikeweave::cli
