"""Checks a spikeweave run file written by a SLURM job against a reference run of the same network.

  /usr/bin/python3 check_run_file.py FILE REFERENCE --ranks N --t-stop-ms T --population NAME=SIZE ...

FILE must be a complete SONATA spike file (/spikes/<pop>/{timestamps,node_ids}) written by N ranks
(/provenance ranks: a job whose ranks did not form one MPI world would write 1 there, or clash),
with every spike time in (0, T] (a spike is stamped at the end of its step, as in NEST) and every node id inside its population, a non-empty raster for
every population, and the same set of (node id, time) pairs as REFERENCE: results must not depend
on the number of ranks or on how they were launched (DESIGN.md invariant 1), so the tolerance is
zero. Exits 1 with a message on the first failed check.
"""
import argparse
import sys

import h5py
import numpy as np


def raster(group):
    """(node_id, time) pairs, sorted: the file's order depends on the ranks, the set must not."""
    t = group["timestamps"][:]
    n = group["node_ids"][:]
    if t.shape != n.shape:
        raise AssertionError(f"{group.name}: {t.size} timestamps but {n.size} node_ids")
    order = np.lexsort((t, n))
    return n[order], t[order]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("reference")
    parser.add_argument("--ranks", type=int, required=True)
    parser.add_argument("--t-stop-ms", type=float, required=True)
    parser.add_argument("--population", action="append", required=True, help="NAME=SIZE")
    args = parser.parse_args()
    sizes = {p.split("=")[0]: int(p.split("=")[1]) for p in args.population}
    with h5py.File(args.file, "r") as f, h5py.File(args.reference, "r") as ref:
        ranks = int(f["provenance"].attrs["ranks"])
        if ranks != args.ranks:
            raise AssertionError(f"{args.file}: written by {ranks} rank(s), expected {args.ranks}")
        if set(f["spikes"].keys()) != set(sizes):
            raise AssertionError(f"{args.file}: populations {sorted(f['spikes'].keys())}, expected {sorted(sizes)}")
        for pop, size in sizes.items():
            nodes, times = raster(f["spikes"][pop])
            if nodes.size == 0:
                raise AssertionError(f"{pop}: no spikes")
            if times.min() <= 0.0 or times.max() > args.t_stop_ms + 1e-9:
                raise AssertionError(f"{pop}: spike times [{times.min()}, {times.max()}] outside (0, {args.t_stop_ms}]")
            if nodes.max() >= size:
                raise AssertionError(f"{pop}: node id {nodes.max()} >= population size {size}")
            ref_nodes, ref_times = raster(ref["spikes"][pop])
            if not (np.array_equal(nodes, ref_nodes) and np.array_equal(times, ref_times)):
                raise AssertionError(f"{pop}: {nodes.size} spikes differ from the reference's {ref_nodes.size}")
            print(f"{pop}: {nodes.size} spikes from {ranks} ranks, identical to the reference")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (AssertionError, KeyError, OSError) as e:
        print(f"check_run_file: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
