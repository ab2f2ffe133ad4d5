#pragma once
// The subcommands of the `spikeweave` executable. Each parses its own options (Boost.PO) and
// returns the process exit code; errors are thrown and handled in main.
#include <string>
#include <vector>

#include "comm/context.hpp"

namespace spikeweave::cli {

int run_command(comm::Context& context, const std::vector<std::string>& args,
                const std::string& command_line);
int inspect_command(comm::Context& context, const std::vector<std::string>& args);
int dataset_command(comm::Context& context, const std::vector<std::string>& args,
                    const std::string& command_line);
int sweep_command(comm::Context& context, const std::vector<std::string>& args,
                  const std::string& command_line);
int fit_command(comm::Context& context, const std::vector<std::string>& args,
                const std::string& command_line);
// Prints the reference of the registered neuron models and plasticity rules (Markdown).
int models_command(comm::Context& context, const std::vector<std::string>& args);
// Runs the Python package's report (python3 -m spikeweave report ARGS) on rank 0.
int report_command(comm::Context& context, const std::vector<std::string>& args);
// Runs the task pipeline (python3 -m spikeweave.task ARGS: digits, ecg, ecg-real), which runs
// this executable for its simulations.
int task_command(comm::Context& context, const std::vector<std::string>& args);

}  // namespace spikeweave::cli
