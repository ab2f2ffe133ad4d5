#!/usr/bin/env python3
"""Kills a 2-rank `spikeweave dataset rate` (SIGKILL to the whole mpirun) at random moments,
reruns the same command, and checks that every dataset equals an uninterrupted run's byte for
byte, and that the file reads back with h5py."""
import os
import random
import shutil
import subprocess
import sys
import time

import h5py
import numpy as np

from dataset_test_support import arguments, environment, kill_session, mpi_command, run, same_datasets



args = arguments(__doc__)
rng = random.Random(args.seed if args.seed is not None else int(time.time()))
work = os.path.join(args.work_dir, "kill")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
M = 200
DATASET = ["dataset", "rate", "--networks", str(M), "--neurons", "64", "--trials", "4", "--steps", "400",
           "--gain", "uniform:0.5,2.0", "--dale", "0.8", "--noise", "0.2", "--input-std", "0.1",
           "--round-seconds", "0.05", "--batch", "2", "-q"]

reference = os.path.join(work, "reference.h5")
start = time.time()
run([args.binary] + DATASET + ["--out", reference])
duration = time.time() - start
print("uninterrupted 1-rank run: %.1f s" % duration)

# An uninterrupted 2-rank run: equal to the 1-rank one, and it times the runs to kill.
two_ranks = os.path.join(work, "two_ranks.h5")
start = time.time()
run(mpi_command(args, 2, [args.binary] + DATASET + ["--out", two_ranks]))
duration_2 = time.time() - start
print("uninterrupted 2-rank run (mpirun included): %.1f s" % duration_2)
differences = same_datasets(reference, two_ranks)
if differences:
    sys.exit("1 and 2 ranks differ: " + "; ".join(differences))

target = os.path.join(work, "killed.h5")
mid_run_kills = 0
for attempt in range(6):
    for leftover in (target, target + ".partial", target + ".partial.creating"):
        if os.path.exists(leftover):
            os.remove(leftover)
    # Every other attempt without the per-round fsync: a barrier alone orders data before flags.
    sync = [] if attempt % 2 == 0 else ["--no-sync"]
    launched = time.time()
    process = subprocess.Popen(mpi_command(args, 2, [args.binary] + DATASET + sync + ["--out", target]),
                               env=environment(), start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if attempt == 0:
        # Anywhere from the launch on: MPI start-up, the creation of the work file, the run.
        time.sleep(rng.uniform(0.2, 1.0) * duration_2)
    else:
        # Anywhere in the run proper: 2 ranks take about half of the 1-rank time.
        while not os.path.exists(target + ".partial") and process.poll() is None and time.time() - launched < 60:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.6) * duration)
    delay = time.time() - launched
    kill_session(process.pid)
    process.wait()
    done = None
    if os.path.exists(target + ".partial"):
        with h5py.File(target + ".partial", "r") as f:
            done = int(f["done"][()].sum())
    state = ("complete" if os.path.exists(target) else
             "%s of %d networks marked done" % (done, M) if done is not None else "no work file yet")
    print("attempt %d%s: killed after %.2f s: %s" % (attempt, " (--no-sync)" if sync else "", delay, state))
    run(mpi_command(args, 2, [args.binary] + DATASET + ["--out", target]))
    differences = same_datasets(reference, target)
    if differences:
        sys.exit("after a kill at %.2f s (%s) and a rerun: %s" % (delay, state, "; ".join(differences)))
    if done is not None and 0 < done < M:
        mid_run_kills += 1
    if mid_run_kills >= 3 and attempt >= 3:
        break
if mid_run_kills == 0:
    sys.exit("no kill landed in the middle of a run; the test proved nothing")

with h5py.File(target, "r") as f:
    w = f["W"][5]
    activity = f["activity"][5]
    assert w.shape == (64, 64) and activity.shape == (4, 400, 64), (w.shape, activity.shape)
    assert np.all(f["done"][()] == 1)
    assert np.all(np.isfinite(activity)) and np.abs(activity).max() <= 1.0
    assert f["params"]["network"][5] == 5
print("OK: %d kills in the middle of a run, datasets identical after each rerun" % mid_run_kills)
