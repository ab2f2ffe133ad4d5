#pragma once
// Small checked helpers over the HDF5 C API: groups, attributes, extendible datasets and
// collective appends of row blocks.
#include <cstdint>
#include <string>

#include <vector>
#include "comm/context.hpp"

#include "io/hdf5_handle.hpp"

namespace spikeweave::io::h5 {

// Turns off HDF5's own error printing; failures surface as FileError instead.
void silence_errors();

// A link name HDF5 accepts for a user-given name: '/' (the path separator) becomes '_', and '.'
// or '..' alone get a '_' prefix.
std::string link_name(const std::string& name);

Handle create_group(hid_t parent, const std::string& name, const std::string& where);
Handle open_group(hid_t parent, const std::string& name, const std::string& where);
bool exists(hid_t parent, const std::string& path);

// A chunked dataset of shape [0, tail...] that grows along its first dimension.
Handle create_extendible(hid_t parent, const std::string& name, hid_t type,
                         const std::vector<hsize_t>& tail, hsize_t chunk_rows,
                         const std::string& where, int deflate_level = 0);
// A fixed-shape dataset.
Handle create_fixed(hid_t parent, const std::string& name, hid_t type,
                    const std::vector<hsize_t>& dims, const std::string& where);

void write_attribute(hid_t object, const std::string& name, const std::string& value,
                     const std::string& where);
void write_attribute(hid_t object, const std::string& name, double value, const std::string& where);
void write_attribute(hid_t object, const std::string& name, std::int64_t value,
                     const std::string& where);
std::string read_string_attribute(hid_t object, const std::string& name, const std::string& where);
double read_double_attribute(hid_t object, const std::string& name, const std::string& where);
std::int64_t read_int_attribute(hid_t object, const std::string& name, const std::string& where);
bool has_attribute(hid_t object, const std::string& name);

// Opens an existing HDF5 file read-only (serial): a missing path, a directory or a file that is
// not HDF5 is a FileError saying which.
Handle open_existing_file(const std::string& path);

// Throws the FileError of a failed write to `object`'s file, naming the file system's reason
// (full disk, file size limit) where it can tell.
[[noreturn]] void throw_write_failure(hid_t object, const std::string& where);

// Writes `rows` rows of this rank's block at [first_row, first_row + rows) x [first_col, ...)
// of a 1-D or 2-D dataset, growing it to `total_rows` first. Collective: every rank calls it,
// ranks with nothing to write pass rows = 0 (or cols = 0). With `agree`, the ranks agree after
// each collective HDF5 call whether any failed, and all throw the first failing rank's FileError:
// otherwise a rank whose write failed (a full disk) leaves the others waiting in the next
// collective call for ever.
void write_block(hid_t dataset, hid_t memory_type, const void* data, hsize_t total_rows,
                 hsize_t first_row, hsize_t rows, hsize_t first_col, hsize_t cols, hid_t transfer,
                 const std::string& where, comm::Context* agree = nullptr);

// Reads a whole 1-D dataset.
std::vector<double> read_doubles(hid_t parent, const std::string& name, const std::string& where);
std::vector<std::uint64_t> read_uint64s(hid_t parent, const std::string& name,
                                        const std::string& where);
std::vector<std::string> child_names(hid_t group, const std::string& where);

}  // namespace spikeweave::io::h5
