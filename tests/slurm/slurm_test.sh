#!/usr/bin/env bash
# CTest driver of the `slurm` tests: brings up a private single-node SLURM cluster
# (slurm/local-cluster/up.sh), submits jobs from slurm/templates/ with `sbatch --wait`, checks their
# exit codes, logs and output files, and brings the cluster down again, also when a check fails.
#
#   slurm_test.sh SCENARIO SPIKEWEAVE SOURCE_DIR WORK_DIR PYTHON
#     SCENARIO    cluster | srun | mpirun | bad_config | requeue | run_requeue | scaling | dataset |
#                 sweep
#     SPIKEWEAVE  the spikeweave executable ($<TARGET_FILE:spikeweave>)
#     SOURCE_DIR  the repository (templates, env files, local-cluster scripts, test inputs)
#     WORK_DIR    where job scripts run and write (emptied first; kept for inspection)
#     PYTHON      a python3 with h5py (Debian's /usr/bin/python3)
# Exit codes: 0 pass, 1 fail, 77 skipped (not root, or slurm/munge not installed: CTest's
# SKIP_RETURN_CODE). Every cluster lives in its own /tmp/spikeweave-slurm-test.XXXXXX with random
# ports, so tests may run in parallel; clusters left behind by a killed run are stopped first.
set -uo pipefail

SCENARIO="$1"
SPIKEWEAVE="$(readlink -f "$2")"
SOURCE_DIR="$(readlink -f "$3")"
WORK="$4/$1"
PYTHON="$5"
CLUSTER="$SOURCE_DIR/slurm/local-cluster"
# shellcheck source=slurm/local-cluster/common.sh
source "$CLUSTER/common.sh"  # functions only: running (daemon stopped?)
TEMPLATES="$SOURCE_DIR/slurm/templates"
HERE="$SOURCE_DIR/tests/slurm"
export PATH="$PATH:/usr/sbin"
# A job still running after this long is a failure (each takes seconds here).
JOB_TIMEOUT_S=240

say() { echo "slurm_test[$SCENARIO]: $*"; }
fail() {
  say "FAILED: $*"
  exit 1
}
skip() {
  say "SKIPPED: $*"
  exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (slurmd runs jobs as root here; CI runs as root)"
for tool in munged mungekey slurmctld slurmd sbatch srun scontrol; do
  command -v "$tool" > /dev/null || skip "$tool not installed (scripts/setup.sh installs slurm-wlm and munge)"
done
[ -x "$SPIKEWEAVE" ] || fail "spikeweave executable '$2' not found"

if [ "$SCENARIO" = dataset ]; then
  "$SPIKEWEAVE" --help 2> /dev/null | grep -q '^ *dataset' || skip "this spikeweave has no dataset command yet"
fi

# Clusters of earlier runs whose driver died (CTest timeout, kill -9) still have daemons: stop them.
# A driver counts as alive only if its pid runs this script and is not a zombie (a killed driver
# whose parent has not reaped it yet still answers kill -0).
driver_alive() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2> /dev/null)" != Z ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'slurm_test\.sh'
}
for old in /tmp/spikeweave-slurm-test.*; do
  [ -d "$old" ] || continue
  if ! driver_alive "$(cat "$old/owner.pid" 2> /dev/null || true)"; then
    say "stopping a stale test cluster in $old"
    "$CLUSTER/down.sh" "$old" --purge > /dev/null 2>&1 || true
  fi
done

STATE="$(mktemp -d /tmp/spikeweave-slurm-test.XXXXXX)"
echo $$ > "$STATE/owner.pid"
rm -rf "$WORK"
mkdir -p "$WORK"
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    for f in "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log"; do
      [ -s "$f" ] && cp "$f" "$WORK/" && { echo "--- last lines of $f"; tail -n 20 "$f"; }
    done
  fi
  "$CLUSTER/down.sh" "$STATE" --purge 2>&1 | sed "s/^/slurm_test[$SCENARIO]: /"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

up_output="$("$CLUSTER/up.sh" "$STATE")" || fail "up.sh failed"
eval "$up_output"
[ "$SLURM_CONF" = "$STATE/slurm.conf" ] || fail "up.sh printed '$up_output'"
say "cluster up in $STATE"
cd "$WORK" || fail "cannot enter $WORK"

