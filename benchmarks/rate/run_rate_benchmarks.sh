#!/usr/bin/env bash
# Rate-network and dataset benchmarks (benchmarks/RESULTS.md, "Rate networks and datasets").
#   benchmarks/rate/run_rate_benchmarks.sh BUILD_DIR [WORK_DIR]
# BUILD_DIR: a release build with -march=native (cmake --preset release-bench, or
#   -DSPIKEWEAVE_NATIVE=ON -DCMAKE_BUILD_TYPE=Release). WORK_DIR (default /tmp/spikeweave_rate_bench)
#   must be on the disk to measure; about 1.2 GB at a time is written there and removed again.
# The machine may be shared: every figure is given as median [min, max] over REPEATS runs
# (default 5), in wall and in CPU seconds; runs that are compared (1 and 2 ranks, HDF5 and dd)
# alternate within each repeat, so that both sides see the same background load.
# JSON records of every run land in WORK_DIR/records (summarised at the end).
set -euo pipefail
BUILD="${1:?usage: run_rate_benchmarks.sh BUILD_DIR [WORK_DIR]}"
WORK="${2:-/tmp/spikeweave_rate_bench}"
REPEATS="${REPEATS:-5}"
MPIEXEC="${MPIEXEC:-mpirun}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
SW="$BUILD/bin/spikeweave"
B="$BUILD/benchmarks/rate"
RECORDS="$WORK/records"
rm -rf "$RECORDS"
mkdir -p "$RECORDS"
# median [min, max] of the numbers on stdin
stats() { sort -g | awk '{v[NR] = $1} END {printf "%.4g [%.4g, %.4g]", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR]}'; }

echo "# $(date -I) on $(nproc) cores: $(lscpu | grep 'Model name' | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown), $REPEATS repeats"

echo "## FMA peak (register-only loop): GFLOP/s and GFLOP per CPU second, median [min, max]"
for _ in $(seq "$REPEATS"); do "$B/bench_fma_peak"; done > "$RECORDS/fma.txt"
for kind in "float32, 512" "float64, 512" "float32, 256" "float64, 256"; do
  grep -q "^$kind" "$RECORDS/fma.txt" || continue
  echo "$kind-bit: $(grep "^$kind" "$RECORDS/fma.txt" | awk '{print $4}' | stats) GFLOP/s;" \
    "$(grep "^$kind" "$RECORDS/fma.txt" | awk '{print $6}' | stats) GFLOP per CPU second"
done

echo "## Simulation only (batched kernel, no I/O, batch 1): networks/s, GFLOP/s of the product"
for config in "50 10 100 20000" "200 10 1000 200"; do
  for _ in $(seq "$REPEATS"); do
    for precision in float double; do "$B/bench_rate_forward" $config 1 $precision; done
  done > "$RECORDS/forward.txt"
  for precision in "float " double; do
    lines=$(grep "^$precision N=${config%% *} " "$RECORDS/forward.txt")
    echo "$(echo "$lines" | head -n1 | cut -d: -f1): $(echo "$lines" | awk '{print $6}' | stats) networks/s," \
      "$(echo "$lines" | awk '{print $8}' | stats) GFLOP/s; per CPU second" \
      "$(echo "$lines" | awk '{print $16}' | stats) networks, $(echo "$lines" | awk '{print $18}' | stats) GFLOP"
  done
done

echo "## Gradient (BPTT, float64 and float32, K = 10): seconds per gradient (median of the runs inside)"
for config in "50 10 100 50" "200 10 1000 10"; do
  for _ in $(seq "$REPEATS"); do "$B/bench_rate_gradient" $config; done > "$RECORDS/gradient.txt"
  for precision in "float " double; do
    lines=$(grep "^$precision" "$RECORDS/gradient.txt")
    echo "$(echo "$lines" | head -n1 | cut -d: -f1): $(echo "$lines" | awk '{print $6}' | stats) s wall," \
      "$(echo "$lines" | sed 's/.*CPU \([0-9.e+-]*\) s per gradient.*/\1/' | stats) CPU s per gradient"
  done
