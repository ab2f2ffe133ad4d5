#!/bin/sh
# Reproduces the measured figures of benchmarks/RESULTS.md (sections Core engine, Plasticity,
# Scaling, Microcircuit, Peer comparison) on one machine.
#
#   benchmarks/reproduce.sh [core|plastic|scaling|microcircuit|compare|plots|all] ...
#
# Build first: cmake --preset release-bench && cmake --build build-bench -j2
# SPIKEWEAVE=path/to/spikeweave selects another binary (e.g. a clean checkout's build).
# Records are appended to benchmarks/results/*.jsonl (delete them for a fresh series); plots go
# to benchmarks/plots/. Times are for a 2-core VM: core ~4 min, plastic ~4 min, scaling ~8 min,
# microcircuit ~12 min (full scale), compare ~5 min.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
R=benchmarks/results
mkdir -p "$R" benchmarks/plots
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
BIN="${SPIKEWEAVE:-build-bench/bin/spikeweave}"
BENCH="$PY benchmarks/run_bench.py --binary $BIN"

core() {
  # Static hpc_benchmark, scale 1 (11,250 neurons, 126.6 M synapses), 1000 ms, 1 and 2 ranks.
  $BENCH hpc_benchmark --scale 1 --t-ms 1000 --series strong --ranks-list 1,2 --repeat 3 \
    --jsonl $R/core_static.jsonl
  # The same with per-synapse (drawn) weights: normal, relative sd 0.1, sign kept.
  $BENCH hpc_benchmark --scale 1 --t-ms 300 --jsonl $R/core_drawn_weights.jsonl \
    --set 'projection[0].weight_pa={normal=[45.6096,4.56096],min=0.0}' \
    --set 'projection[1].weight_pa={normal=[45.6096,4.56096],min=0.0}' \
    --set 'projection[2].weight_pa={normal=[-228.048,22.8048],max=0.0}' \
    --set 'projection[3].weight_pa={normal=[-228.048,22.8048],max=0.0}'
}

plastic() {
  # Plastic hpc_benchmark (power-law STDP on E->E), scale 1, 300 ms, 1 and 2 ranks.
  $BENCH hpc_benchmark_plastic --scale 1 --t-ms 300 --series strong --ranks-list 1,2 --repeat 3 \
    --jsonl $R/core_plastic.jsonl
}

scaling() {
  # Strong: the scale-1 network on 1, 2, 4*, 8* ranks; weak: scale 0.25 per rank
  # (2,812 neurons and 31.6 M synapses per rank). * = oversubscribed (2 cores).
  $BENCH hpc_benchmark --scale 1 --t-ms 300 --series strong --ranks-list 1,2,4,8 --repeat 2 \
    --jsonl $R/scaling.jsonl
  $BENCH hpc_benchmark --scale 0.25 --t-ms 300 --series weak --ranks-list 1,2,4,8 --repeat 2 \
    --jsonl $R/scaling.jsonl
}

microcircuit() {
  # Down-scaled (N_scaling = K_scaling = 0.1, Poisson and DC drive) and full scale (2 ranks);
  # 500 ms warm-up + 1000 ms analysed.
  mkdir -p out
  for drive in poisson dc; do
    $PY benchmarks/networks/microcircuit.py --n-scaling 0.1 --k-scaling 0.1 --drive $drive \
      -o out/microcircuit_0.1_$drive.toml --output-h5 out/microcircuit_0.1_$drive.h5
    $BIN run out/microcircuit_0.1_$drive.toml --overwrite --quiet
    $PY benchmarks/microcircuit_analysis.py out/microcircuit_0.1_$drive.h5 \
      --json $R/microcircuit_0.1_$drive.json --prefix microcircuit_0.1_$drive
  done
  # Full scale (N_scaling = K_scaling = 1), Poisson drive, 1 and 2 ranks, every spike recorded.
  $BENCH microcircuit --scale 1 --k-scaling 1 --t-ms 1500 --series strong --ranks-list 1,2 \
    --jsonl $R/microcircuit_full.jsonl --keep-output out/mc
  $PY benchmarks/microcircuit_analysis.py out/mc/microcircuit-s1-r1-t1500-strong.h5 \
    --json $R/microcircuit_1.0_poisson.json --prefix microcircuit_1.0_poisson
}

compare() {
  # Alternating SpikeWeave / Brian2 C++ standalone runs, one core each.
  $PY benchmarks/compare/compare.py coba --reps 5 --binary $BIN --jsonl $R/compare.jsonl
  $PY benchmarks/compare/compare.py brunel --reps 3 --binary $BIN --jsonl $R/compare.jsonl
  $PY benchmarks/compare/compare.py adex_coba --reps 3 --t-ms 500 --integrator rk4 --binary $BIN \
    --jsonl $R/compare.jsonl
}

plots() {
  # scaling.jsonl exists once `scaling` has run (the loaded series of 2026-11-22 is kept as
  # scaling_loaded.jsonl).
  if [ -f $R/scaling.jsonl ]; then $PY benchmarks/plot_bench.py $R/scaling.jsonl; fi
  $PY benchmarks/plot_bench.py $R/core_static.jsonl $R/core_plastic.jsonl --prefix core_
}

[ $# -eq 0 ] && set -- all
for what in "$@"; do
  case $what in
    core | plastic | scaling | microcircuit | compare | plots) $what ;;
    all) core; plastic; scaling; microcircuit; compare; plots ;;
    *) echo "reproduce.sh: unknown part '$what' (core|plastic|scaling|microcircuit|compare|plots|all)" >&2
       exit 2 ;;
  esac
done