# wait_for_job JOBID: polls every 0.2 s until every task of the job (all of an array) has ended, and
# sets JOB_RC to the largest exit code among them (128 + signal for a task killed by a signal), as
# `sbatch --wait` would; 124 after JOB_TIMEOUT_S. (sbatch --wait itself polls after 2, 10 and 42 s,
# which made each job here last up to 4x its run time.)
wait_for_job() {
  local jobid="$1" records code _
  for _ in $(seq 1 $((JOB_TIMEOUT_S * 5))); do
    records="$(scontrol -o show job "$jobid" 2> /dev/null)" || { JOB_RC=1; return; }
    if ! grep -qvE 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) ' \
      <<< "$records"; then
      JOB_RC=0
      for code in $(grep -oE ' ExitCode=[0-9]+:[0-9]+' <<< "$records" | cut -d= -f2); do
        [ "${code#*:}" = 0 ] || code="$((128 + ${code#*:})):0"
        [ "${code%:*}" -le "$JOB_RC" ] || JOB_RC="${code%:*}"
      done
      return
    fi
    sleep 0.2
  done
  JOB_RC=124
}

# submit NAME TEMPLATE [sbatch options...]: submits and waits, with the job's output in NAME.log.
# Sets JOB_RC (the job's exit code, as sbatch --wait returns it) and prints the log.
submit() {
  local name="$1" template="$2" jobid
  shift 2
  say "sbatch $* $(basename "$template")"
  jobid="$(sbatch --parsable --job-name="sw-$name" --output="$WORK/$name.log" \
    --chdir="$WORK" --nodes=1 --cpus-per-task=1 --time=10 "$@" "$template")" || fail "sbatch $name failed"
  wait_for_job "${jobid%%;*}"
  [ "$JOB_RC" != 124 ] || fail "job $name still running after ${JOB_TIMEOUT_S}s"
  echo "----- $name.log (exit code $JOB_RC)"
  cat "$WORK/$name.log" 2> /dev/null
  echo "-----"
}

# A one-process run of the same network outside SLURM: what every launch mode must reproduce.
reference_run() {
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    "$SPIKEWEAVE" run "$HERE/tiny_net.toml" --quiet --output "$WORK/reference.h5" ||
    fail "reference run outside SLURM failed"
}

check_run() { # check_run FILE RANKS
  "$SPIKEWEAVE" inspect "$1" || fail "spikeweave inspect $1 failed"
  "$SPIKEWEAVE" inspect "$1" | grep -q "$2 rank(s)" || fail "inspect does not report $2 ranks"
  "$PYTHON" "$HERE/check_run_file.py" "$1" "$WORK/reference.h5" --ranks "$2" --t-stop-ms 200 \
    --population exc=200 --population inh=200 || fail "$1 does not match the reference run"
}

# stop_at_time_limit JOBID PATTERN: once requeue.log matches PATTERN (a progress line), sends the
# job's batch shell USR1 (what --signal=B:USR1@120 sends at the time limit), waits for the job to
# end, prints the log, and checks that it completed after exactly one requeue.
stop_at_time_limit() {
  local jobid="$1" pattern="$2"
  for _ in $(seq 1 1200); do
    grep -q "$pattern" requeue.log 2> /dev/null && break
    sleep 0.05
  done
  grep -q "$pattern" requeue.log || fail "no progress line ($pattern) from job $jobid"
  scancel --batch --signal=USR1 "$jobid" || fail "scancel --signal=USR1 failed"
  job_field() { scontrol show job "$jobid" 2> /dev/null | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
  for _ in $(seq 1 $((JOB_TIMEOUT_S * 2))); do
    case "$(job_field JobState)" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL) break ;; esac
    sleep 0.5
  done
  echo "----- requeue.log"
  cat requeue.log
  echo "-----"
  [ "$(job_field JobState)" = COMPLETED ] || fail "job state $(job_field JobState), expected COMPLETED"
  [ "$(job_field Restarts)" = 1 ] || fail "Restarts=$(job_field Restarts), expected 1"
}

export SPIKEWEAVE SPIKEWEAVE_ENV="$SOURCE_DIR/slurm/env/local.sh"

