# The compiled Python module spikeweave._engine (pybind11), for Debian's /usr/bin/python3.
# SPIKEWEAVE_BUILD_PYTHON: AUTO (default: build it when pybind11 and Python 3's headers are found),
# ON (require them) or OFF. The module and a copy of python/spikeweave form the package
# <build>/python/spikeweave: PYTHONPATH=<build>/python (docs/python.md).
set(SPIKEWEAVE_BUILD_PYTHON AUTO CACHE STRING "Build the Python module spikeweave._engine: AUTO, ON or OFF")
set_property(CACHE SPIKEWEAVE_BUILD_PYTHON PROPERTY STRINGS AUTO ON OFF)

set(SPIKEWEAVE_PYTHON_ENABLED OFF)
# A shared module cannot link a static Kokkos built without -fPIC (Kokkos' default for its
# static libraries, e.g. a threaded or CUDA Kokkos built from source): AUTO then leaves it out.
set(_sw_kokkos_static FALSE)
if(TARGET Kokkos::kokkoscore)
  get_target_property(_sw_kokkos_type Kokkos::kokkoscore TYPE)
  if(_sw_kokkos_type STREQUAL "STATIC_LIBRARY")
    set(_sw_kokkos_static TRUE)
  endif()
endif()
if(SPIKEWEAVE_BUILD_PYTHON STREQUAL "AUTO" AND (SPIKEWEAVE_SANITIZE OR SPIKEWEAVE_FUZZ))
  # An instrumented module cannot be loaded into an uninstrumented interpreter.
  message(STATUS "SpikeWeave: no Python module in a sanitizer or fuzzing build")
elseif(SPIKEWEAVE_BUILD_PYTHON STREQUAL "AUTO" AND _sw_kokkos_static)
  message(STATUS "SpikeWeave: no Python module: Kokkos is a static library (build Kokkos with "
                 "-DBUILD_SHARED_LIBS=ON or position-independent code, then "
                 "SPIKEWEAVE_BUILD_PYTHON=ON)")
elseif(NOT SPIKEWEAVE_BUILD_PYTHON STREQUAL "OFF")
  # Debian's interpreter, not a pyenv or conda python3 that comes first on PATH.
  if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  if(SPIKEWEAVE_BUILD_PYTHON STREQUAL "ON")
    set(_sw_python_required REQUIRED)
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module ${_sw_python_required})
  if(Python3_FOUND)
    set(PYBIND11_FINDPYTHON ON)
    find_package(pybind11 CONFIG ${_sw_python_required})
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(SPIKEWEAVE_PYTHON_ENABLED ON)
    message(STATUS "SpikeWeave: Python module spikeweave._engine for ${Python3_EXECUTABLE} "
                   "(Python ${Python3_VERSION}, pybind11 ${pybind11_VERSION})")
  else()
    message(STATUS "SpikeWeave: no Python module (needs pybind11-dev and python3-dev; "
                   "SPIKEWEAVE_BUILD_PYTHON=ON makes this an error)")
  endif()
endif()
