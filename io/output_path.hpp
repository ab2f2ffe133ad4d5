#pragma once
// Checks and moves for output files: results are written to "<path>.partial" and renamed to
// <path> only when complete, so an interrupted run never leaves a half-written file under the
// final name and never destroys an earlier result.
#include <string>

#include "comm/context.hpp"

namespace spikeweave::io {

std::string partial_path(const std::string& final_path);

// Collective. Throws FileError on every rank if the output cannot be written: the directory is
// missing or not writable, or the file exists and `overwrite` is false.
void check_output_path(comm::Context& context, const std::string& final_path, bool overwrite);

// Collective. Renames the partial file to the final name on rank 0; throws on every rank if that
// fails.
void commit_output_path(comm::Context& context, const std::string& final_path);

}  // namespace spikeweave::io
