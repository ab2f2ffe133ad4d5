#!/usr/bin/env bash
# Sweep performance on this machine (benchmarks/sections/sweep.md):
#  1. the overhead of the sweep (metrics, part file, HDF5 table) over the simulation alone: one AI
#     point of Brunel's network as `spikeweave sweep` (a one-point list) and as `spikeweave run`
#     without an output file, whole processes, alternating, REPEATS times;
#  2. the 2-rank speed-up with --ranks-per-point 1 on 6 points of similar cost.
#   benchmarks/sweep/measure_sweep.sh build/bin/spikeweave [REPEATS] > results.txt
set -euo pipefail
SPIKEWEAVE="$(readlink -f "${1:-build/bin/spikeweave}")"
REPEATS="${2:-3}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/spikeweave-sweep-bench.XXXXXX)"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cp "$ROOT/examples/brunel.toml" "$WORK/"
cat > "$WORK/one_point.toml" << 'TOML'
base = "brunel.toml"
design = "list"
[set]
"simulation.t_stop_ms" = 1200.0
[[axis]]
name = "g"
values = [5.0]
keys = { "projection[2].weight_mv" = "-g * 0.1", "projection[3].weight_mv" = "-g * 0.1" }
[metrics]
window_ms = [200.0, 1200.0]
TOML
cat > "$WORK/six_points.toml" << 'TOML'
base = "brunel.toml"
design = "grid"
[set]
"simulation.t_stop_ms" = 1200.0
[[axis]]
name = "g"
values = [5.0, 5.5, 6.0]
keys = { "projection[2].weight_mv" = "-g * 0.1", "projection[3].weight_mv" = "-g * 0.1" }
[[axis]]
name = "eta"
values = [1.8, 2.2]
keys = { "stimulus[0].rate_hz" = "eta * 10000", "stimulus[1].rate_hz" = "eta * 10000" }
[metrics]
window_ms = [200.0, 1200.0]
TOML
# "wall W s, cpu C s" of a whole command (CPU: user + system of it and its children, the ranks).
seconds() {
  /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" > /dev/null 2>&1
  awk '{ printf "wall %.2f s, cpu %.2f s", $1, $2 + $3 }' "$WORK/time.txt"
}
echo "# $(date -Is) $(git -C "$ROOT" rev-parse --short HEAD) load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$REPEATS"); do
  s=$(seconds "$SPIKEWEAVE" sweep "$WORK/one_point.toml" --out "$WORK/one.h5" --overwrite -q)
  p=$(seconds "$SPIKEWEAVE" run "$WORK/brunel.toml" --set simulation.t_stop_ms=1200 --set 'simulation.output=""' -q)
  echo "overhead repeat $r: sweep of one point: ${s}; run without output: ${p}"
done
for r in $(seq 1 "$REPEATS"); do
  one=$(seconds "$SPIKEWEAVE" sweep "$WORK/six_points.toml" --out "$WORK/six1.h5" --overwrite -q)
  two=$(seconds mpirun -np 2 --oversubscribe --bind-to none "$SPIKEWEAVE" sweep "$WORK/six_points.toml" \
    --out "$WORK/six2.h5" --overwrite -q --ranks-per-point 1)
  echo "speed-up repeat $r: 6 points on 1 rank: ${one}; on 2 ranks: ${two}"
done
echo "# end $(date -Is) load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK"
