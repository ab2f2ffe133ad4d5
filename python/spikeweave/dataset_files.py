"""Readers of the dataset files written by `spikeweave dataset rate|spiking` and of sweep and fit
files. Layouts: io/dataset_rate_file.hpp, io/dataset_spiking_file.hpp, io/dataset_fit_file.hpp;
sweep files (/points/<axis>, /metrics/<population>/<metric>, /done) as in the design.

Bulk arrays are read per network (`network(m)`, `instance(m)`), never the whole file at once.
"""
from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np

from . import h5util
from .errors import SpikeWeaveFileError


def _params_table(dataset):
    """A compound /params dataset as {column: array}."""
    rows = dataset[()]
    return {name: np.asarray(rows[name]) for name in rows.dtype.names or ()}


@dataclass
class RateNetwork:
    """Network m of a rate dataset. W[i, j] is the weight from neuron j onto neuron i;
    activity[k, t, i] is x = phi(h) of neuron i after step t + 1 of trial k."""
    index: int
    W: np.ndarray  # [N, N]
    input: np.ndarray  # [N]
    h0: np.ndarray  # [K, N]
    activity: np.ndarray  # float32 [K, T, N]
    params: Dict[str, float] = field(default_factory=dict)


class RateDataset:
    """A rate dataset: M networks of N neurons, K trials of T steps each."""

    def __init__(self, path):
        self.path = str(path)
        with h5util.open_h5(self.path) as f:
            if "W" not in f or "activity" not in f or "done" not in f:
                raise SpikeWeaveFileError(self.path, "not a SpikeWeave rate dataset (no /W, "
                                          "/activity or /done)")
            self.networks, self.neurons, _ = f["W"].shape
            _, self.trials, self.steps, _ = f["activity"].shape
            self.dtype = f["W"].dtype
            self.done = f["done"][()].astype(bool)
            self.params = _params_table(f["params"]) if "params" in f else {}
            self.provenance = h5util.attrs_dict(f["provenance"]) if "provenance" in f else {}
            self.has_h = "h" in f
            self.lyapunov_per_ms = f["lyapunov_per_ms"][()] if "lyapunov_per_ms" in f else None

    @property
    def spec(self):
        return str(self.provenance.get("spec", ""))

    @property
    def n_done(self):
        return int(self.done.sum())

    @property
    def param_columns(self):
        return [name for name in self.params if name != "network"]

    def network(self, m):
        """Reads network m (weights, input, initial states, activity, its /params row)."""
        if not 0 <= m < self.networks:
            raise IndexError(f"{self.path}: network {m} is out of range 0..{self.networks - 1}")
        with h5util.open_h5(self.path) as f:
            return RateNetwork(m, f["W"][m], f["input"][m], f["h0"][m], f["activity"][m],
                               {k: float(v[m]) for k, v in self.params.items()})


@dataclass
class SpikingInstance:
    """Instance m of a spiking dataset: spikes per population, connectivity per projection."""
    index: int
    spikes: Dict[str, tuple]  # population -> (node_ids uint64, times_ms float64)
    connectivity: Dict[str, dict]  # projection -> {source, target, weight, delay_ms}
    params: Dict[str, float] = field(default_factory=dict)


class SpikingDataset:
    """A spiking dataset: M instances of one spiking network, spikes and connectivity stored
    instance by instance with index_pointers [M + 1]."""

    def __init__(self, path):
        self.path = str(path)
        with h5util.open_h5(self.path) as f:
            if "connectivity" not in f or "spikes" not in f or "done" not in f:
                raise SpikeWeaveFileError(self.path, "not a SpikeWeave spiking dataset (no "
                                          "/spikes, /connectivity or /done)")
            self.populations = h5util.child_names(f["spikes"])
            self.projections = h5util.child_names(f["connectivity"])
            self.instances = h5util.length(f["done"])
            self.done = f["done"][()].astype(bool)
            self.spike_pointers = {p: f["spikes"][p]["index_pointers"][()]
                                   for p in self.populations}
            self.synapse_pointers = {q: f["connectivity"][q]["index_pointers"][()]
                                     for q in self.projections}
            self.params = _params_table(f["params"]) if "params" in f else {}
            self.provenance = h5util.attrs_dict(f["provenance"]) if "provenance" in f else {}

    @property
    def spec(self):
        return str(self.provenance.get("spec", ""))

    def spike_counts(self, population):
        """Spikes of `population` per instance (int64 [M])."""
        return np.diff(self.spike_pointers[population]).astype(np.int64)

    def synapse_counts(self, projection):
        return np.diff(self.synapse_pointers[projection]).astype(np.int64)

    def total_spikes(self, population):
        return int(self.spike_pointers[population][-1]) if self.instances else 0

    def instance(self, m):
        if not 0 <= m < self.instances:
            raise IndexError(f"{self.path}: instance {m} is out of range 0..{self.instances - 1}")
        with h5util.open_h5(self.path) as f:
            spikes = {}
            for p in self.populations:
                a, b = self.spike_pointers[p][m], self.spike_pointers[p][m + 1]
                group = f["spikes"][p]
                spikes[p] = (group["node_ids"][a:b], group["timestamps"][a:b])
            connectivity = {}
            for q in self.projections:
                a, b = self.synapse_pointers[q][m], self.synapse_pointers[q][m + 1]
                group = f["connectivity"][q]
                connectivity[q] = {name: group[name][a:b]
                                   for name in ("source", "target", "weight", "delay_ms")}
            return SpikingInstance(m, spikes, connectivity,
                                   {k: float(v[m]) for k, v in self.params.items()})


class SweepFile:
    """A sweep file: one row per point. `points[axis]` holds each point's value of an axis,
    `metrics[population][metric]` each point's metric, `done` which points are complete."""

    def __init__(self, path):
        self.path = str(path)
        with h5util.open_h5(self.path) as f:
            if "points" not in f or "metrics" not in f:
                raise SpikeWeaveFileError(self.path, "not a SpikeWeave sweep file (no /points "
                                          "or /metrics)")
            self.points = {axis: f["points"][axis][()] for axis in f["points"]}
            self.metrics = {}
            for name, node in f["metrics"].items():
                if hasattr(node, "keys"):
                    self.metrics[name] = {m: node[m][()] for m in node}
                else:  # a metric stored directly under /metrics
                    self.metrics[name] = node[()]
            self.done = f["done"][()].astype(bool) if "done" in f else None
            self.provenance = h5util.attrs_dict(f["provenance"]) if "provenance" in f else {}

    @property
    def n_points(self):
        lengths = [len(v) for v in self.points.values()]
        return max(lengths) if lengths else 0

    @property
    def axes(self) -> List[str]:
        return list(self.points)


@dataclass
class FitResult:
    """The file written by `spikeweave fit`: fitted and true W, loss per iteration, numbers."""
    path: str
    W_fit: np.ndarray
    W_true: np.ndarray
    loss: np.ndarray
    attributes: Dict[str, object]


def read_fit(path):
    with h5util.open_h5(path) as f:
        if "W_fit" not in f:
            raise SpikeWeaveFileError(path, "not a SpikeWeave fit file (no /W_fit)")
        return FitResult(str(path), f["W_fit"][()], f["W_true"][()],
                         f["loss"][()] if "loss" in f else np.zeros(0), h5util.attrs_dict(f))
