#!/usr/bin/python3
"""Per-phase seconds of COBA for several SpikeWeave binaries, runs alternating:

    phases.py REPS euler|exponential_euler BINARY [BINARY ...]

Prints a Markdown table of medians (min-max) of provenance/phase_seconds, simulate_seconds,
build_seconds and the process's CPU seconds (user + system) per binary.
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

import h5py

reps, integ, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
work = tempfile.mkdtemp(prefix="swphases-")
toml = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "networks", "coba.toml")
res = {b: [] for b in bins}
for rep in range(reps):
    order = bins if rep % 2 == 0 else bins[::-1]
    for b in order:
        out = os.path.join(work, "phases.h5")
        cmd = [b, "run", toml, "--output", out, "--overwrite", "--quiet",
               "--set", f'population[0].params.integrator="{integ}"',
               "--set", f'population[1].params.integrator="{integ}"']
        u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        with h5py.File(out) as f:
            ph = {k: float(v) for k, v in f["provenance/phase_seconds"].attrs.items()}
            c = {k: float(v) for k, v in f["provenance/counters"].attrs.items()}
        ph["simulate"] = c["simulate_seconds"]
        ph["cpu"] = (u1.ru_utime + u1.ru_stime) - (u0.ru_utime + u0.ru_stime)
        res[b].append(ph)
keys = ["update", "deliver", "exchange", "record", "io", "stimulus", "plasticity", "simulate", "build", "cpu"]
shutil.rmtree(work, ignore_errors=True)
print("| phase [s] | " + " | ".join(os.path.basename(b) for b in bins) + " |")
print("|---|" + "---|" * len(bins))
for k in keys:
    print(f"| {k} | " + " | ".join(
        f"{statistics.median(r[k] for r in res[b]):.4f} ({min(r[k] for r in res[b]):.4f}-{max(r[k] for r in res[b]):.4f})"
        for b in bins) + " |")
