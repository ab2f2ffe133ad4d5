#include "cli/cli_support.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/errors.hpp"

namespace spikeweave::cli {

namespace {
// Why rank 0 cannot use `path` as a text file, or "" if it can (then `text` holds it).
std::string read_text_file(const std::string& path, std::string& text) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return "no such file";
  if (std::filesystem::is_directory(status)) return "is a directory, not a file";
  if (!std::filesystem::is_regular_file(status)) return "is not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open the file for reading (permission denied?)";
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return "cannot read the file";
  text = buffer.str();
  const std::size_t bad = first_invalid_utf8(text);
  if (bad != std::string::npos) {
    return "is not UTF-8 text (invalid byte at offset " + std::to_string(bad) +
           "); expected a TOML file";
  }
  return "";
}
}  // namespace

std::size_t first_invalid_utf8(const std::string& text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = bytes[i];
    int follow = 0;
    if (c == 0) return i;  // NUL: binary data, never TOML
    if (c < 0x80) {
      follow = 0;
    } else if (c >= 0xC2 && c <= 0xDF) {
      follow = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      follow = 2;
    } else if (c >= 0xF0 && c <= 0xF4) {
      follow = 3;
    } else {
      return i;
    }
    for (int k = 1; k <= follow; ++k) {
      if (i + k >= n || (bytes[i + k] & 0xC0) != 0x80) return i;
    }
    i += follow + 1;
  }
  return std::string::npos;
}

std::string read_text_file_collectively(comm::Context& context, const std::string& path) {
  std::string text, problem;
  if (context.rank() == 0) problem = read_text_file(path, text);
  context.broadcast(problem, 0);
  if (!problem.empty()) throw FileError(path, problem);
  context.broadcast(text, 0);
  return text;
}

ProgressPrinter::ProgressPrinter(const comm::Context& context, double dt_ms, bool quiet,
                                 double every_seconds)
    : enabled_(!quiet && context.rank() == 0), dt_ms_(dt_ms), every_seconds_(every_seconds) {}

std::string format_seconds(double seconds) {
  char text[64];
  if (seconds < 60.0) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else if (seconds < 3600.0) {
    std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(seconds / 60),
                  static_cast<int>(std::fmod(seconds, 60.0)));
  } else {
    std::snprintf(text, sizeof text, "%d h %02d min", static_cast<int>(seconds / 3600),
                  static_cast<int>(std::fmod(seconds, 3600.0) / 60));
  }
  return text;
}

void ProgressPrinter::operator()(const engine::Progress& p) {
  if (!enabled_) return;
  const bool last = p.steps_done >= p.steps_total;
  if (!last && p.wall_seconds - last_print_ < every_seconds_) return;
  last_print_ = p.wall_seconds;
  const double simulated_ms = static_cast<double>(p.steps_done) * dt_ms_;
  const double total_ms = static_cast<double>(p.steps_total) * dt_ms_;
  const double fraction =
      p.steps_total > 0 ? static_cast<double>(p.steps_done) / p.steps_total : 1.0;
  // Speed from the steps this process simulated (a restarted run did not simulate the first
  // ones); progress and ETA are of the whole run.
  const double done_here_ms = static_cast<double>(p.steps_done - p.first_step) * dt_ms_;
  const double rtf = done_here_ms > 0 ? p.wall_seconds / (done_here_ms * 1e-3) : 0.0;
  const double eta = done_here_ms > 0
                         ? p.wall_seconds * static_cast<double>(p.steps_total - p.steps_done) /
                               static_cast<double>(p.steps_done - p.first_step)
                         : 0.0;
  std::fprintf(
      stderr,
      "[spikeweave] t = %.1f / %.1f ms (%3.0f%%), steps %lld, real-time factor %.2f, ETA %s\n",
      simulated_ms, total_ms, 100.0 * fraction, static_cast<long long>(p.steps_done), rtf,
      format_seconds(eta).c_str());
}

void check_option_ranges(const boost::program_options::variables_map& vm,
                         std::initializer_list<OptionRange> checked) {
  for (const OptionRange& o : checked) {
    if (!vm.count(o.option)) continue;
    const boost::any& any = vm[o.option].value();
    double value = 0.0;
    if (const auto* d = boost::any_cast<double>(&any)) {
      value = *d;
    } else if (const auto* i = boost::any_cast<int>(&any)) {
      value = *i;
    } else if (const auto* l = boost::any_cast<std::int64_t>(&any)) {
      value = static_cast<double>(*l);
    } else if (const auto* u = boost::any_cast<std::uint64_t>(&any)) {
      value = static_cast<double>(*u);
    } else {
      throw InternalError(std::string("option --") + o.option + " has no numeric type");
    }
    config::check_number(value, std::string("--") + o.option, o.range);
  }
}

bool parse_command_line(comm::Context& context, const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        std::string& positional, const std::string& command,
                        const std::string& usage, boost::program_options::variables_map& vm) {
  namespace po = boost::program_options;
  po::options_description hidden;
  hidden.add_options()("positional", po::value<std::string>(&positional));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description order;
  order.add("positional", 1);
  try {
    po::store(po::command_line_parser(args).options(all).positional(order).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UserError(command, std::string(e.what()) + " (see " + command + " --help)");
  }
  if (vm.count("help")) {
    if (context.rank() == 0) std::cout << usage << "\n" << options << "\n";
    return false;
  }
  return true;
}

}  // namespace spikeweave::cli