case "$SCENARIO" in
  cluster)
    # up.sh is idempotent: a second call finds the same daemons and prints the same line.
    pids_before="$(cat "$STATE/run/slurmctld.pid" "$STATE/run/slurmd.pid" "$STATE/munge/munged.pid")"
    [ "$("$CLUSTER/up.sh" "$STATE")" = "$up_output" ] || fail "second up.sh printed something else"
    [ "$(cat "$STATE/run/slurmctld.pid" "$STATE/run/slurmd.pid" "$STATE/munge/munged.pid")" = "$pids_before" ] ||
      fail "second up.sh restarted daemons"
    grep -q '^CommunicationParameters=NoCtldInAddrAny,NoInAddrAny' "$SLURM_CONF" ||
      fail "slurm.conf does not bind to loopback only"
    [ "$(sinfo -h -o '%P %D %t')" = "debug* 1 idle" ] || fail "sinfo: $(sinfo -h -o '%P %D %t')"
    out="$(srun -N1 -n2 hostname)" || fail "srun hostname failed"
    [ "$(echo "$out" | wc -l)" = 2 ] || fail "srun -n2 printed '$out'"
    # A crashed controller (kill -9) is noticed: up.sh stops the leftovers and starts afresh.
    ctld_pid="$(cat "$STATE/run/slurmctld.pid")"
    kill -9 "$ctld_pid"
    while kill -0 "$ctld_pid" 2> /dev/null; do sleep 0.1; done
    up_output="$("$CLUSTER/up.sh" "$STATE")" || fail "up.sh after a crash failed"
    eval "$up_output"
    [ "$(cat "$STATE/run/slurmctld.pid")" != "$ctld_pid" ] || fail "slurmctld was not restarted"
    srun -N1 -n1 true || fail "srun after the restart failed"
    # down.sh stops every daemon by its pid file and removes the pid files.
    pids="$(cat "$STATE/run/slurmctld.pid" "$STATE/run/slurmd.pid" "$STATE/munge/munged.pid")"
    "$CLUSTER/down.sh" "$STATE" || fail "down.sh failed"
    for pid in $pids; do  # running: alive and not a zombie awaiting pid 1 (common.sh)
      ! running "$pid" || fail "daemon $pid still alive after down.sh"
    done
    for f in "$STATE/run/slurmctld.pid" "$STATE/run/slurmd.pid" "$STATE/munge/munged.pid"; do
      [ ! -e "$f" ] || fail "down.sh left $f"
    done
    say "up.sh idempotent, restart after a crash, down.sh by pid files: ok"
    ;;

  srun | mpirun)
    reference_run
    template="$TEMPLATES/run.sbatch"
    [ "$SCENARIO" = srun ] || template="$TEMPLATES/run_mpirun.sbatch"
    NET="$HERE/tiny_net.toml" OUTPUT="$WORK/tiny.h5" submit "$SCENARIO" "$template" --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "the $SCENARIO job exited with $JOB_RC"
    grep -q "built 400 neurons and 20000 synapses on 2 rank(s)" "$SCENARIO.log" ||
      fail "the job's log does not show a 2-rank build"
    [ ! -e "$WORK/tiny.h5.partial" ] || fail "tiny.h5.partial left behind"
    check_run "$WORK/tiny.h5" 2
    say "2-rank job via $SCENARIO: exit 0, output identical to a 1-process run"
    ;;

  bad_config)
    # An existing file at the output path must survive a failed job untouched.
    echo "earlier results" > "$WORK/precious.h5"
    for mode in srun mpirun; do
      template="$TEMPLATES/run.sbatch"
      [ "$mode" = srun ] || template="$TEMPLATES/run_mpirun.sbatch"
      NET="$HERE/bad_net.toml" OUTPUT="$WORK/precious.h5" RUN_ARGS="--overwrite" \
        submit "bad_$mode" "$template" --ntasks-per-node=2
      [ "$JOB_RC" != 0 ] || fail "a job with a bad configuration exited 0 ($mode)"
      errors="$(grep -c 'spikeweave: error: projection\[2\].delay_ms: 0.05 is below dt_ms 0.1' "bad_$mode.log")"
      [ "$errors" = 1 ] || fail "expected the error naming projection[2].delay_ms once in bad_$mode.log, found $errors"
      [ "$(cat "$WORK/precious.h5")" = "earlier results" ] || fail "the failed job touched the existing output"
      [ ! -e "$WORK/precious.h5.partial" ] || fail "a .partial file was left behind ($mode)"
    done
    # A missing network file: also an error naming the file, not a hang or a crash.
    NET="$WORK/no_such_net.toml" submit bad_missing "$TEMPLATES/run.sbatch" --ntasks-per-node=2
    [ "$JOB_RC" != 0 ] || fail "a job with a missing network file exited 0"
    grep -q "spikeweave: error: .*no_such_net.toml" bad_missing.log || fail "no error naming the missing file"
    say "bad configuration and missing file: non-zero exit, one clear error, existing output kept"
    ;;

  requeue)
    # requeue.sbatch with a resumable stand-in command: interrupt it as the time-limit signal
    # would (SIGUSR1 to the batch shell only), check that it requeues itself and that the second
    # slice continues from the saved progress to the end.
    total=40
    jobid="$(COMMAND="$HERE/resumable_counter.sh $WORK/progress $total" sbatch --parsable --job-name=sw-requeue \
      --output="$WORK/requeue.log" --chdir="$WORK" --nodes=1 --ntasks-per-node=1 --cpus-per-task=1 --time=10 \
      "$TEMPLATES/requeue.sbatch")" || fail "sbatch failed"
    job_field() { scontrol show job "$jobid" 2> /dev/null | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
    for _ in $(seq 1 300); do
      [ "$(head -n 1 progress 2> /dev/null || echo 0)" -ge 5 ] 2> /dev/null && break
      sleep 0.1
    done
    first="$(head -n 1 progress 2> /dev/null || echo 0)"
    [ "$first" -ge 5 ] 2> /dev/null || fail "the counter did not start (progress '$first')"
    scancel --batch --signal=USR1 "$jobid" || fail "scancel --signal=USR1 failed"
    for _ in $(seq 1 $((JOB_TIMEOUT_S * 2))); do
      case "$(job_field JobState)" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL) break ;; esac
      sleep 0.5
    done
    echo "----- requeue.log"
    cat requeue.log
    echo "-----"
    [ "$(job_field JobState)" = COMPLETED ] || fail "job state $(job_field JobState), expected COMPLETED"
    [ "$(job_field ExitCode)" = "0:0" ] || fail "exit code $(job_field ExitCode)"
    [ "$(job_field Restarts)" = 1 ] || fail "Restarts=$(job_field Restarts), expected 1"
    grep -q "requeueing job $jobid" requeue.log || fail "no requeue message in the log"
    resumed="$(sed -n 's/^counter: resuming at \([0-9]*\) of .*SLURM_RESTART_COUNT=1)$/\1/p' requeue.log)"
    [ -n "$resumed" ] || fail "no second slice in the log"
    [ "$resumed" -ge "$first" ] ||
      fail "the second slice did not continue (resumed at '$resumed', progress before the signal $first)"
    [ "$(tail -n 1 progress)" = "done $total" ] || fail "the command did not finish: $(cat progress)"
    say "USR1 -> step stopped -> requeued -> resumed at $resumed of $total -> completed"
    ;;

  run_requeue)
    # run_requeue.sbatch on 2 ranks with a run longer than one slice: SIGUSR1 to the batch shell
    # (what --signal=B:USR1@margin sends before the time limit) makes spikeweave checkpoint and
    # exit 75, the job requeues itself, the second slice restarts from latest and completes; its
    # output must equal a one-process run outside SLURM.
    t_stop=20000
    OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "$SPIKEWEAVE" run "$HERE/tiny_net.toml" \
      --quiet --output "$WORK/reference.h5" --set simulation.t_stop_ms=$t_stop ||
      fail "reference run outside SLURM failed"
    jobid="$(NET="$HERE/tiny_net.toml" OUTPUT="$WORK/continued.h5" CHECKPOINT_DIR="$WORK/ckpt" \
      RUN_ARGS="--set simulation.t_stop_ms=$t_stop" sbatch --parsable --job-name=sw-run-requeue \
      --output="$WORK/requeue.log" --chdir="$WORK" --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 \
      --time=10 "$TEMPLATES/run_requeue.sbatch")" || fail "sbatch failed"
    stop_at_time_limit "$jobid" "t = "
    grep -q "stopped by signal" requeue.log || fail "spikeweave did not report the stop"
    grep -q "requeueing job $jobid" requeue.log || fail "no requeue message in the log"
    grep -q "run --restart $WORK/ckpt/latest" requeue.log || fail "the second slice did not restart"
    "$SPIKEWEAVE" inspect "$WORK/ckpt/latest" | grep -q "written by 2 rank(s)" ||
      fail "the checkpoint was not written by the 2 ranks"
    "$PYTHON" "$HERE/check_run_file.py" "$WORK/continued.h5" "$WORK/reference.h5" --ranks 2 \
      --t-stop-ms $t_stop --population exc=200 --population inh=200 ||
      fail "the requeued run's output differs from the uninterrupted run"
    say "USR1 -> checkpoint, exit 75 -> requeued -> restarted from latest -> output equals the reference"
    ;;

  scaling)
    # Strong: the same network at 1 and 2 ranks. Weak: neurons grow with the ranks (SCALE per rank).
    NET="$HERE/tiny_net.toml" NODE_COUNTS=1 RANKS_PER_NODE="1 2" RESULTS="$WORK/results" \
      submit strong "$TEMPLATES/scaling_strong.sbatch" --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "scaling_strong job exited with $JOB_RC"
    # shellcheck disable=SC2016  # COMMAND is expanded by the job, per point
    NET="$HERE/tiny_net.toml" NODE_COUNTS=1 RANKS_PER_NODE="1 2" RESULTS="$WORK/results" SCALE=100 LAUNCHER=mpirun \
      COMMAND='$LAUNCH "$SPIKEWEAVE" run "$NET" --quiet --overwrite --output "$RESULTS/$RUN_NAME.h5" --set population[0].size=$((SCALE / 2)) --set population[1].size=$((SCALE / 2))' \
      submit weak "$TEMPLATES/scaling_weak.sbatch" --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "scaling_weak job exited with $JOB_RC"
    "$PYTHON" - "$WORK/results" << 'EOF' || fail "the scaling records are wrong"
