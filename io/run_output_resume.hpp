#pragma once
// Output continuity across restarts: a restarted run's output file first receives what the
// interrupted run had written up to its checkpoint (a copy of which the checkpoint holds), laid
// out for the restarted run's ranks, so that after any number of restarts the file holds what an
// uninterrupted run writes.
#include <string>

#include "comm/context.hpp"
#include "io/run_output.hpp"

namespace spikeweave::io {

// Collective. Appends the spikes, report rows and weight samples of `previous` (a run output
// file, possibly not yet committed) to `output`, whose layout is `layout` on this rank: rank 0
// appends the spikes, every rank the columns of its own recorded neurons and synapses. A
// previous file whose groups do not match the layout is a FileError naming it.
void append_previous_output(comm::Context& context, RunOutput& output,
                            const RunOutputLayout& layout, const std::string& previous);

}  // namespace spikeweave::io
