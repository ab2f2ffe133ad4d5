// Kokkos' lifetime inside a Python process, and the translation of SpikeWeave's errors.
#include <Kokkos_Core.hpp>
#include <vector>

#include "bindings.hpp"
#include "core/errors.hpp"

namespace spikeweave::python {

namespace {

std::vector<void (*)()>& cleanups() {
  static std::vector<void (*)()> list;
  return list;
}

}  // namespace

void at_finalize(void (*cleanup)()) {
  cleanups().push_back(cleanup);
}

void initialize_runtime(pybind11::module_& module) {
  // Another extension (or an earlier import in a subinterpreter) may have initialised Kokkos;
  // then whoever did finalises it.
  if (!Kokkos::is_initialized()) {
    Kokkos::initialize();
    pybind11::module_::import("atexit").attr("register")(pybind11::cpp_function([]() {
      for (void (*cleanup)() : cleanups()) cleanup();  // no View may outlive Kokkos
      if (Kokkos::is_initialized()) Kokkos::finalize();
    }));
  }
  std::string backend = Kokkos::DefaultExecutionSpace::name();
  module.attr("backend") = backend;
}

void register_errors() {
  pybind11::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const UserError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const InternalError& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });
}

}  // namespace spikeweave::python