import json, os, sys
import h5py
results = sys.argv[1]
expect = {"strong": {1: 400, 2: 400}, "weak": {1: 100, 2: 200}}  # neurons per point
for kind, neurons_by_ranks in expect.items():
    with open(os.path.join(results, f"{kind}-tiny_net.jsonl")) as f:
        records = [json.loads(line) for line in f]
    assert [r["ranks"] for r in records] == [1, 2], records
    for r in records:
        assert r["kind"] == kind and r["nodes"] == 1 and r["threads"] == 1 and r["exit_code"] == 0, r
        assert r["run"] == f"{kind}-tiny_net-n1-r{r['ranks']}-t1-rep1", r["run"]
        assert r["wall_seconds"] > 0, r
        with h5py.File(os.path.join(results, r["run"] + ".h5"), "r") as h:
            assert int(h["provenance"].attrs["ranks"]) == r["ranks"], r["run"]
            n = sum(len(set(h["spikes"][p]["node_ids"][:])) > 0 for p in ("exc", "inh"))
            assert n == 2, r["run"]
            neurons = int(h["provenance"]["counters"].attrs["neurons"])
            assert neurons == neurons_by_ranks[r["ranks"]], (r["run"], neurons)
    if kind == "weak":
        assert [r["scale"] for r in records] == [100, 200], records
    print(kind, "records ok:", [(r["ranks"], r["wall_seconds"]) for r in records])
