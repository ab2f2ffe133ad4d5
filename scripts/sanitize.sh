#!/usr/bin/env bash
# The sanitizer job of CI: builds SpikeWeave with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer (the asan-ubsan preset, which also builds the libFuzzer harnesses),
# runs the unit, kernel, MPI (1 and 2 ranks), integration and fuzz-corpus tests under them, then
# fuzzes each harness for FUZZ_SECONDS (default 60). Any sanitizer report, crash or hang fails.
# The slow validation tests run in the Release build only (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Open MPI keeps some allocations until exit on purpose: tests/sanitizers/lsan.supp says which.
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake --preset asan-ubsan
cmake --build --preset asan-ubsan
# 3- and 4-rank variants of the MPI tests cover no code that 2 ranks do not, and under ASan on 2
# oversubscribed cores they would take most of CI's time: they run in the Release job.
ctest --preset asan-ubsan -L 'unit|mpi|integration|fuzz' -LE 'validation|benchmark|slurm' \
  -E '\.3ranks$|\.4ranks$'
./scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
