#pragma once
// Pieces shared by the subcommands: reading the configuration once for all ranks, printing on
// rank 0, progress lines.
#include <boost/program_options.hpp>
#include <chrono>
#include <initializer_list>
#include <string>
#include <vector>

#include "comm/context.hpp"
#include "core/value_range.hpp"
#include "engine/simulation.hpp"

namespace spikeweave::cli {

// Rank 0 reads the file and broadcasts it. A missing, unreadable or directory path, or a file that
// is not UTF-8 text, is a FileError saying which, on every rank.
std::string read_text_file_collectively(comm::Context& context, const std::string& path);
// Offset of the first byte that breaks UTF-8 (or is NUL), or npos for valid text.
std::size_t first_invalid_utf8(const std::string& text);

// The documented range of a numeric command-line option (README "Numeric ranges").
struct OptionRange {
  const char* option;  // without the dashes, as in the options_description
  config::Range range;
};
// Checks every given option of `checked` (int, int64, uint64 or double) against its range;
// a NaN, an infinity or a value outside is a ConfigError naming --option.
void check_option_ranges(const boost::program_options::variables_map& vm,
                         std::initializer_list<OptionRange> checked);

// Prints "[spikeweave] t = 250.0 / 1000.0 ms (25%), real-time factor 3.2, ETA 7 s" on rank 0
// at most every `every_seconds` of wall time, and always for the last interval.
class ProgressPrinter {
 public:
  ProgressPrinter(const comm::Context& context, double dt_ms, bool quiet,
                  double every_seconds = 2.0);
  void operator()(const engine::Progress& progress);

 private:
  bool enabled_;
  double dt_ms_;
  double every_seconds_;
  double last_print_ = -1e300;
};

// Parses a subcommand's `args` against `options` plus one positional argument, stored in
// `positional` (e.g. NET.toml). A parse error is a UserError naming `command`. Returns false
// after rank 0 printed `usage` and the options when --help was given (the command then exits 0).
bool parse_command_line(comm::Context& context, const std::vector<std::string>& args,
                        const boost::program_options::options_description& options,
                        std::string& positional, const std::string& command,
                        const std::string& usage, boost::program_options::variables_map& vm);

// Formats a duration in seconds for people ("7.5 s", "3 min 20 s", "2 h 5 min").
std::string format_seconds(double seconds);

}  // namespace spikeweave::cli