EOF
    say "strong and weak series: one JSON record per point, outputs of the right size and rank count"
    ;;

  dataset)
    # Every dataset the jobs write must equal, bit for bit, a 1-process run of the same command
    # outside SLURM: network m is drawn from (seed, m) whoever computes it, and a resumed file is
    # byte-identical to an uninterrupted one (docs/rate_networks.md).
    small="rate --networks 6 --neurons 16 --trials 2 --steps 40 --gain 1.5"
    direct() { # direct OUT ARGS...: the reference, one process, no SLURM
      local out="$1"
      shift
      "$SPIKEWEAVE" dataset "$@" --quiet --out "$out" || fail "direct run of spikeweave dataset $* failed"
    }
    same_datasets() { # same_datasets FILE REFERENCE
      "$PYTHON" - "$1" "$2" << 'EOF' || fail "$1 differs from the reference $2"
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1], "r") as f, h5py.File(sys.argv[2], "r") as ref:
    names = sorted(k for k in ref.keys() if k != "provenance")
    assert names and sorted(k for k in f.keys() if k != "provenance") == names, (list(f.keys()), names)
    assert np.all(f["done"][:] == 1), "not every network is marked done"
    for name in names:
        a, b = f[name][:], ref[name][:]
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name
    print(sys.argv[1], ": datasets", names, "identical to the reference;", f["W"].shape[0], "networks")
