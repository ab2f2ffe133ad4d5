#!/usr/bin/env bash
# Digits pipeline throughput (benchmarks/RESULTS.md, "Task pipeline"): spikeweave on 1 and 2
# ranks and Brian2 on the same layer, alternated ROUNDS times so that the load of a shared
# machine falls on all three alike; one JSON line per run (with the load average before it) into
# OUT/throughput.jsonl.
#   benchmarks/digits/throughput.sh [OUT] [ROUNDS]     (from the repository root, after a build)
set -euo pipefail
out=${1:-out/digits_throughput}
rounds=${2:-2}
n_exc=${N_EXC:-200}
train=${TRAIN:-300}
infer_train=${INFER_TRAIN:-300}
infer_test=${INFER_TEST:-150}
binary=${SPIKEWEAVE_BINARY:-build/bin/spikeweave}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$out"
log=$out/throughput.jsonl
commit=$(git rev-parse --short HEAD)

spikeweave_run() {  # ranks round
  local dir=$out/spikeweave_r$1_$2 load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  PYTHONPATH=python /usr/bin/python3 -m spikeweave.task digits --binary "$binary" --out "$dir" \
    --n-exc "$n_exc" --train-presentations "$train" --readout-images "$infer_train" "$infer_test" \
    --ranks "$1" > /dev/null
  /usr/bin/python3 - "$dir/results.json" "$1" "$load" "$commit" >> "$log" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"simulator": "spikeweave", "ranks": int(sys.argv[2]), "n_exc": r["n_exc"],
                  "train_images": r["train_presentations"],
                  "infer_images": sum(r["readout_images"]), "seconds": r["seconds"],
                  "train_images_per_s": r["samples_per_second"]["train"],
                  "infer_images_per_s": r["samples_per_second"]["inference"],
                  "accuracy": {k: r[k]["accuracy"] for k in ("stdp", "random")},
                  "load_before": sys.argv[3], "commit": sys.argv[4]}))
EOF
}

brian2_run() {  # round (the first round's Brian2 run also fills Cython's cache)
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/python3 benchmarks/digits/brian2_diehl_cook.py --n-exc "$n_exc" --train "$train" \
    --infer $((infer_train + infer_test)) --layer-from "$out/spikeweave_r1_$1" \
    | /usr/bin/python3 -c "import json,sys; r=json.loads(sys.stdin.read()); r.update(load_before='$load', round=$1, commit='$commit'); print(json.dumps(r))" >> "$log"
}

for round in $(seq 1 "$rounds"); do
  spikeweave_run 1 "$round"
  brian2_run "$round"
  spikeweave_run 2 "$round"
done
cat "$log"
