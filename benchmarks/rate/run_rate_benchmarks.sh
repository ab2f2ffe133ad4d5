#!/usr/bin/env bash
# Rate-network and dataset benchmarks for benchmarks/RESULTS.md.
#   benchmarks/rate/run_rate_benchmarks.sh BUILD_DIR [WORK_DIR]
# BUILD_DIR: a release build with -march=native (cmake --preset release-bench, or
#   -DSPIKEWEAVE_NATIVE=ON -DCMAKE_BUILD_TYPE=Release). WORK_DIR (default /tmp/spikeweave_rate_bench)
#   must be on the disk to measure; about 1 GB at a time is written there and removed again.
# Every figure is the best of REPEATS runs (default 3): on a shared machine the best run is the one
# least disturbed by other work. JSON records of every dataset run land in WORK_DIR/records.
set -euo pipefail
BUILD="${1:?usage: run_rate_benchmarks.sh BUILD_DIR [WORK_DIR]}"
WORK="${2:-/tmp/spikeweave_rate_bench}"
REPEATS="${REPEATS:-3}"
MPIEXEC="${MPIEXEC:-mpirun}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
SW="$BUILD/bin/spikeweave"
B="$BUILD/benchmarks/rate"
mkdir -p "$WORK/records"
best() { sort -g | tail -n 1; }  # largest of the numbers on stdin
least() { sort -g | head -n 1; }

echo "# $(date -I) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)"

echo "## FMA peak (register-only loop, GFLOP/s per core)"
for kind in "float32, 512" "float64, 512" "float32, 256" "float64, 256"; do
  value=$(for _ in $(seq "$REPEATS"); do "$B/bench_fma_peak" | grep "^$kind" | awk '{print $(NF-1)}'; done | best)
  echo "$kind-bit: $value"
done

echo "## Simulation only (batched kernel, no I/O): networks/s and GFLOP/s of the product (every repeat)"
for config in "50 10 100 20000" "200 10 1000 200"; do
  for precision in float double; do
    for _ in $(seq "$REPEATS"); do "$B/bench_rate_forward" $config 1 $precision; done
  done
done

echo "## Gradient (BPTT, K = 10): seconds per gradient (median of the runs inside; every repeat shown)"
for config in "50 10 100 50" "200 10 1000 10"; do
  for _ in $(seq "$REPEATS"); do "$B/bench_rate_gradient" $config; done
done

echo "## Sequential write with dd (2 GB), MB/s"
for mode in "conv=fdatasync" ""; do
  value=$(for _ in $(seq "$REPEATS"); do
            dd if=/dev/zero of="$WORK/dd.bin" bs=4M count=512 $mode 2>&1 | awk '/copied/ {print $(NF-1), $NF}' |
              awk '{v = $1; if ($2 == "GB/s") v *= 1000; print v}'
            rm -f "$WORK/dd.bin"
          done | best)
  echo "dd ${mode:-(page cache, no sync)}: $value MB/s"
done

echo "## Datasets (spikeweave dataset rate, float): networks/s, GB/s of the whole run, write phase"
run_dataset() { # ranks sync label args...
  local ranks="$1" sync="$2" label="$3"
  shift 3
  local out="$WORK/data.h5" record
  for r in $(seq "$REPEATS"); do
    rm -f "$out" "$out.partial"
    record="$WORK/records/$label.ranks$ranks.$sync.$r.json"
    local command=("$SW" dataset rate "$@" --out "$out" --quiet --report "$record")
    [ "$sync" = sync ] || command+=(--no-sync)
    if [ "$ranks" = 1 ]; then "${command[@]}"; else "$MPIEXEC" -np "$ranks" --oversubscribe --bind-to none "${command[@]}"; fi
    rm -f "$out"
  done
  /usr/bin/python3 - "$WORK/records" "$label.ranks$ranks.$sync" << 'PY'
import glob, json, sys
records = [json.load(open(p)) for p in glob.glob(sys.argv[1] + "/" + sys.argv[2] + ".*.json")]
r = max(records, key=lambda r: r["networks_per_second"])
c = max(records, key=lambda r: r["networks_per_cpu_second"])
print("%-24s ranks %d: %8.1f networks/s, %.3f GB/s overall, write phase %.1f s of %.1f s (%.2f GB/s while writing); "
      "best per CPU second: %.1f networks (%d networks per run)" % (
    sys.argv[2], r["ranks"], r["networks_per_second"], r["gigabytes_per_second"], r["write_seconds"], r["seconds"],
    r["bytes_written"] / max(r["write_seconds"], 1e-9) * 1e-9, c["networks_per_cpu_second"], r["computed"]))
PY
}
small=(--networks 5000 --neurons 50 --trials 10 --steps 100 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766)
large=(--networks 150 --neurons 200 --trials 10 --steps 1000 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766)
for sync in sync nosync; do
  for ranks in 1 2; do
    run_dataset "$ranks" "$sync" "N50_K10_T100" "${small[@]}"
    run_dataset "$ranks" "$sync" "N200_K10_T1000" "${large[@]}"
  done
done