EOF
    }

    # 1. One file from one 2-rank job.
    # shellcheck disable=SC2086  # $small holds several words on purpose
    direct "$WORK/reference.h5" $small --seed 3
    DATASET_ARGS="$small --seed 3" OUT="$WORK/data.h5" \
      submit one_file "$TEMPLATES/dataset_array.sbatch" --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "the dataset job exited with $JOB_RC"
    [ ! -e "$WORK/data.h5.partial" ] || fail "data.h5.partial left behind"
    same_datasets "$WORK/data.h5" "$WORK/reference.h5"

    # 2. A job array of 2 shards, 1 rank each: shard i is the run with seed SEED + i.
    DATASET_ARGS="$small" OUT="$WORK/shard.h5" SEED=10 \
      submit array "$TEMPLATES/dataset_array.sbatch" --ntasks-per-node=1 --array=0-1
    [ "$JOB_RC" = 0 ] || fail "the dataset array exited with $JOB_RC"
    for i in 0 1; do
      # shellcheck disable=SC2086
      direct "$WORK/reference.$i.h5" $small --seed $((10 + i))
      same_datasets "$WORK/shard.$i.h5" "$WORK/reference.$i.h5"
    done
    "$PYTHON" -c 'import sys, h5py, numpy as np; a, b = (h5py.File(p, "r")["W"][:] for p in sys.argv[1:]); sys.exit(np.array_equal(a, b))' \
      "$WORK/shard.0.h5" "$WORK/shard.1.h5" || fail "the two shards hold the same networks"

    # 3. Interrupted at the time-limit signal, requeued, resumed: the file equals an
    #    uninterrupted run. Big enough to be caught in the middle (the first progress line comes
    #    after about a second; 200 networks of N = 200 took only 0.9 s on a faster VM, so the
    #    compute grows with N^2 x T: about 3-4 s here), with rounds of 0.3 s so that the first
    #    networks are on disk (marked done one round after being written) before the signal.
    networks=100
    big="rate --networks $networks --neurons 400 --trials 1 --steps 2000 --gain 1.5 --seed 5 --round-seconds 0.3"
    # shellcheck disable=SC2086
    direct "$WORK/reference_big.h5" $big
    jobid="$(DATASET_ARGS="$big" OUT="$WORK/big.h5" sbatch --parsable --job-name=sw-dataset-requeue \
      --output="$WORK/requeue.log" --chdir="$WORK" --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=10 \
      "$TEMPLATES/dataset_array.sbatch")" || fail "sbatch failed"
    stop_at_time_limit "$jobid" 'networks ('
    done_before="$(sed -n 's/^\[spikeweave\] \([0-9]*\) networks already done, .*/\1/p' requeue.log | head -n 1)"
    [ -n "$done_before" ] || fail "the second slice did not resume a partly written file"
    if [ "$done_before" -le 0 ] || [ "$done_before" -ge "$networks" ]; then
      fail "resumed with $done_before of $networks networks done: the signal did not interrupt the run"
    fi
    same_datasets "$WORK/big.h5" "$WORK/reference_big.h5"
    rm -f "$WORK/big.h5" "$WORK/reference_big.h5" # about 320 MB each
    say "one file from 2 ranks, 2 array shards, a requeued run resumed at $done_before of $networks: all identical to direct runs"
    ;;

  sweep)
    # `spikeweave sweep` through slurm/templates/sweep.sbatch: one 2-rank job, a 2-task array plus
    # its merge job, and a job stopped at the time-limit signal (USR1, as --signal=B:USR1@120
    # sends it), requeued and resumed: every table equals a one-process run outside SLURM.
    cp "$SOURCE_DIR/tests/jobs/sweep/small_net.toml" "$SOURCE_DIR/tests/jobs/sweep/small_sweep.toml" "$WORK/"
    same_table() { # same_table FILE REFERENCE
      "$PYTHON" - "$1" "$2" << 'EOF' || fail "$1 differs from the reference $2"
import sys
import h5py
import numpy as np
def table(path):
    out = {}
    with h5py.File(path, "r") as f:
        assert np.all(f["done"][()] == 1), path + ": not every point is done"
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()].tobytes()) if isinstance(obj, h5py.Dataset)
                     and not name.endswith("_seconds") else None)
    return out
