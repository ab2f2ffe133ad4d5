"""Helpers of the sweep integration tests (run with /usr/bin/python3)."""
import os
import shutil

import h5py

# Everything but the wall and CPU seconds must be identical across ranks, grouping, kills.
VARYING = ("metrics/wall_seconds", "metrics/cpu_seconds")


def table(path):
    """Every dataset of a sweep file except /provenance and the timings, as bytes."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("provenance") and name not in VARYING:
                out[name] = obj[()].tobytes()
        f.visititems(visit)
    return out


def differences(path_a, path_b):
    a, b = table(path_a), table(path_b)
    return sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))


def sweep_files(source_dir, work):
    """Copies the test network and sweep into `work`; returns the sweep file's path."""
    for name in ("small_net.toml", "small_sweep.toml"):
        shutil.copy(os.path.join(source_dir, "tests", "jobs", "sweep", name), work)
    return os.path.join(work, "small_sweep.toml")
