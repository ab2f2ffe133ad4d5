#!/usr/bin/env bash
# Checks the header structure that lets nvcc compile SpikeWeave (docs/gpu.md), from the compiler's
# dependency files (*.o.d) of a Makefile build tree:
#  1. no translation unit that includes toml++ belongs to a target compiled with Kokkos' flags
#     (in a CUDA build those go to nvcc, whose front end rejects toml++'s headers), and none
#     includes a Kokkos header (a host-compiled TU stops at Kokkos_Setup_Cuda.hpp);
#  2. no translation unit of the folders that define kernels (src/kernels, engine, model,
#     plasticity, network, rate) includes Boost or HDF5 together with Kokkos.
# Usage: scripts/check_host_free_kernels.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
shopt -s globstar nullglob
depfiles=("$build"/**/*.o.d)
if [ ${#depfiles[@]} -eq 0 ]; then
  echo "no dependency files (*.o.d) under $build: build it first (Makefile generator)" >&2
  exit 2
fi
# Targets of the current configuration (a tree reconfigured with fewer targets keeps old depfiles).
targets="$build/CMakeFiles/TargetDirectories.txt"
failures=0
checked=0
for d in "${depfiles[@]}"; do
  # The source file: the first prerequisite that is a C++ source (clang's sanitizer builds list
  # their ignore lists first).
  source_file=$(tr '\\\n' '  ' < "$d" | sed 's/^[^:]*: *//' | tr ' ' '\n' |
                grep -m1 -E '\.(cpp|cc|cxx)$' || true)
  [ -f "$source_file" ] || continue  # a stale depfile of a deleted source
  relative=${source_file#"$PWD"/}
  flags="${d%%.dir/*}.dir/flags.make"
  # A depfile of a target no longer configured, or that the target no longer builds (its source
  # moved to another target), is stale.
  if [ -f "$targets" ] && ! grep -qxF "${d%%.dir/*}.dir" "$targets"; then continue; fi
  build_make="${d%%.dir/*}.dir/build.make"
  if [ -f "$build_make" ] && ! grep -qF "$(basename "${d%.d}")" "$build_make"; then continue; fi
  with_kokkos_flags=0
  checked=$((checked + 1))
  if [ -f "$flags" ] && grep -qE 'trilinos|KOKKOS|Kokkos' "$flags"; then with_kokkos_flags=1; fi
  if grep -q 'toml++/toml.h' "$d"; then
    if grep -q 'Kokkos_Core.hpp' "$d"; then
      echo "TOML and Kokkos in one translation unit: $relative"
      failures=$((failures + 1))
    elif [ "$with_kokkos_flags" -eq 1 ]; then
      echo "TOML in a target compiled with Kokkos' flags (nvcc in CUDA builds): $relative"
      failures=$((failures + 1))
    fi
  fi
  case "$relative" in
    src/kernels/*|src/engine/*|src/model/*|src/plasticity/*|src/network/*|src/rate/*)
      if grep -q 'Kokkos_Core.hpp' "$d" && grep -qE 'boost/|/hdf5\.h' "$d"; then
        echo "Boost or HDF5 in a kernel translation unit: $relative"
        failures=$((failures + 1))
      fi
      ;;
  esac
done
echo "checked $checked translation units; $failures break the host/kernel split"
[ "$failures" -eq 0 ]
