#!/usr/bin/env bash
# The threaded CI job: builds SpikeWeave a second time, against a Kokkos with OpenMP
# (scripts/build_threaded_kokkos.sh: Kokkos 3.4.1 from Debian's Trilinos source package), and runs
# the kernel, spike-exchange, rank-invariance, plasticity, dry-run and integration tests with two
# OpenMP threads per rank, plus integration_threads (1 x 1, 1 x 2, 2 x 1 and 2 x 2 ranks x threads
# give bitwise-identical spikes and weights). Then ThreadSanitizer over the OpenMP kernels: the
# kernel tests built by clang with -fsanitize=thread against a Kokkos built the same way on LLVM's
# OpenMP runtime (libomp tells TSan about its barriers, reductions and forks; with GCC's libgomp
# they show as races), two threads, any report fails (a target block's ownership taken away from
# the host delivery makes it report the race on the input ring).
#   scripts/test_threaded.sh [extra ctest arguments, for the first part]
# Environment: SPIKEWEAVE_THREADED_KOKKOS (the Kokkos prefix, default /opt/kokkos-omp),
# SPIKEWEAVE_THREADED_BUILD (the build directory, default build-openmp), SPIKEWEAVE_TSAN_KOKKOS
# (default /opt/kokkos-omp-tsan), SPIKEWEAVE_TSAN_BUILD (default build-tsan-openmp).
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

tsan_prefix="${SPIKEWEAVE_TSAN_KOKKOS:-/opt/kokkos-omp-tsan}"
tsan_build="${SPIKEWEAVE_TSAN_BUILD:-build-tsan-openmp}"
./scripts/build_threaded_kokkos.sh "$tsan_prefix" --tsan
tsan=-fsanitize=thread
CC=clang-14 CXX=clang++-14 cmake -S . -B "$tsan_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSPIKEWEAVE_WERROR=ON -DKokkos_ROOT="$tsan_prefix" -DCMAKE_CXX_FLAGS="$tsan" \
  -DCMAKE_EXE_LINKER_FLAGS="$tsan" -DCMAKE_SHARED_LINKER_FLAGS="$tsan" \
  -DSPIKEWEAVE_BUILD_BENCHMARKS=OFF -DSPIKEWEAVE_BUILD_PYTHON=OFF >"$tsan_build.configure.log"
tsan_tests=(kernels_lif kernels_step)
cmake --build "$tsan_build" -j2 --target "${tsan_tests[@]}"
# The uninstrumented modules (MPI, HDF5) are left out of the reports; libomp is instrumented.
TSAN_OPTIONS="ignore_noninstrumented_modules=1:halt_on_error=1" \
  ctest --test-dir "$tsan_build" -R "^($(IFS='|'; echo "${tsan_tests[*]}"))$" --output-on-failure \
  --no-tests=error
