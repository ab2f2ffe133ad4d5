#pragma once
// The MPI context of the test process (all ranks of the mpiexec that started the test).
#include "comm/context.hpp"

namespace spikeweave::test {
comm::Context& world();
}  // namespace spikeweave::test
