#include "io/dataset_fit_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/version.hpp"
#include "io/hdf5_util.hpp"
#include "io/output_path.hpp"

namespace spikeweave::io {
namespace {
void write_array(hid_t file, const std::string& name, const std::vector<double>& values,
                 const std::vector<hsize_t>& dims, const std::string& where) {
  Handle dataset = h5::create_fixed(file, name, H5T_IEEE_F64LE, dims, where);
  if (!values.empty()) {
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          where + ": cannot write " + name);
  }
}
}  // namespace

void write_fit_file(const std::string& path, const FitRecord& r) {
  h5::silence_errors();
  const std::string partial = partial_path(path);
  {
    Handle file = file_handle(H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                              partial + ": cannot create the output file");
    const hsize_t n = r.neurons, k = r.trials;
    write_array(file, "W_fit", r.w_fit, {n, n}, path);
    write_array(file, "W_true", r.w_true, {n, n}, path);
    write_array(file, "loss", r.loss, {r.loss.size()}, path);
    if (!r.input_fit.empty()) write_array(file, "input_fit", r.input_fit, {n}, path);
    if (!r.h0_fit.empty()) write_array(file, "h0_fit", r.h0_fit, {k, n}, path);
    h5::write_attribute(file, "dataset", r.dataset, path);
    h5::write_attribute(file, "network", static_cast<std::int64_t>(r.network), path);
    h5::write_attribute(file, "command_line", r.command_line, path);
    h5::write_attribute(file, "version", std::string(kVersion), path);
    for (const auto& [name, value] : r.numbers) h5::write_attribute(file, name, value, path);
    check(H5Fclose(file.get()), path + ": cannot close");
    file = Handle();
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    throw FileError(
        path, std::string("cannot rename the finished output into place: ") + std::strerror(errno));
  }
}

}  // namespace spikeweave::io
