"""The PyNN network as one SpikeWeave configuration dict (the keys of a TOML file).

    population  -> one [[population]] per segment (segments.py), named "<label>__<k>"
                   (the label made unique and safe for HDF5 group names)
    projection  -> one [[projection]] per pair of pre and post segments (connectors.py)
    DCSource    -> [[stimulus]] kind = "dc" per touched segment, with node_ids
    record()    -> [[record]] spikes and v_m (node_ids, every_ms) per segment
and the way back: engine (segment, node id) -> PyNN cell, engine weights -> PyNN units.
"""
import re
from collections import namedtuple

import numpy as np

from .cells_of import cells_of
from .connectors import engine_projections
from .populations import INIT_KEYS
from .segments import compute_cuts, side_runs
from .simulator import HORIZON_MS
from .values import engine_distribution

Segment = namedtuple("Segment", ["name", "start", "stop"])


def _label(population, taken):
    """An engine-safe, unique stem for a population's segments (labels may repeat in PyNN)."""
    label = re.sub(r"[^A-Za-z0-9_-]", "_", population.label or "population")
    stem, n = label, 1
    while stem in taken:
        n += 1
        stem = f"{label}_{n}"
    taken.add(stem)
    return stem


class Lowered:
    """The configuration and the maps between PyNN cells and engine segments."""

    def __init__(self, config, segments, projection_parts):
        self.config = config
        self._segments = segments                 # population -> [Segment]
        # projection -> [(engine name, pre offset, post offset, weight factor, delay_ms)]
        self._projection_parts = projection_parts
        self._initial_v = {}

    def segments_of(self, population):
        return self._segments[population]

    def read_initial_state(self, engine):
        for segments in self._segments.values():
            for seg in segments:
                node_ids, v = engine.v_m(seg.name) if self._has_v(seg.name) else ([], [])
                values = np.full(seg.stop - seg.start, np.nan)
                values[np.asarray(node_ids, dtype=np.int64)] = v
                self._initial_v[seg.name] = values

    def _has_v(self, name):
        return name in self._receives_input

    def initial_v(self, name):
        return self._initial_v[name]

    def parts_of(self, projection):
        return self._projection_parts[projection]

    def synapses(self, projection, engine):
        """(pre indices, post indices, weights in PyNN units, delays [ms], nan where drawn) of
        this rank's synapses."""
        pre, post, weight, delay = [], [], [], []
        for name, pre_offset, post_offset, factor, delay_ms in self._projection_parts[projection]:
            table = engine.weights(name)
            pre.append(table.source.astype(np.int64) + pre_offset)
            post.append(table.target.astype(np.int64) + post_offset)
            weight.append(np.asarray(table.weight, dtype=float) / factor)
            delay.append(np.full(len(table.weight), delay_ms))
        if not pre:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        return tuple(np.concatenate(x) for x in (pre, post, weight, delay))


# Beyond these the one-population-per-segment mapping costs more than it is worth (a network
# of a few thousand populations builds in seconds; heterogeneous parameters on thousands of
# neurons would make millions of projections): the backend refuses rather than crawl.
MAX_ENGINE_POPULATIONS = 5000
MAX_ENGINE_PROJECTIONS = 20000


def _too_many(what):
    return (f"spikeweave.pynn: this network needs {what}: per-neuron parameter values, views, "
            "Assemblies and FromListConnector lists cut PyNN populations into engine "
            "populations (one parameter set each), and projections into one per pair of them. "
            "Use homogeneous parameters (or a few distinct values in contiguous runs), whole "
            "populations in projections and short lists; the engine has no per-neuron parameter "
            "arrays or explicit connection lists yet.")


def _engine_projection_count(prj, pre_runs, post_runs):
    from pyNN import connectors
    if isinstance(prj._connector, connectors.FromListConnector):
        return len(prj._connector.conn_list)
    if isinstance(prj._connector, connectors.ArrayConnector):
        return int(np.count_nonzero(prj._connector.array))
    if isinstance(prj._connector, connectors.OneToOneConnector):
        return len(pre_runs)
    return len(pre_runs) * len(post_runs)


def _segment_params(population, start, stop):
    native = {}
    for name, values in population._parameters.items():
        value = values[start]
        if hasattr(value, "value"):   # a Sequence (spike times): one list per neuron
            lists = [np.asarray(values[i].value, dtype=float).tolist() for i in range(start, stop)]
            native[name] = lists[0] if all(x == lists[0] for x in lists) else lists
        else:
            native[name] = float(value)
    return population.celltype.engine_params(native)


def _segment_init(population, start, model_states):
    init = {}
    for variable, value in population._initial.items():
        key, factor = INIT_KEYS[variable]
        if key not in model_states:
            continue
        engine_value = (float(value[start]) * factor if isinstance(value, np.ndarray)
                        else engine_distribution(value, factor, f"initial value of {variable}"))
        if variable == "v" or engine_value != 0.0:
            init[key] = engine_value
    return init


