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

// Why writing to `file_path` may have failed, if the file system says so: "the file system of
// DIR is full (N bytes free)" or "the file size limit (ulimit -f) of N bytes is reached"; "" if
// neither. Local (no communication), for error messages.
std::string storage_problem(const std::string& file_path);
// Whether `bytes_needed` more bytes fit in `file_path`'s file system and under its file size
// limit; "" if they do, else the reason (as storage_problem). Local.
std::string space_problem(const std::string& file_path, double bytes_needed);

// Local. Frees the space of an abandoned "<path>.partial" (truncates it) so that HDF5 can still
// close it on a full disk; `remove_partial_file` then deletes it. Rank 0 calls both.
void truncate_partial_file(const std::string& final_path);
void remove_partial_file(const std::string& final_path);

// Collective. Renames the partial file to the final name on rank 0; throws on every rank if that
// fails.
void commit_output_path(comm::Context& context, const std::string& final_path);

}  // namespace spikeweave::io
