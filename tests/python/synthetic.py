"""Writes small files in SpikeWeave's run-file layout (io/SCHEMA.md) with h5py, for the edge
cases a real run rarely produces (huge spike counts, odd shapes) and for fast unit tests."""
import h5py
import numpy as np

CONFIG = """[simulation]
dt_ms = 0.1
t_stop_ms = {t_stop}
seed = 1

[[population]]
name = "exc"
size = {n}
model = "lif_psc_exp"
"""


def write_run_file(path, populations, t_stop_ms=1000.0, weights=None, report=None,
                   chunk_rows=65536):
    """populations: {name: (n_nodes, node_ids, times_ms)}; weights: {projection: dict(time_ms,
    source, target, weight, **variables)}; report: {population: (node_ids, data[samples, n])}."""
    with h5py.File(path, "w") as f:
        spikes = f.create_group("spikes")
        for name, (n_nodes, ids, times) in populations.items():
            g = spikes.create_group(name)
            g.attrs["sorting"] = "none"
            g.attrs["n_nodes"] = np.int64(n_nodes)
            chunks = (chunk_rows,)  # as the run output's: a spike dataset grows by appends
            g.create_dataset("node_ids", data=np.asarray(ids, np.uint64), maxshape=(None,),
                             chunks=chunks)
            ts = g.create_dataset("timestamps", data=np.asarray(times, np.float64),
                                  maxshape=(None,), chunks=chunks)
            ts.attrs["units"] = "ms"
        for name, w in (weights or {}).items():
            g = f.create_group("weights").create_group(name) if "weights" not in f else \
                f["weights"].create_group(name)
            for key, value in w.items():
                g.create_dataset(key, data=value)
            g["weight"].attrs["units"] = "pA"
        for name, (ids, data) in (report or {}).items():
            g = f.require_group("report").create_group(name)
            g.create_dataset("data", data=np.asarray(data, np.float32)).attrs["units"] = "mV"
            m = g.create_group("mapping")
            m.create_dataset("node_ids", data=np.asarray(ids, np.uint64))
            m.create_dataset("time", data=np.array([0.0, t_stop_ms, t_stop_ms / len(data)]))
        p = f.create_group("provenance")
        first = next(iter(populations.values()), (1,))
        p.attrs["config_toml"] = CONFIG.format(t_stop=t_stop_ms, n=first[0])
        p.attrs["command_line"] = "synthetic"
        p.attrs["version"] = "test"
        p.attrs["git_commit"] = "none"
        p.attrs["ranks"] = np.int64(1)
        p.attrs["backend"] = "Serial"
        p.attrs["dt_ms"] = 0.1
        p.attrs["t_stop_ms"] = float(t_stop_ms)
        p.attrs["seed"] = np.int64(1)
        p.create_group("phase_seconds").attrs["update"] = 0.5
        p.create_group("counters").attrs["spikes"] = np.uint64(
            sum(len(v[1]) for v in populations.values()))
    return path


def poisson_population(n_nodes, rate_hz, t_stop_ms, seed=0):
    """Independent Poisson trains: (n_nodes, node_ids, times_ms), unsorted like a real file."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rate_hz * t_stop_ms * 1e-3, n_nodes)
    ids = np.repeat(np.arange(n_nodes, dtype=np.uint64), counts)
    times = rng.uniform(0, t_stop_ms, counts.sum())
    order = rng.permutation(len(ids))
    return n_nodes, ids[order], times[order]
