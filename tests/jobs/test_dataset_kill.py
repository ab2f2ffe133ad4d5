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

from dataset_test_support import (arguments, environment, kill_session, mpi_command, run, same_datasets,
                                  timed_run)

args = arguments(__doc__)
rng = random.Random(args.seed if args.seed is not None else int(time.time()))
work = os.path.join(args.work_dir, "kill")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
RUN_PROPER_MIN_S = 1.5  # long enough for kills at 10 ms polling to land inside the run on any VM


def dataset_command(networks):
    return ["dataset", "rate", "--networks", str(networks), "--neurons", "64", "--trials", "4", "--steps", "400",
            "--gain", "uniform:0.5,2.0", "--dale", "0.8", "--noise", "0.2", "--input-std", "0.1",
            "--round-seconds", "0.05", "--batch", "2", "-q"]


# The workload grows until the run proper (work file to exit) lasts RUN_PROPER_MIN_S: a fixed one
# finished before the kill on a fast VM (200 networks: 0.6 s with mpirun) and the test proved nothing.
M = 200
two_ranks = os.path.join(work, "two_ranks.h5")
while True:
    for leftover in (two_ranks, two_ranks + ".partial"):
        if os.path.exists(leftover):
            os.remove(leftover)
    to_partial, duration_2 = timed_run(mpi_command(args, 2, [args.binary] + dataset_command(M) + ["--out", two_ranks]),
                                       two_ranks + ".partial")
    run_proper = duration_2 - to_partial
    print("uninterrupted 2-rank run, %d networks: %.2f s, work file after %.2f s" % (M, duration_2, to_partial))
    if run_proper >= RUN_PROPER_MIN_S or M >= 20000:
        break
    M = min(20000, int(M * 1.3 * RUN_PROPER_MIN_S / max(run_proper, 0.05)) + 1)
DATASET = dataset_command(M)

# The 1-rank reference equals the 2-rank run byte for byte.
reference = os.path.join(work, "reference.h5")
start = time.time()
run([args.binary] + DATASET + ["--out", reference])
print("uninterrupted 1-rank run: %.1f s" % (time.time() - start))
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
        # Anywhere in the run proper, timed from the work file's appearance.
        while not os.path.exists(target + ".partial") and process.poll() is None and time.time() - launched < 60:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.05, 0.8) * run_proper)
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