a, b = table(sys.argv[1]), table(sys.argv[2])
assert sorted(a) == sorted(b), (sorted(a), sorted(b))
different = [name for name in a if a[name] != b[name]]
assert not different, different
print(sys.argv[1], ":", len(a), "datasets identical to the reference")
EOF
    }
    "$SPIKEWEAVE" sweep "$WORK/small_sweep.toml" --quiet --out "$WORK/reference.h5" || fail "direct sweep failed"

    # 1. One job, 2 ranks, one point per rank at a time.
    SWEEP="$WORK/small_sweep.toml" OUT="$WORK/one.h5" submit one_file "$TEMPLATES/sweep.sbatch" --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "the sweep job exited with $JOB_RC"
    same_table "$WORK/one.h5" "$WORK/reference.h5"

    # 2. A job array of 2 shards (shard.0.h5, shard.1.h5), then the merge job.
    SWEEP="$WORK/small_sweep.toml" OUT="$WORK/shard.h5" submit array "$TEMPLATES/sweep.sbatch" \
      --ntasks-per-node=1 --array=0-1
    [ "$JOB_RC" = 0 ] || fail "the sweep array exited with $JOB_RC"
    [ -e "$WORK/shard.0.h5" ] && [ -e "$WORK/shard.1.h5" ] || fail "the array did not write shard.0.h5 and shard.1.h5"
    SWEEP="$WORK/small_sweep.toml" OUT="$WORK/shard.h5" MERGE_SHARDS=2 submit merge "$TEMPLATES/sweep.sbatch" \
      --ntasks-per-node=2
    [ "$JOB_RC" = 0 ] || fail "the merge job exited with $JOB_RC"
    same_table "$WORK/shard.h5" "$WORK/reference.h5"

    # 3. Stopped at the time-limit signal, requeued, resumed. Longer points (2 s of model time)
    #    so that the signal lands in the middle.
    sed 's/"simulation.t_stop_ms" = 250.0/"simulation.t_stop_ms" = 2000.0/' "$WORK/small_sweep.toml" > "$WORK/long_sweep.toml"
    "$SPIKEWEAVE" sweep "$WORK/long_sweep.toml" --quiet --out "$WORK/reference_long.h5" || fail "direct long sweep failed"
    jobid="$(SWEEP="$WORK/long_sweep.toml" OUT="$WORK/long.h5" sbatch --parsable --job-name=sw-sweep-requeue \
      --output="$WORK/requeue.log" --chdir="$WORK" --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --time=10 \
      "$TEMPLATES/sweep.sbatch")" || fail "sbatch failed"
    stop_at_time_limit "$jobid" 'sweep: [1-9][0-9]* / 12 points'
    done_before="$(sed -n 's/^\[spikeweave\] sweep .*: 12 points (\([0-9]*\) already done).*/\1/p' requeue.log | tail -n 1)"
    if [ -z "$done_before" ] || [ "$done_before" -le 0 ] || [ "$done_before" -ge 12 ]; then
      fail "the second slice resumed with '$done_before' of 12 points done: the signal did not interrupt the run"
    fi
    same_table "$WORK/long.h5" "$WORK/reference_long.h5"
    say "one 2-rank job, a 2-task array merged, a requeued sweep resumed at $done_before of 12: all identical to direct runs"
    ;;

  *) fail "unknown scenario '$SCENARIO'" ;;
esac
exit 0
