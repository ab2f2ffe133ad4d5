"""Reader of a run file written by `spikeweave run` (layout: io/SCHEMA.md).

    /spikes/<population>/{timestamps, node_ids}       SONATA spikes, attr n_nodes on the group
    /report/<population>/data, mapping/{node_ids, time}  membrane potential samples
    /weights/<projection>/{time_ms, source, target, weight, <plastic variable>...}
    /provenance (attrs), /provenance/phase_seconds (attrs), /provenance/counters (attrs)
    /provenance/energy (attrs; one subgroup per platform)
    /presentations/stimulus_<i>/{start_ms, sample}     encoder presentations

Every method opens the file, reads what it needs and closes it again, so a RunFile can be kept
around cheaply and the file is never held open. Nothing reads a whole spike dataset unless asked:
`spike_counts` and `spikeweave.streaming.scan_population` go through it in chunks.
"""
from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np

from . import h5util
from .errors import SpikeWeaveFileError

# Rows read at once when streaming through a spike dataset (2 x 32 MiB for uint64 + float64).
DEFAULT_CHUNK_ROWS = 1 << 22

WEIGHT_ID_DATASETS = ("source", "target", "time_ms", "weight")


@dataclass
class Provenance:
    """What produced the file: /provenance and its phase_seconds and counters subgroups."""
    config_toml: str = ""
    command_line: str = ""
    version: str = ""
    git_commit: str = ""
    ranks: int = 0
    backend: str = ""
    dt_ms: float = 0.0
    t_stop_ms: float = 0.0
    seed: int = 0
    phase_seconds: Dict[str, float] = field(default_factory=dict)  # [s], max over ranks
    counters: Dict[str, float] = field(default_factory=dict)  # neurons, synapses, spikes, ...
    attributes: Dict[str, object] = field(default_factory=dict)  # every attribute, raw
    # /provenance/energy: synops, neuron_updates, spikes, table_path, table_toml (empty if absent)
    energy: Dict[str, object] = field(default_factory=dict)
    # per platform of the energy table: pj_per_synop, ..., joules, source
    energy_platforms: Dict[str, Dict[str, object]] = field(default_factory=dict)


@dataclass
class Presentations:
    """An encoder stimulus' presentations: window start and data-file row of each."""
    name: str
    start_ms: np.ndarray  # float64 [presentations]
    sample: np.ndarray  # int64 [presentations], row of the data file
    attributes: Dict[str, object] = field(default_factory=dict)  # kind, data, present_ms, ...

    def sample_of(self, times_ms):
        """The presentation index of each spike time (window (start, start + present_ms]), or
        -1 for spikes in a rest or outside every window."""
        times = np.asarray(times_ms, dtype=float)
        present = float(self.attributes.get("present_ms", 0.0))
        index = np.searchsorted(self.start_ms, times, side="left") - 1
        ok = (index >= 0) & (times <= self.start_ms[np.maximum(index, 0)] + present + 1e-9)
        return np.where(ok, index, -1)


@dataclass
class PopulationInfo:
    """One recorded spike population: its size and its number of spikes."""
    name: str
    n_nodes: int
    n_spikes: int


@dataclass
class SpikeTrains:
    """Spikes of one population, in file order (rank order per flush, not sorted)."""
    population: str
    n_nodes: int
    node_ids: np.ndarray  # uint64 [spikes], node id within the population
    times_ms: np.ndarray  # float64 [spikes], end of the spike's time step [ms]

    def __len__(self):
        return len(self.times_ms)

    def trains(self, node_ids=None):
        """Per-neuron sorted spike times: {node_id: float64 array}; all neurons with spikes by
        default, or exactly `node_ids` (possibly empty arrays)."""
        order = np.lexsort((self.times_ms, self.node_ids))
        nodes, times = self.node_ids[order], self.times_ms[order]
        wanted = np.unique(nodes) if node_ids is None else np.asarray(node_ids, dtype=np.uint64)
        starts = np.searchsorted(nodes, wanted, side="left")
        stops = np.searchsorted(nodes, wanted, side="right")
        return {int(n): times[a:b] for n, a, b in zip(wanted, starts, stops)}


@dataclass
class MembraneReport:
    """A membrane-potential report: data[k, j] is neuron node_ids[j] at times_ms[k]."""
    population: str
    node_ids: np.ndarray  # uint64 [neurons]
    times_ms: np.ndarray  # float64 [samples]
    data: np.ndarray  # float32 [samples, neurons]
    units: str = "mV"


@dataclass
class WeightInfo:
    """What is recorded of one projection's weights, without reading the samples."""
    projection: str
    n_synapses: int
    n_samples: int
    units: str
    variables: List[str]  # recorded plastic variables besides the weight (eligibility, rho, ...)


