"""One pass through a population's spikes that gathers everything the report needs.

A full-scale run holds 10^8 spikes or more (1.6 GB of node ids and times), so the report never
loads a population whole. `scan_population` reads (node_ids, timestamps) in chunks of
`chunk_rows` and accumulates:
  - spikes per neuron (np.bincount), for rates and the rate histogram;
  - spikes per time bin of `bin_ms`, for the population rate and its spectrum;
  - the spikes of a chosen set of neurons (raster and CV of ISI), kept whole.
Memory stays at a few chunks plus the kept spikes; time is one sequential read.
"""
from dataclasses import dataclass

import numpy as np

from . import h5util
from .analysis import bin_index
from .run_file import DEFAULT_CHUNK_ROWS, SpikeTrains, iter_spike_chunks


@dataclass
class PopulationScan:
    population: str
    n_nodes: int
    n_spikes: int
    t_stop_ms: float
    counts: np.ndarray  # int64 [n_nodes], spikes per neuron
    bin_ms: float
    binned: np.ndarray  # int64 [bins], spikes of the whole population per bin [k b, (k+1) b)
    kept: SpikeTrains  # every spike of the neurons in `kept_ids`
    kept_ids: np.ndarray  # uint64, sorted


def time_bin_index(times_ms, bin_ms, n_bins):
    """Bin k holds times in [k b, (k + 1) b) (analysis.bin_index); a spike at exactly t_stop goes
    in the last bin."""
    return np.clip(bin_index(times_ms, bin_ms), 0, n_bins - 1)


def n_time_bins(t_stop_ms, bin_ms):
    return max(1, int(np.ceil(t_stop_ms / bin_ms - 1e-9)))


def scan_population(run, population, kept_ids, bin_ms, chunk_rows=DEFAULT_CHUNK_ROWS):
    """Scans one population of a RunFile (see the module docstring)."""
    info = run.population(population)
    n_bins = n_time_bins(run.t_stop_ms, bin_ms)
    counts = np.zeros(info.n_nodes, dtype=np.int64)
    binned = np.zeros(n_bins, dtype=np.int64)
    kept_ids = np.unique(np.asarray(kept_ids, dtype=np.uint64))
    wanted = np.zeros(max(info.n_nodes, 1), dtype=bool)
    wanted[kept_ids.astype(np.int64)] = True
    nodes_kept, times_kept = [], []
    with h5util.open_h5(run.path) as f:
        for nodes, times in iter_spike_chunks(f["spikes"][population], chunk_rows):
            counts += np.bincount(nodes, minlength=info.n_nodes)[:info.n_nodes]
            binned += np.bincount(time_bin_index(times, bin_ms, n_bins), minlength=n_bins)
            keep = wanted[nodes]
            nodes_kept.append(nodes[keep].astype(np.uint64))
            times_kept.append(times[keep])
    kept = SpikeTrains(population, info.n_nodes,
                       np.concatenate(nodes_kept) if nodes_kept else np.zeros(0, np.uint64),
                       np.concatenate(times_kept) if times_kept else np.zeros(0))
    return PopulationScan(population, info.n_nodes, info.n_spikes, run.t_stop_ms, counts, bin_ms,
                          binned, kept, kept_ids)
