// `spikeweave models`: the reference of every registered neuron model and plasticity rule.
#include <iostream>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "network/reference.hpp"

namespace spikeweave::cli {

int models_command(comm::Context& context, const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      if (context.rank() == 0) {
        std::cout << "Usage: spikeweave models\n"
                     "Prints every neuron model and plasticity rule with its parameters (key, "
                     "unit, default, range) and state variables, as Markdown.\n";
      }
      return 0;
    }
    throw UserError("models", "takes no arguments, got '" + args[i] + "'");
  }
  if (context.rank() == 0) std::cout << network::models_reference_markdown();
  return 0;
}

}  // namespace spikeweave::cli
