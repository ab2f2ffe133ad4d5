"""Times `spikeweave report` on a file as large as a full-scale microcircuit run: 77,169 neurons
in the 8 populations of Potjans & Diesmann (2014) and 10^8 spikes (1.6 GB), written in
SpikeWeave's run-file layout (tests/python/synthetic.py) in blocks of 1 s, time-ordered per block
like a real run's flushes. Rates are Poisson, scaled so that the total is the requested count.

    PYTHONPATH=python /usr/bin/python3 benchmarks/report/huge_report.py OUT_DIR [SPIKES]

Prints the file size, the report's wall time and peak memory, and the HTML's size.
"""
import os
import resource
import sys
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "python"))

POPULATIONS = {"L23E": (20683, 0.9), "L23I": (5834, 2.8), "L4E": (21915, 4.4),
               "L4I": (5479, 5.7), "L5E": (4850, 7.6), "L5I": (1065, 8.4), "L6E": (14395, 1.1),
               "L6I": (2948, 7.6)}  # (neurons, relative rate as in the model's mean rates)
T_STOP_MS = 60_000.0
BLOCK_MS = 1000.0


def write_huge(path, total_spikes):
    import synthetic
    synthetic.write_run_file(path, {name: (n, [], []) for name, (n, _) in POPULATIONS.items()},
                             t_stop_ms=T_STOP_MS, chunk_rows=65536)
    weight = sum(n * r for n, r in POPULATIONS.values())
    scale = total_spikes / (weight * T_STOP_MS * 1e-3)  # Hz per unit of relative rate
    rng = np.random.default_rng(1)
    with h5py.File(path, "a") as f:
        for name, (n, relative) in POPULATIONS.items():
            ids_set, times_set = f["spikes"][name]["node_ids"], f["spikes"][name]["timestamps"]
            for start in np.arange(0.0, T_STOP_MS, BLOCK_MS):
                counts = rng.poisson(scale * relative * BLOCK_MS * 1e-3, n)
                ids = np.repeat(np.arange(n, dtype=np.uint64), counts)
                times = np.round(start + rng.uniform(0, BLOCK_MS, len(ids)), 1) + 0.1
                order = np.argsort(times, kind="stable")
                old = ids_set.shape[0]
                ids_set.resize((old + len(ids),))
                times_set.resize((old + len(ids),))
                ids_set[old:] = ids[order]
                times_set[old:] = times[order]
        f["provenance/counters"].attrs["spikes"] = np.uint64(
            sum(f["spikes"][p]["node_ids"].shape[0] for p in POPULATIONS))


def main():
    out_dir = sys.argv[1]
    total = int(float(sys.argv[2])) if len(sys.argv) > 2 else 100_000_000
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "huge.h5")
    if not os.path.exists(path):
        started = time.time()
        write_huge(path, total)
        print(f"wrote {path} in {time.time() - started:.0f} s")
    with h5py.File(path, "r") as f:
        spikes = sum(f["spikes"][p]["node_ids"].shape[0] for p in f["spikes"])
    print(f"{path}: {os.path.getsize(path) / 2**30:.2f} GiB, {spikes:,} spikes")
    from spikeweave import write_report
    started = time.time()
    html = write_report(path, os.path.join(out_dir, "huge.html"))
    seconds = time.time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"report {html}: {seconds:.1f} s, peak RSS {peak:.0f} MiB, "
          f"{os.path.getsize(html) / 2**20:.2f} MiB")


if __name__ == "__main__":
    main()
