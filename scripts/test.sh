#!/usr/bin/env bash
# Builds (warnings as errors) and runs the whole test suite: unit, MPI (1-4 ranks, oversubscribed),
# io, validation, integration, slurm, python (the package and reports) and browser (the report in
# headless Chromium) tests; then, when no ctest arguments are given, the sanitizer job
# (scripts/sanitize.sh: clang + ASan + UBSan build, its unit/mpi/integration/fuzz tests and 60 s of
# fuzzing per libFuzzer harness) and the threaded job (scripts/test_threaded.sh: a second build
# against an OpenMP Kokkos, its kernel, MPI, plasticity and integration tests with 2 threads).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset ci
cmake --build --preset ci
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --preset ci "$@"
if [ $# -eq 0 ]; then
  ./scripts/sanitize.sh
  ./scripts/test_threaded.sh
fi
