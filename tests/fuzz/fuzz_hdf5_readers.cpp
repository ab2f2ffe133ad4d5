// libFuzzer harness: every HDF5 reader (`spikeweave inspect`'s run-file summary and spike reader
// and its dataset summaries, the rate-dataset reader behind `fit`, the stored-spec readers that
// decide a dataset's or sweep's resume, the sweep-file reader behind `sweep --merge`) on files
// whose structure the fuzzer chooses:
// which groups, datasets and attributes exist, their types, ranks, shapes and contents.
//
// Why structure-aware and not byte mutation: flipping bytes of an HDF5 file mostly exercises
// libhdf5's own superblock and B-tree decoding, whose robustness (many CVEs in 1.10) is outside
// SpikeWeave; what SpikeWeave must survive is a well-formed HDF5 file that is not what it expects
// (a missing dataset, a string where a number should be, a 2-D /node_ids, /W of the wrong size).
// Every such file must end in data or a FileError; a crash or sanitizer report is a bug.
#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/dataset_rate_file.hpp"
#include "io/dataset_spec.hpp"
#include "io/file_summary.hpp"
#include "io/run_file_reader.hpp"
#include "io/sweep_file.hpp"

namespace {

const hid_t kTypes[] = {H5T_NATIVE_UINT64, H5T_NATIVE_INT32, H5T_NATIVE_DOUBLE,
                        H5T_NATIVE_FLOAT,  H5T_NATIVE_UINT8, H5T_NATIVE_INT64};

// A dataset of a chosen type, rank (0..4) and shape (at most 256 elements), filled from the input.
void write_dataset(hid_t location, const char* name, FuzzedDataProvider& in) {
  const int rank = in.ConsumeIntegralInRange(0, 4);
  std::vector<hsize_t> dims(rank);
  std::size_t count = 1;
  for (auto& d : dims) {
    d = in.ConsumeIntegralInRange<hsize_t>(0, 5);
    count *= d;
  }
  const hid_t type = kTypes[in.ConsumeIntegralInRange<std::size_t>(0, 5)];
  std::vector<unsigned char> bytes = in.ConsumeBytes<unsigned char>(count * H5Tget_size(type));
  bytes.resize(count * H5Tget_size(type) + 1);
  const hid_t space =
      rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims.data(), nullptr);
  const hid_t set = H5Dcreate2(location, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (set >= 0) {
    if (count > 0 || rank == 0) H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    H5Dclose(set);
  }
  H5Sclose(space);
}

// An attribute that is an int64, a double or a string (fixed or variable length), or absent.
void write_attribute(hid_t location, const char* name, FuzzedDataProvider& in) {
  const int kind = in.ConsumeIntegralInRange(0, 4);
  if (kind == 0) return;
  const hid_t space = H5Screate(H5S_SCALAR);
  hid_t type = -1;
  std::string text;
  const char* text_pointer = nullptr;
  std::int64_t integer = in.ConsumeIntegral<std::int64_t>();
  double number = in.ConsumeFloatingPoint<double>();
  const void* value = nullptr;
  if (kind == 1) {
    type = H5Tcopy(H5T_NATIVE_INT64);
    value = &integer;
  } else if (kind == 2) {
    type = H5Tcopy(H5T_NATIVE_DOUBLE);
    value = &number;
  } else {
    text = in.ConsumeRandomLengthString(200);
    type = H5Tcopy(H5T_C_S1);
    if (kind == 3) {
      H5Tset_size(type, H5T_VARIABLE);
      text_pointer = text.c_str();
      value = &text_pointer;
    } else {
      H5Tset_size(type, text.size() + 1);
      value = text.c_str();
    }
  }
  const hid_t attribute = H5Acreate2(location, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  if (attribute >= 0) {
    H5Awrite(attribute, type, value);
    H5Aclose(attribute);
  }
  H5Tclose(type);
  H5Sclose(space);
}

// Population names as the fuzzer spells them, within what an HDF5 link name may hold.
std::string population_name(FuzzedDataProvider& in) {
  std::string name = in.ConsumeRandomLengthString(8);
  std::string clean;
  for (char c : name) {
    if (c != '/' && c != '.' && c != '\0') clean += c;
  }
  return clean.empty() ? "p" : clean;
}

std::vector<std::string> write_file(const std::string& path, FuzzedDataProvider& in) {
  std::vector<std::string> populations;
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file < 0) return populations;
  if (in.ConsumeBool()) {
    const hid_t spikes = H5Gcreate2(file, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const int count = in.ConsumeIntegralInRange(0, 3);
    for (int p = 0; p < count; ++p) {
      const std::string name = population_name(in);
      const hid_t group = H5Gcreate2(spikes, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (group < 0) continue;
      populations.push_back(name);
      write_attribute(group, "n_nodes", in);
      if (in.ConsumeBool()) write_dataset(group, "node_ids", in);
      if (in.ConsumeBool()) write_dataset(group, "timestamps", in);
      H5Gclose(group);
    }
    H5Gclose(spikes);
  }
  if (in.ConsumeBool()) {
    const hid_t provenance = H5Gcreate2(file, "provenance", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (const char* name : {"t_stop_ms", "ranks", "version", "git_commit", "spec"}) {
      write_attribute(provenance, name, in);
    }
    H5Gclose(provenance);
  }
  for (const char* name : {"activity", "W", "input", "h0", "done", "params"}) {
    if (in.ConsumeBool()) write_dataset(file, name, in);
  }
  // Sweep files: /points/<axis> and /metrics/<population>/<metric>.
  for (const char* group_name : {"points", "metrics"}) {
    if (!in.ConsumeBool()) continue;
    const hid_t group = H5Gcreate2(file, group_name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const int count = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < count; ++k) {
      const std::string name = population_name(in);
      if (in.ConsumeBool()) {
        write_dataset(group, name.c_str(), in);
      } else {
        const hid_t sub = H5Gcreate2(group, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (sub >= 0) {
          write_dataset(sub, "rate_hz", in);
          H5Gclose(sub);
        }
      }
    }
    H5Gclose(group);
  }
  H5Fclose(file);
  return populations;
}

template <class Read>
void expect_file_error_or_data(Read&& read) {
  try {
    read();
  } catch (const spikeweave::FileError&) {
  }
}

void read_summaries(const std::string& path) {
  namespace io = spikeweave::io;
  expect_file_error_or_data([&] { io::detect_file_kind(path); });
  expect_file_error_or_data([&] { io::read_rate_dataset_summary(path); });
  expect_file_error_or_data([&] { io::read_spiking_dataset_summary(path); });
  expect_file_error_or_data([&] { io::read_sweep_file(path); });
  std::string problem;
  io::read_dataset_spec(path, problem);
  io::read_sweep_spec(path, problem);
}

void read_everything(const std::string& path, const std::vector<std::string>& populations) {
  using spikeweave::FileError;
  read_summaries(path);
  try {
    spikeweave::io::read_run_summary(path);
  } catch (const FileError&) {
  }
  for (const std::string& name : populations) {
    try {
      spikeweave::io::read_spikes(path, name);
    } catch (const FileError&) {
    }
  }
  try {
    spikeweave::io::RateDatasetReader reader(path);
    for (std::uint64_t m = 0; m < 2 && m < reader.networks(); ++m) {
      auto read = [](auto&& f) {
        try {
          f();
        } catch (const FileError&) {
        }
      };
      read([&] { reader.done(m); });
      read([&] { reader.weights(m); });
      read([&] { reader.input(m); });
      read([&] { reader.h0(m); });
      read([&] { reader.activity(m); });
      read([&] { reader.param(m, "gain"); });
    }
  } catch (const FileError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/spikeweave_fuzz_hdf5_" + std::to_string(getpid()) + ".h5";
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  FuzzedDataProvider in(data, size);
  const std::vector<std::string> populations = write_file(path, in);
  read_everything(path, populations);
  return 0;
}
