#!/usr/bin/env bash
# The threaded CI job: builds SpikeWeave a second time, against a Kokkos with OpenMP
# (scripts/build_threaded_kokkos.sh: Kokkos 3.4.1 from Debian's Trilinos source package), and runs
# the kernel, spike-exchange, rank-invariance, plasticity, dry-run and integration tests with two
# OpenMP threads per rank, plus integration_threads (1 x 1, 1 x 2, 2 x 1 and 2 x 2 ranks x threads
# give bitwise-identical spikes and weights).
#   scripts/test_threaded.sh [extra ctest arguments]
# Environment: SPIKEWEAVE_THREADED_KOKKOS (the Kokkos prefix, default /opt/kokkos-omp),
# SPIKEWEAVE_THREADED_BUILD (the build directory, default build-openmp).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${SPIKEWEAVE_THREADED_KOKKOS:-/opt/kokkos-omp}"
build="${SPIKEWEAVE_THREADED_BUILD:-build-openmp}"
./scripts/build_threaded_kokkos.sh "$prefix"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSPIKEWEAVE_WERROR=ON -DKokkos_ROOT="$prefix" \
  -DSPIKEWEAVE_BUILD_BENCHMARKS=OFF -DSPIKEWEAVE_BUILD_PYTHON=OFF >"$build.configure.log"
grep -q "OPENMP" "$build/CMakeCache.txt" "$build.configure.log" ||
  { echo "test_threaded: $build is not configured against an OpenMP Kokkos" >&2; exit 1; }
tests=(kernels_lif kernels_step mpi_spike_exchange mpi_rank_invariance mpi_plastic_hpc_invariance
  models_rank_invariance plasticity_stdp_reference plasticity_dopamine_reference
  plasticity_calcium_reference extension_toy_model_and_rule dryrun_context)
cmake --build "$build" -j2 --target spikeweave "${tests[@]}"
# 1 and 2 ranks (x 2 threads): the Serial job covers 3 and 4 ranks, and CI time is bounded.
# integration_threads drives the CLI with threads; the Release job runs the rest of the CLI tests.
regex="^($(IFS='|'; echo "${tests[*]}"))(\.[12]ranks)?$|^integration_threads$"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Two threads per rank; idle threads sleep instead of spinning (ranks x threads exceed the cores
# here, and spinning threads steal the cores the other ranks need: 20-100x slower runs).
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive OMP_PROC_BIND=false
ctest --test-dir "$build" -R "$regex" -j2 --output-on-failure --no-tests=error "$@"
