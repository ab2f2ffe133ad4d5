#pragma once
// The HDF5 implementation of RunOutput: one parallel-HDF5 file per run, written collectively.
// Layout (see io/SCHEMA.md):
//   /spikes/<population>/{timestamps [ms], node_ids}      SONATA spikes
//   /report/<population>/data [time, node] (mV)            SONATA report
//   /report/<population>/mapping/{node_ids, index_pointers, element_ids, time}
//   /weights/<projection>/{source, target [synapse], time_ms [sample], weight [sample, synapse]}
//   /provenance (attributes)
#include <memory>

#include "comm/context.hpp"
#include "io/run_output.hpp"

namespace spikeweave::io {

// Collective. Checks the path (see check_output_path) and creates "<path>.partial".
std::unique_ptr<RunOutput> create_hdf5_run_output(comm::Context& context, const std::string& path,
                                                  bool overwrite, const RunOutputLayout& layout);

}  // namespace spikeweave::io
