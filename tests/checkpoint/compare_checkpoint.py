"""Comparisons shared by the checkpoint tests: run output files and checkpoint states, bitwise.

Entries are compared as sets keyed by their identities (spikes by (time, node id), checkpoint
entries by their keys, recorded synapses by (source, target)), because files written by
different numbers of ranks list the same entries in another order."""
import h5py
import numpy as np


def _sorted_rows(keys, values):
    keys = np.asarray(keys, dtype=np.uint64)  # [entries, key width]
    values = np.asarray(values)               # [entries, value width]
    order = np.lexsort(keys.T[::-1]) if len(keys) else np.arange(0)
    return keys[order], values[order]


def _segmented_keys(group):
    """Keys (owner gid, index among the owner's entries) of a segmented key set (layout 2: a
    projection's synapses, each target's in a canonical order)."""
    owners = group["owners"][...].astype(np.uint64)
    counts = group["counts"][...].astype(np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    index = np.arange(int(counts.sum()), dtype=np.int64) - starts
    return np.stack([np.repeat(owners, counts), index.astype(np.uint64)], axis=1)


def _block_keys(f, obj):
    if "key_set" not in obj.attrs:
        return obj["keys"][...]
    keys = f[obj.attrs["key_set"]]
    return _segmented_keys(keys) if isinstance(keys, h5py.Group) else keys[...]


def state_blocks(path):
    """{block name: (keys, values)} of a checkpoint's state.h5, sorted by key, duplicate keys
    (rows that several ranks hold) merged after checking that they agree."""
    blocks = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Group) and "name" in obj.attrs:
                # Blocks of a key set (a projection's synapses, a population) share /keys/<set>.
                keys = _block_keys(f, obj)
                keys, values = _sorted_rows(keys, obj["values"][...])
                if len(keys):
                    same = np.all(keys[1:] == keys[:-1], axis=1)
                    dup = np.concatenate([[False], same])
                    bits = values.view(f"u{values.dtype.itemsize}")  # bitwise: NaN == NaN, -0.0 != 0.0
                    prev = np.concatenate([bits[:1], bits[:-1]])
                    bad = dup & ~np.all(bits == prev, axis=1)
                    if np.any(bad):
                        raise AssertionError(f"{path}: block {obj.attrs['name']}: ranks disagree on a row")
                    keys, values = keys[~dup], values[~dup]
                blocks[obj.attrs["name"]] = (keys, values)
        f.visititems(visit)
    return blocks


def compare_states(a, b):
    """Problems (a list of strings) between two checkpoints' state.h5 files; [] if bitwise equal."""
    problems = []
    blocks_a, blocks_b = state_blocks(a), state_blocks(b)
    if set(blocks_a) != set(blocks_b):
        problems.append(f"blocks differ: {sorted(set(blocks_a) ^ set(blocks_b))}")
    for name in sorted(set(blocks_a) & set(blocks_b)):
        ka, va = blocks_a[name]
        kb, vb = blocks_b[name]
        if ka.shape != kb.shape or not np.array_equal(ka, kb):
            problems.append(f"{name}: keys differ ({len(ka)} vs {len(kb)} entries)")
        elif va.tobytes() != vb.tobytes():
            n = int(np.sum(np.any(va != vb, axis=1))) if va.shape == vb.shape else -1
            problems.append(f"{name}: values differ in {n} entries")
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        if fa.attrs["step"] != fb.attrs["step"]:
            problems.append(f"steps differ: {fa.attrs['step']} vs {fb.attrs['step']}")
    return problems


def output_contents(path):
    """The recorded contents of a run output file, in a rank-independent order."""
    out = {}
    with h5py.File(path, "r") as f:
        for pop in f.get("spikes", {}):
            t = f[f"spikes/{pop}/timestamps"][...]
            n = f[f"spikes/{pop}/node_ids"][...]
            order = np.lexsort((n, t))
            out[f"spikes/{pop}"] = (t[order].tobytes(), n[order].tobytes())
        for pop in f.get("report", {}):
            ids = f[f"report/{pop}/mapping/node_ids"][...]
            order = np.argsort(ids, kind="stable")
            out[f"report/{pop}"] = (ids[order].tobytes(), f[f"report/{pop}/data"][...][:, order].tobytes(),
                                    f[f"report/{pop}/mapping/time"][...].tobytes())
        for proj in f.get("weights", {}):
            g = f[f"weights/{proj}"]
            order = np.lexsort((g["target"][...], g["source"][...]))
            entry = [g["source"][...][order].tobytes(), g["target"][...][order].tobytes(),
                     g["time_ms"][...].tobytes()]
            for name in sorted(g):
                if name not in ("source", "target", "time_ms"):
                    entry.append((name, g[name][...][:, order].tobytes()))
            out[f"weights/{proj}"] = tuple(entry)
    return out


def compare_outputs(a, b):
    ca, cb = output_contents(a), output_contents(b)
    problems = []
    if set(ca) != set(cb):
        problems.append(f"groups differ: {sorted(set(ca) ^ set(cb))}")
    for key in sorted(set(ca) & set(cb)):
        if ca[key] != cb[key]:
            problems.append(f"{key} differs")
    return problems