@dataclass
class WeightRecord:
    """Sampled synapses of a projection: weight[k, j] is synapse source[j] -> target[j] at
    time_ms[k]; variables[name][k, j] likewise for each recorded plastic variable."""
    projection: str
    source: np.ndarray  # uint64 [synapses], node id in the source population
    target: np.ndarray  # uint64 [synapses], node id in the target population
    time_ms: np.ndarray  # float64 [samples]
    weight: np.ndarray  # float64 [samples, synapses]
    units: str
    variables: Dict[str, np.ndarray] = field(default_factory=dict)


class RunFile:
    """A SpikeWeave run file. Raises SpikeWeaveFileError if `path` is not one."""

    def __init__(self, path):
        self.path = str(path)
        with h5util.open_h5(self.path) as f:
            if "provenance" not in f or "config_toml" not in f["provenance"].attrs:
                raise SpikeWeaveFileError(self.path, "not a SpikeWeave run file (no /provenance "
                                          "with config_toml)")
            self.provenance = _read_provenance(f["provenance"])
            self.populations = _read_populations(f.get("spikes"), self.path)
            self.reports = h5util.child_names(f.get("report"))
            self.weight_projections = _read_weight_infos(f.get("weights"))
            self.presentation_names = h5util.child_names(f.get("presentations"))
            self.presentation_counts = {
                n: h5util.length(f["presentations"][n]["start_ms"]) for n in self.presentation_names}

    def presentations(self, name=None):
        """The Presentations of encoder stimulus `name` (default: the first one)."""
        if not self.presentation_names:
            raise SpikeWeaveFileError(self.path, "no /presentations (no encoder stimulus)")
        name = name or self.presentation_names[0]
        with h5util.open_h5(self.path) as f:
            if name not in f["presentations"]:
                raise SpikeWeaveFileError(self.path, f"no /presentations/{name}")
            g = f["presentations"][name]
            return Presentations(name, g["start_ms"][:], g["sample"][:].astype(np.int64),
                                 h5util.attrs_dict(g))

    # -- spikes -----------------------------------------------------------------------------
    @property
    def t_stop_ms(self):
        return self.provenance.t_stop_ms

    def population(self, name):
        for p in self.populations:
            if p.name == name:
                return p
        raise SpikeWeaveFileError(self.path, f"no spike population '{name}' (recorded: "
                                  f"{', '.join(p.name for p in self.populations) or 'none'})")

    def spikes(self, population, node_ids=None, chunk_rows=DEFAULT_CHUNK_ROWS):
        """All spikes of a population, or only those of `node_ids` (read in chunks)."""
        info = self.population(population)
        with h5util.open_h5(self.path) as f:
            group = f["spikes"][population]
            if node_ids is None:
                return SpikeTrains(population, info.n_nodes, group["node_ids"][()],
                                   group["timestamps"][()])
            wanted = np.zeros(max(info.n_nodes, 1), dtype=bool)
            wanted[np.asarray(node_ids, dtype=np.int64)] = True
            nodes, times = [], []
            for chunk_nodes, chunk_times in iter_spike_chunks(group, chunk_rows):
                keep = wanted[chunk_nodes.astype(np.int64)]
                nodes.append(chunk_nodes[keep])
                times.append(chunk_times[keep])
        return SpikeTrains(population, info.n_nodes, _concat(nodes, np.uint64),
                           _concat(times, np.float64))

    def spike_counts(self, population, chunk_rows=DEFAULT_CHUNK_ROWS):
        """Spikes per neuron (int64 [n_nodes]), reading node ids in chunks."""
        info = self.population(population)
        counts = np.zeros(info.n_nodes, dtype=np.int64)
        with h5util.open_h5(self.path) as f:
            ids = f["spikes"][population]["node_ids"]
            for start in range(0, h5util.length(ids), chunk_rows):
                chunk = ids[start:start + chunk_rows].astype(np.int64)
                counts += np.bincount(chunk, minlength=info.n_nodes)[:info.n_nodes]
        return counts

    # -- membrane reports -------------------------------------------------------------------
    def membrane(self, population):
        """The membrane-potential report of a population."""
        if population not in self.reports:
            raise SpikeWeaveFileError(self.path, f"no membrane report for '{population}' "
                                      f"(reported: {', '.join(self.reports) or 'none'})")
        with h5util.open_h5(self.path) as f:
            group = f["report"][population]
            data = group["data"][()]
            start, _stop, step = (float(x) for x in group["mapping"]["time"][()])
            times = start + step * np.arange(data.shape[0])
            units = h5util.attr_value(group["data"].attrs.get("units", "mV"))
            return MembraneReport(population, group["mapping"]["node_ids"][()], times, data,
                                  units)

    def state_variables(self, population):
        """The state variables recorded besides v_m in a population's report (`variables` of its
        v_m recording), sorted by name."""
        if population not in self.reports:
            self.membrane(population)  # raises the error naming the reported populations
        with h5util.open_h5(self.path) as f:
            group = f["report"][population]
            return sorted(name for name in group if name not in ("data", "mapping"))

    def state(self, population, variable):
        """A recorded state variable (`w_pa`, `theta_mv`, `u_mv`, ...) of a population's report,
        as a MembraneReport (same node ids and times as its v_m, data in the variable's units)."""
        recorded = self.state_variables(population)
        if variable not in recorded:
            raise SpikeWeaveFileError(self.path, f"no state variable '{variable}' recorded for "
                                      f"'{population}' (recorded: {', '.join(recorded) or 'none'})")
        with h5util.open_h5(self.path) as f:
            group = f["report"][population]
            data = group[variable][()]
            start, _stop, step = (float(x) for x in group["mapping"]["time"][()])
            times = start + step * np.arange(data.shape[0])
            units = h5util.attr_value(group[variable].attrs.get("units", ""))
            return MembraneReport(population, group["mapping"]["node_ids"][()], times, data, units)

    # -- weights ----------------------------------------------------------------------------
    def weight_info(self, projection):
        for w in self.weight_projections:
            if w.projection == projection:
                return w
        names = ", ".join(w.projection for w in self.weight_projections) or "none"
        raise SpikeWeaveFileError(self.path, f"no recorded weights of projection "
                                  f"'{projection}' (recorded: {names})")

    def weights(self, projection, columns=None):
        """The recorded weights and plastic variables of a projection; `columns` (indices into
        the sampled synapses) restricts the read to those synapses."""
        info = self.weight_info(projection)
        sel = slice(None) if columns is None else np.asarray(columns, dtype=np.int64)
        with h5util.open_h5(self.path) as f:
            group = f["weights"][projection]

            def read(name):
                data = group[name]
                if isinstance(sel, slice):
                    return data[()]
                return data[:, sel] if data.ndim == 2 else data[sel]

            return WeightRecord(projection, read("source"), read("target"), group["time_ms"][()],
                                read("weight"), info.units,
                                {name: read(name) for name in info.variables})

    def counters(self):
        return dict(self.provenance.counters)


