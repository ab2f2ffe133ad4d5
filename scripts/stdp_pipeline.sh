#!/usr/bin/env bash
# The whole STDP pipeline in one command: simulate examples/stdp_demo.toml (1000 LIF neurons,
# pair STDP on E->E, 5 s), check the artifacts it must have written, then draw the spike raster
# and the weight evolution (PNG) and the full HTML report.
#   ./scripts/stdp_pipeline.sh [OUT_DIR]     (default out/stdp_pipeline; builds if needed)
# Extra settings go through SPIKEWEAVE_SET, e.g. SPIKEWEAVE_SET="simulation.t_stop_ms=1000";
# SPIKEWEAVE_BINARY names another spikeweave executable.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/stdp_pipeline}"
mkdir -p "$out"
exe="${SPIKEWEAVE_BINARY:-./build/bin/spikeweave}"
if [ ! -x "$exe" ]; then
  cmake --preset default
  cmake --build --preset default --target spikeweave
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
sets=()
for s in ${SPIKEWEAVE_SET:-}; do sets+=(--set "$s"); done

echo "stdp_pipeline: 1/3 simulate examples/stdp_demo.toml"
"$exe" run examples/stdp_demo.toml -o "$out/stdp_demo.h5" --overwrite "${sets[@]}"

echo "stdp_pipeline: 2/3 check the artifacts"
export PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}"
/usr/bin/python3 - "$out/stdp_demo.h5" <<'PY'
import sys
import numpy as np
import spikeweave

run = spikeweave.RunFile(sys.argv[1])
problems = []
for name in ("exc", "inh"):
    p = run.population(name)
    if p.n_spikes == 0:
        problems.append(f"population {name} fired no spike")
    ids = run.spikes(name).node_ids
    if len(ids) and ids.max() >= p.n_nodes:
        problems.append(f"population {name}: node id {ids.max()} >= {p.n_nodes}")
w = run.weights("EE")
expected_samples = int(run.t_stop_ms // 100.0) + 1  # every_ms = 100, first sample at 0
if w.weight.shape != (expected_samples, 1000):
    problems.append(f"EE weights have shape {w.weight.shape}, expected ({expected_samples}, 1000)")
if not np.all((w.weight >= 0) & (w.weight <= 160.0)):
    problems.append("EE weights leave [0, w_max_pa = 160]")
if np.array_equal(w.weight[0], w.weight[-1]):
    problems.append("STDP changed no weight")
if run.membrane("exc").data.shape[1] != 4:
    problems.append("the membrane report does not hold the 4 recorded neurons")
if problems:
    sys.exit("stdp_pipeline: artifact check failed: " + "; ".join(problems))
change = np.abs(w.weight[-1] - w.weight[0])
print(f"stdp_pipeline: artifacts ok: {sum(p.n_spikes for p in run.populations)} spikes, "
      f"{w.weight.shape[1]} synapses x {w.weight.shape[0]} samples, mean |dw| "
      f"{change.mean():.2f} {w.units}")
PY

echo "stdp_pipeline: 3/3 draw the raster, the weight evolution and the report"
/usr/bin/python3 -m spikeweave plot raster "$out/stdp_demo.h5" -o "$out/raster.png"
/usr/bin/python3 -m spikeweave plot weights "$out/stdp_demo.h5" -o "$out/weights.png"
"$exe" report "$out/stdp_demo.h5" -o "$out/stdp_demo.html"
echo "stdp_pipeline: done: $out/raster.png, $out/weights.png, $out/stdp_demo.html"
