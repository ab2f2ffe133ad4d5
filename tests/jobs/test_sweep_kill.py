#!/usr/bin/env python3
"""Kills a 2-rank `spikeweave sweep` (SIGKILL to the whole mpirun) at random moments, from MPI
start-up to the final assembly of the file, reruns the same command, and checks that the table and
the kept spikes equal an uninterrupted run's byte for byte."""
import os
import random
import shutil
import subprocess
import sys
import time

from dataset_test_support import arguments, check_error, environment, kill_session, mpi_command, run
from sweep_test_support import differences, sweep_files

args = arguments(__doc__)
rng = random.Random(args.seed if args.seed is not None else int(time.time()))
work = os.path.join(args.work_dir, "sweep_kill")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sweep = sweep_files(args.source_dir, work)
# Longer points than the CLI test's, so that kills land between points and inside them.
with open(sweep) as f:
    text = f.read()
with open(sweep, "w") as f:
    f.write(text.replace('"simulation.t_stop_ms" = 250.0', '"simulation.t_stop_ms" = 1000.0'))


def command(out):
    return mpi_command(args, 2, [args.binary, "sweep", sweep, "--out", out, "-q"])


reference = os.path.join(work, "reference.h5")
start = time.time()
run(command(reference), timeout=200)
duration = time.time() - start
print("uninterrupted 2-rank run (mpirun included): %.1f s" % duration)

target = os.path.join(work, "killed.h5")
changed = os.path.join(work, "changed.toml")
failures = []
change_refused = False
parts = target + ".parts"
mid_run_kills = 0
for attempt in range(8):
    shutil.rmtree(parts, ignore_errors=True)
    if os.path.exists(target):
        os.remove(target)
    launched = time.time()
    process = subprocess.Popen(command(target), env=environment(), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.15, 1.0) * duration)
    delay = time.time() - launched
    kill_session(process.pid)
    process.wait()
    done = len([p for p in os.listdir(parts) if p.endswith(".bin")]) if os.path.isdir(parts) else None
    state = ("complete" if os.path.exists(target) else
             "%d of 12 points saved" % done if done is not None else "no work directory yet")
    print("attempt %d: killed after %.2f s: %s" % (attempt, delay, state))
    # An unfinished run is not resumed with a changed sweep file: refused, naming the change.
    if not change_refused and os.path.isdir(parts) and not os.path.exists(target):
        with open(changed, "w") as f:
            f.write(text.replace("values = [1.5, 2.5]", "values = [1.5, 2.0]").replace(
                '"simulation.t_stop_ms" = 250.0', '"simulation.t_stop_ms" = 1000.0'))
        check_error(args, failures, ["sweep", changed, "--out", target],
                    "an unfinished run with different parameters exists")
        check_error(args, failures, ["sweep", changed, "--out", target], "axis.eta.values: file [1.5, 2.5], now [1.5, 2.0]")
        if failures:
            sys.exit("\n".join(failures))
        change_refused = True
    # A second kill of the resumed run, then the final resume.
    if attempt % 2 == 1 and not os.path.exists(target):
        process = subprocess.Popen(command(target), env=environment(), start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 0.6) * duration)
        kill_session(process.pid)
        process.wait()
    run(command(target), timeout=200)
    diff = differences(reference, target)
    if diff:
        sys.exit("after a kill at %.2f s (%s) and a rerun, the table differs in: %s" % (delay, state, diff))
    if done is not None and 0 < done < 12:
        mid_run_kills += 1
    if mid_run_kills >= 3 and attempt >= 4:
        break
if not change_refused:
    sys.exit("no kill left an unfinished run to try a changed sweep file on")
if mid_run_kills == 0:
    sys.exit("no kill landed in the middle of a run; the test proved nothing")
print("OK: %d kills in the middle of a run, tables identical after each rerun" % mid_run_kills)
