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

from dataset_test_support import arguments, check_error, environment, kill_session, mpi_command, run, timed_run
from sweep_test_support import differences, sweep_files

args = arguments(__doc__)
rng = random.Random(args.seed if args.seed is not None else int(time.time()))
work = os.path.join(args.work_dir, "sweep_kill")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sweep = sweep_files(args.source_dir, work)
with open(sweep) as f:
    text = f.read()
RUN_PROPER_MIN_S = 1.5  # long enough for kills to land inside the run on any VM


def write_sweep(path, t_stop_ms, replace=None):
    """The sweep file with points of t_stop_ms (longer than the CLI test's, so that kills land
    between points and inside them)."""
    changed = text if replace is None else text.replace(*replace)
    with open(path, "w") as f:
        f.write(changed.replace('"simulation.t_stop_ms" = 250.0', '"simulation.t_stop_ms" = %.1f' % t_stop_ms))


def command(out):
    return mpi_command(args, 2, [args.binary, "sweep", sweep, "--out", out, "-q"])


# The points grow until the run proper (work directory to exit) lasts RUN_PROPER_MIN_S: with fixed
# ones most kills landed before the work directory existed on a fast VM (whole run 0.6 s).
t_stop_ms = 1000.0
reference = os.path.join(work, "reference.h5")
while True:
    write_sweep(sweep, t_stop_ms)
    shutil.rmtree(reference + ".parts", ignore_errors=True)
    if os.path.exists(reference):
        os.remove(reference)
    to_parts, duration = timed_run(command(reference), reference + ".parts")
    run_proper = duration - to_parts
    print("uninterrupted 2-rank run, points of %.0f ms: %.2f s, work directory after %.2f s" %
          (t_stop_ms, duration, to_parts))
    if run_proper >= RUN_PROPER_MIN_S or t_stop_ms >= 20000.0:
        break
    t_stop_ms = min(20000.0, round(t_stop_ms * 1.3 * RUN_PROPER_MIN_S / max(run_proper, 0.05), -2))

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
    if attempt % 4 == 0:
        # Anywhere from the launch on: MPI start-up, the creation of the work directory, the run.
        time.sleep(rng.uniform(0.15, 1.0) * duration)
    else:
        # Anywhere in the run proper, timed from the work directory's appearance.
        while not os.path.isdir(parts) and process.poll() is None and time.time() - launched < 60:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.05, 0.9) * run_proper)
    delay = time.time() - launched
    kill_session(process.pid)
    process.wait()
    done = len([p for p in os.listdir(parts) if p.endswith(".bin")]) if os.path.isdir(parts) else None
    state = ("complete" if os.path.exists(target) else
             "%d of 12 points saved" % done if done is not None else "no work directory yet")
    print("attempt %d: killed after %.2f s: %s" % (attempt, delay, state))
    # An unfinished run is not resumed with a changed sweep file: refused, naming the change.
    if not change_refused and os.path.isdir(parts) and not os.path.exists(target):
        write_sweep(changed, t_stop_ms, ("values = [1.5, 2.5]", "values = [1.5, 2.0]"))
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
        time.sleep(rng.uniform(0.1, 0.6) * duration)  # start-up or run
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
