#!/usr/bin/env bash
# A stand-in for a resumable job step (like `spikeweave dataset`): counts from the number saved in
# PROGRESS_FILE up to TOTAL, one step every 0.2 s, saving progress after each step. Killed at
# any moment, a rerun continues from the last saved step; at the end it writes "done TOTAL".
#   resumable_counter.sh PROGRESS_FILE TOTAL
set -euo pipefail
progress="$1"
total="$2"
k=0
[ -s "$progress" ] && k="$(head -n 1 "$progress" | tr -cd 0-9)"
echo "counter: resuming at $k of $total (SLURM_RESTART_COUNT=${SLURM_RESTART_COUNT:-0})"
while [ "$k" -lt "$total" ]; do
  sleep 0.2
  k=$((k + 1))
  echo "$k" > "$progress.tmp" && mv "$progress.tmp" "$progress"
done
echo "done $total" >> "$progress"
echo "counter: done"