def iter_spike_chunks(group, chunk_rows=DEFAULT_CHUNK_ROWS):
    """Yields (node_ids as int64, timestamps) of a /spikes/<population> group chunk by chunk."""
    ids, times = group["node_ids"], group["timestamps"]
    for start in range(0, h5util.length(ids), chunk_rows):
        yield (ids[start:start + chunk_rows].astype(np.int64),
               times[start:start + chunk_rows])


def _concat(parts, dtype):
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _read_provenance(group):
    attrs = h5util.attrs_dict(group)
    p = Provenance(attributes=attrs)
    for name in ("config_toml", "command_line", "version", "git_commit", "backend"):
        setattr(p, name, str(attrs.get(name, "")))
    p.ranks = int(attrs.get("ranks", 0))
    p.seed = int(attrs.get("seed", 0))
    p.dt_ms = float(attrs.get("dt_ms", 0.0))
    p.t_stop_ms = float(attrs.get("t_stop_ms", 0.0))
    if "phase_seconds" in group:
        phases = h5util.attrs_dict(group["phase_seconds"])
        p.phase_seconds = {k: float(v) for k, v in phases.items()}
    if "counters" in group:
        p.counters = h5util.attrs_dict(group["counters"])
    if "energy" in group:
        p.energy = h5util.attrs_dict(group["energy"])
        p.energy_platforms = {name: h5util.attrs_dict(group["energy"][name])
                              for name in h5util.child_names(group["energy"])}
    return p


def _read_populations(spikes, path):
    populations = []
    for name in h5util.child_names(spikes):
        group = spikes[name]
        if "node_ids" not in group or "n_nodes" not in group.attrs:
            raise SpikeWeaveFileError(path, f"/spikes/{name} is not a SpikeWeave spike group "
                                      "(no node_ids or no n_nodes attribute)")
        populations.append(PopulationInfo(name, int(h5util.attr_value(group.attrs["n_nodes"])),
                                          h5util.length(group["node_ids"])))
    return populations


def _read_weight_infos(weights):
    infos = []
    for name in h5util.child_names(weights):
        group = weights[name]
        variables = [v for v in group.keys() if v not in WEIGHT_ID_DATASETS]
        units = h5util.attr_value(group["weight"].attrs.get("units", ""))
        infos.append(WeightInfo(name, h5util.length(group["source"]),
                                h5util.length(group["time_ms"]), str(units), variables))
    return infos
