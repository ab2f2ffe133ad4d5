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
# Kokkos 4.x installs (OpenMP, CUDA) export correct include directories: leave them alone, so that
# the fallback below can never put Debian's 3.4 headers in front of a Kokkos 4 build.
if(Kokkos_VERSION VERSION_LESS 4.0)
  get_target_property(_sw_kokkos_inc Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
  if(NOT _sw_kokkos_inc)
    set(_sw_kokkos_inc "")
  endif()
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
endif()
message(STATUS "SpikeWeave: Kokkos ${Kokkos_VERSION}, devices ${Kokkos_DEVICES}")

# CUDA builds (Kokkos with the CUDA backend): nvcc cannot compile toml++ 3.x's headers
# (toml++/impl/table.h: '__T0' was not declared; marzer/tomlplusplus#213), so code that includes
# toml++ must be compiled by the host compiler. Two ways, depending on CMAKE_CXX_COMPILER:
#  - CMAKE_CXX_COMPILER = the host compiler (g++, mpicxx): Kokkos' own kokkos_launch_compiler sends
#    only the compile lines carrying -DKOKKOS_DEPENDENCE (targets linking Kokkos::kokkos, directly
#    or transitively) to nvcc_wrapper; everything else is compiled by the host compiler as is.
#  - CMAKE_CXX_COMPILER = nvcc_wrapper: every .cpp is compiled as CUDA (-x cu) unless the target
#    passes nvcc_wrapper's --host-only, which spikeweave_host_only() adds.
# Either way the target must not link Kokkos::kokkos and no source of it may include a Kokkos
# header (Kokkos_Setup_Cuda.hpp stops a host-compiled TU with #error), and its public headers must
# not include toml++ (a Kokkos TU including them would hit the nvcc error again).
get_filename_component(_sw_cxx_name "${CMAKE_CXX_COMPILER}" NAME)
if(_sw_cxx_name STREQUAL "nvcc_wrapper")
  set(SPIKEWEAVE_CXX_IS_NVCC_WRAPPER TRUE)
else()
  set(SPIKEWEAVE_CXX_IS_NVCC_WRAPPER FALSE)
endif()
function(spikeweave_host_only target)
  if(SPIKEWEAVE_CXX_IS_NVCC_WRAPPER)
    target_compile_options(${target} PRIVATE --host-only)
  endif()
endfunction()

find_package(Boost REQUIRED COMPONENTS program_options)
find_package(tomlplusplus REQUIRED)
# Sweep key expressions ("-g * 0.1"): muparser (Debian libmuparser-dev ships its CMake config).
find_package(muparser REQUIRED)

find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(spikeweave_random123 INTERFACE)
target_include_directories(spikeweave_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

find_package(Threads REQUIRED)