# Engine `init` keys of the models (README: Model and rule reference).
_MODEL_STATES = {
    "lif_psc_exp": {"v_m_mv", "i_syn_ex_pa", "i_syn_in_pa"},
    "lif_psc_alpha": {"v_m_mv", "i_syn_ex_pa", "i_syn_in_pa"},
    "lif_psc_delta": {"v_m_mv"},
    "lif_cond_exp": {"v_m_mv", "g_ex_ns", "g_in_ns"},
    "aeif_cond_exp": {"v_m_mv", "w_pa", "g_ex_ns", "g_in_ns"},
}


def lower_network(state):
    cuts = compute_cuts(state.populations, state.projections)
    config = {"simulation": {"dt_ms": state.dt, "t_stop_ms": HORIZON_MS, "seed": state.seed},
              "population": [], "projection": [], "stimulus": [], "record": []}
    segments, receives_input, stems = {}, set(), set()
    for population in state.populations:
        bounds = sorted(cuts[population])
        segments[population] = []
        stem = _label(population, stems)
        for k, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:])):
            name = f"{stem}__{k}"
            segments[population].append(Segment(name, start, stop))
            celltype = population.celltype
            entry = {"name": name, "size": stop - start, "model": celltype.engine_model,
                     "params": _segment_params(population, start, stop)}
            if not celltype.is_source:
                receives_input.add(name)
                init = _segment_init(population, start, _MODEL_STATES[celltype.engine_model])
                if init:
                    entry["init"] = init
            config["population"].append(entry)

    def segment_at(population, start):
        for seg in segments[population]:
            if seg.start == start:
                return seg
        raise AssertionError("a run does not start at a segment")

    n_segments = sum(len(s) for s in segments.values())
    if n_segments > MAX_ENGINE_POPULATIONS:
        raise NotImplementedError(_too_many(f"{n_segments} engine populations"))
    runs = []
    for prj in state.projections:
        pre_runs = [(segment_at(p, a), offset) for p, a, b, offset
                    in side_runs(cells_of(prj.pre), cuts)]
        post_runs = [(segment_at(p, a), offset, p.celltype) for p, a, b, offset
                     in side_runs(cells_of(prj.post), cuts)]
        runs.append((pre_runs, post_runs))
    n_projections = sum(_engine_projection_count(prj, pre, post)
                        for prj, (pre, post) in zip(state.projections, runs))
    if n_projections > MAX_ENGINE_PROJECTIONS:
        raise NotImplementedError(_too_many(f"{n_projections} engine projections"))
    projection_parts = {}
    for index, (prj, (pre_runs, post_runs)) in enumerate(zip(state.projections, runs)):
        tables, parts = engine_projections(prj, index, pre_runs, post_runs, state.dt)
        config["projection"] += tables
        projection_parts[prj] = parts

    for source, parts in state.current_sources:
        for population, indices in parts:
            for seg in segments[population]:
                inside = indices[(indices >= seg.start) & (indices < seg.stop)]
                if len(inside) == 0:
                    continue
                if seg.name not in receives_input:
                    raise ValueError(f"cannot inject a current into {population.label}, a source")
                for start_ms, stop_ms, amplitude_pa in source.steps():
                    if stop_ms <= start_ms:
                        continue
                    config["stimulus"].append({
                        "kind": "dc", "target": seg.name, "amplitude_pa": amplitude_pa,
                        "start_ms": start_ms, "stop_ms": stop_ms,
                        "node_ids": (np.unique(inside) - seg.start).tolist()})

    spike_segments, v_recorded = [], set()
    for population in state.populations:
        recorder = population.recorder
        if recorder.recorded.get("spikes"):
            spike_segments += [seg.name for seg in segments[population]]
        first = int(population.first_id)
        recorded_v = np.array(sorted(int(i) - first for i in recorder.recorded.get("v", [])),
                              dtype=np.int64)
        for seg in segments[population]:
            inside = recorded_v[(recorded_v >= seg.start) & (recorded_v < seg.stop)]
            if len(inside):
                v_recorded.add(seg.name)
                config["record"].append({"v_m": {
                    "population": seg.name, "node_ids": (inside - seg.start).tolist(),
                    "every_ms": float(recorder.sampling_interval)}})
    for prj in state.projections:
        if prj.weight_sampling_interval is not None:
            for name, *_ in projection_parts[prj]:
                config["record"].append({"weights": {
                    "projection": name, "every_ms": prj.weight_sampling_interval,
                    "sample": "all"}})
    if spike_segments:
        config["record"].insert(0, {"spikes": spike_segments})
    for key in ("projection", "stimulus", "record"):
        if not config[key]:
            del config[key]
    lowered = Lowered(config, segments, projection_parts)
    lowered._receives_input = receives_input
    lowered.v_recorded = v_recorded   # segments with a [[record]] v_m table
    return lowered
