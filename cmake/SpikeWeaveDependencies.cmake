# Finds every external dependency once; targets link the imported targets below.

find_package(MPI REQUIRED COMPONENTS C CXX)

set(HDF5_PREFER_PARALLEL TRUE)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
  message(FATAL_ERROR "SpikeWeave needs a parallel (MPI) build of HDF5 (Debian: libhdf5-openmpi-dev)")
endif()

find_package(Kokkos REQUIRED)
# Debian's Kokkos 3.4 package points Kokkos::kokkos at /usr/lib/include, which does not exist;
# the headers live in Kokkos_INCLUDE_DIRS (/usr/include/trilinos). Repair the target if needed.
get_target_property(_sw_kokkos_inc Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
set(_sw_kokkos_fixed "")
foreach(_dir IN LISTS _sw_kokkos_inc)
  if(EXISTS "${_dir}" OR _dir MATCHES "^\\$<")
    list(APPEND _sw_kokkos_fixed "${_dir}")
  endif()
endforeach()
if(NOT _sw_kokkos_fixed)
  foreach(_dir IN LISTS Kokkos_INCLUDE_DIRS)
    if(EXISTS "${_dir}")
      list(APPEND _sw_kokkos_fixed "${_dir}")
    endif()
  endforeach()
  if(NOT _sw_kokkos_fixed AND EXISTS /usr/include/trilinos/Kokkos_Core.hpp)
    set(_sw_kokkos_fixed /usr/include/trilinos)
  endif()
  message(STATUS "SpikeWeave: repaired Kokkos::kokkos include directories -> ${_sw_kokkos_fixed}")
  set_target_properties(Kokkos::kokkos PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_sw_kokkos_fixed}")
endif()

find_package(Boost REQUIRED COMPONENTS program_options)
find_package(tomlplusplus REQUIRED)
# Sweep key expressions ("-g * 0.1"): muparser (Debian libmuparser-dev ships its CMake config).
find_package(muparser REQUIRED)

find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(spikeweave_random123 INTERFACE)
target_include_directories(spikeweave_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

find_package(Threads REQUIRED)