done

echo "## Datasets (spikeweave dataset rate, float32, fsync per round) and dd conv=fdatasync of the same size"
small=(--networks 5000 --neurons 50 --trials 10 --steps 100 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766)
large=(--networks 150 --neurons 200 --trials 10 --steps 1000 --dt-ms 0.1 --tau-ms 1.0 --gain 1.5 --noise 0.316227766)
run_dataset() { # ranks label repeat args...
  local ranks="$1" label="$2" r="$3"
  shift 3
  local out="$WORK/data.h5"
  rm -f "$out" "$out.partial"
  local command=("$SW" dataset rate "$@" --out "$out" --quiet --report "$RECORDS/$label.ranks$ranks.$r.json")
  if [ "$ranks" = 1 ]; then "${command[@]}"; else "$MPIEXEC" -np "$ranks" --oversubscribe --bind-to none "${command[@]}"; fi
  local bytes
  bytes=$(stat -c %s "$out")
  rm -f "$out"
  # The same number of bytes, written sequentially and synced, right after, to the same disk.
  local start end
  start=$(date +%s.%N)
  dd if=/dev/zero of="$WORK/dd.bin" bs=1M count=$(((bytes + 1048575) / 1048576)) conv=fdatasync status=none
  end=$(date +%s.%N)
  rm -f "$WORK/dd.bin"
  echo "{\"bytes\": $bytes, \"seconds\": $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.6f", b - a}')}" > "$RECORDS/$label.ranks$ranks.$r.dd.json"
}
for r in $(seq "$REPEATS"); do
  for ranks in 1 2; do
    run_dataset "$ranks" N50_K10_T100 "$r" "${small[@]}"
    run_dataset "$ranks" N200_K10_T1000 "$r" "${large[@]}"
  done
done
/usr/bin/python3 - "$RECORDS" "$REPEATS" << 'PY'
import json, statistics, sys
records, repeats = sys.argv[1], int(sys.argv[2])
def load(label, ranks, r, dd=False):
    return json.load(open("%s/%s.ranks%d.%d%s.json" % (records, label, ranks, r, ".dd" if dd else "")))
def fmt(values, spec="%.4g"):
    v = sorted(values)
    return (spec + " [" + spec + ", " + spec + "]") % (statistics.median(v), v[0], v[-1])
for label in ("N50_K10_T100", "N200_K10_T1000"):
    per = {}
    for ranks in (1, 2):
        rs = [load(label, ranks, r) for r in range(1, repeats + 1)]
        dds = [load(label, ranks, r, True) for r in range(1, repeats + 1)]
        per[ranks] = rs
        write_bw = [x["bytes_written"] / x["write_seconds"] * 1e-9 for x in rs]
        dd_bw = [d["bytes"] / d["seconds"] * 1e-9 for d in dds]
        print("%s, %d rank(s): %s networks/s, %s GB/s overall, %s networks per CPU second; "
              "write phase %s s of %s s; HDF5 while writing %s GB/s, dd %s GB/s, HDF5/dd %s" % (
            label, ranks, fmt([x["networks_per_second"] for x in rs]),
            fmt([x["gigabytes_per_second"] for x in rs]),
            fmt([x["networks_per_cpu_second"] for x in rs]),
            fmt([x["write_seconds"] for x in rs]), fmt([x["seconds"] for x in rs]),
            fmt(write_bw), fmt(dd_bw), fmt([w / d for w, d in zip(write_bw, dd_bw)], "%.2f")))
    wall = [b["networks_per_second"] / a["networks_per_second"] for a, b in zip(per[1], per[2])]
    cpu = [2 * b["networks_per_cpu_second"] / a["networks_per_cpu_second"] for a, b in zip(per[1], per[2])]
    print("%s: 2 ranks / 1 rank, wall networks/s: %s; from CPU seconds (2 x ratio of networks per "
          "CPU second, i.e. with two free cores): %s" % (label, fmt(wall, "%.2f"), fmt(cpu, "%.2f")))
PY
