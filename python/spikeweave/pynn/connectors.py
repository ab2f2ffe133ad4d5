"""PyNN connectors as the engine's connection rules, one engine projection per segment pair.

    AllToAllConnector          -> all_to_all          (allow_self_connections -> allow_autapses)
    OneToOneConnector          -> one_to_one          (segments lined up by segments.py)
    FixedProbabilityConnector  -> pairwise_bernoulli  p = p_connect (exact over any split)
    FixedNumberPreConnector    -> fixed_indegree      n, with_replacement -> allow_multapses
    FixedNumberPostConnector   -> fixed_outdegree     n, with_replacement -> allow_multapses
    FixedTotalNumberConnector  -> fixed_total_number  n, with_replacement -> allow_multapses
    FromListConnector (FromFileConnector, ArrayConnector) -> one all_to_all projection between
                                  single-cell segments per listed connection, with its
                                  weight and delay
The engine draws connectivity from its own Philox streams (seed of setup(seed=...)), not from the
connector's rng. FixedNumberPre needs a presynaptic side that is one segment (the in-degree is
counted over the whole side), FixedNumberPost a postsynaptic one, FixedTotalNumber both;
otherwise, and for every other connector, NotImplementedError.

Weights: PyNN nA / uS / mV -> engine pA / nS / mV (cells.py: weight_factor); conductance-based
inhibitory weights are positive in PyNN and negative in the engine (NEST's convention);
current-based inhibitory weights are negative in both.
"""
import numpy as np
from pyNN import connectors

from .values import distribution_bounds, engine_distribution

_RULES = (connectors.AllToAllConnector, connectors.OneToOneConnector,
          connectors.FixedProbabilityConnector, connectors.FixedNumberPreConnector,
          connectors.FixedNumberPostConnector, connectors.FixedTotalNumberConnector,
          connectors.FromListConnector, connectors.ArrayConnector)


def check_connector(connector):
    """Raises NotImplementedError for what the engine cannot build (before anything is built)."""
    if not isinstance(connector, _RULES):
        raise NotImplementedError(
            f"spikeweave.pynn: {type(connector).__name__} is not supported; supported: "
            + ", ".join(c.__name__ for c in _RULES))
    if getattr(connector, "allow_self_connections", True) not in (True, False):
        raise NotImplementedError(
            "spikeweave.pynn: allow_self_connections = 'NoMutual' is not supported")
    n = getattr(connector, "n", 1)
    if not isinstance(n, (int, np.integer)):
        raise NotImplementedError(
            f"spikeweave.pynn: {type(connector).__name__}: n must be an integer (a random "
            "number of connections is not supported)")


def _as_list(connector, pre_size, post_size):
    """(conn_list, column_names) of a FromList or Array connector."""
    if isinstance(connector, connectors.ArrayConnector):
        pre, post = np.nonzero(np.asarray(connector.array))
        return np.column_stack((pre, post)).astype(float), ()
    return np.atleast_2d(connector.conn_list), tuple(connector.column_names)


def _weight_key(celltype):
    if celltype.engine_model == "lif_psc_delta":
        return "weight_mv", "mv"
    return ("weight_ns", "ns") if celltype.conductance_based else ("weight_pa", "pa")


def _check_delay(delay, dt, label):
    low, high = distribution_bounds(delay)
    if low == high:
        steps = low / dt
        if abs(steps - round(steps)) > 1e-9 * max(1.0, steps) or round(steps) < 1:
            raise ValueError(f"Projection {label}: delay {low} ms must be a positive multiple of "
                             f"the time step {dt} ms")


def _rule(connector, pre_segments, post_segments):
    """The engine `connect` table for one segment pair, or raise."""
    self_ok = bool(getattr(connector, "allow_self_connections", True))
    multapses = bool(getattr(connector, "with_replacement", False))
    if isinstance(connector, connectors.AllToAllConnector):
        return {"rule": "all_to_all", "allow_autapses": self_ok}
    if isinstance(connector, connectors.OneToOneConnector):
        return {"rule": "one_to_one"}
    if isinstance(connector, connectors.FixedProbabilityConnector):
        return {"rule": "pairwise_bernoulli", "p": float(connector.p_connect),
                "allow_autapses": self_ok}
    name = type(connector).__name__
    if isinstance(connector, connectors.FixedNumberPreConnector):
        if pre_segments != 1:
            raise NotImplementedError(
                f"spikeweave.pynn: {name} needs a presynaptic side that is one engine population "
                "(no views, Assemblies, heterogeneous parameters or FromList cuts on it)")
        return {"rule": "fixed_indegree", "indegree": int(connector.n),
                "allow_autapses": self_ok, "allow_multapses": multapses}
    if isinstance(connector, connectors.FixedNumberPostConnector):
        if post_segments != 1:
            raise NotImplementedError(
                f"spikeweave.pynn: {name} needs a postsynaptic side that is one engine population")
        return {"rule": "fixed_outdegree", "outdegree": int(connector.n),
                "allow_autapses": self_ok, "allow_multapses": multapses}
    if isinstance(connector, connectors.FixedTotalNumberConnector):
        if pre_segments != 1 or post_segments != 1:
            raise NotImplementedError(
                f"spikeweave.pynn: {name} needs both sides to be one engine population each")
        return {"rule": "fixed_total_number", "n": int(connector.n),
                "allow_autapses": self_ok, "allow_multapses": multapses}
    raise NotImplementedError(f"spikeweave.pynn: {name} is not supported")


def engine_projections(prj, index, pre_runs, post_runs, dt):
    """([[projection]] tables, [(name, pre offset, post offset, weight factor, delay)]) of a
    Projection.
    pre_runs: [(Segment, offset)]; post_runs: [(Segment, offset, celltype)]."""
    connector, synapse = prj._connector, prj.synapse_type
    space = synapse.parameter_space
    weight, delay = space["weight"], space["delay"]
    inhibitory = prj.receptor_type == "inhibitory"
    label = prj.label or f"#{index}"
    tables, parts = [], []

    def table(name, pre_seg, post_seg, celltype, connect, w, d):
        key, unit = _weight_key(celltype)
        sign = -1.0 if (celltype.conductance_based and inhibitory) else 1.0
        factor = sign * celltype.weight_factor
        entry = {"name": name, "source": pre_seg.name, "target": post_seg.name,
                 "connect": connect,
                 key: engine_distribution(w, factor, f"Projection {label}: weight"),
                 "delay_ms": engine_distribution(d, 1.0, f"Projection {label}: delay"),
                 "receptor": "inhibitory" if inhibitory else "excitatory"}
        plasticity = synapse.engine_plasticity(celltype.weight_factor, unit)
        if plasticity is not None:
            if sign < 0:
                raise NotImplementedError(
                    "spikeweave.pynn: plastic inhibitory conductance synapses are not supported "
                    "(the engine's plastic weights are excitatory)")
            entry["plasticity"] = plasticity
        return entry, factor

    if isinstance(connector, (connectors.FromListConnector, connectors.ArrayConnector)):
        conn_list, columns = _as_list(connector, prj.pre.size, prj.post.size)
        extra = set(columns) - {"weight", "delay"}
        if extra:
            raise NotImplementedError(
                f"spikeweave.pynn: FromListConnector columns {sorted(extra)} are not supported")

        def run_at(runs, position):
            for run in runs:
                if run[1] <= position < run[1] + run[0].stop - run[0].start:
                    return run
            raise IndexError(position)
        for k, row in enumerate(conn_list):
            pre_seg, pre_offset = run_at(pre_runs, int(row[0]))
            post_seg, post_offset, celltype = run_at(post_runs, int(row[1]))
            w = row[2 + columns.index("weight")] if "weight" in columns else weight
            d = row[2 + columns.index("delay")] if "delay" in columns else delay
            _check_delay(d, dt, label)
            name = f"prj{index}_{k}"
            entry, factor = table(name, pre_seg, post_seg, celltype,
                                  {"rule": "all_to_all"}, w, d)
            tables.append(entry)
            parts.append((name, pre_offset, post_offset, factor, _constant(d)))
        return tables, parts

    _check_delay(delay, dt, label)
    if isinstance(connector, connectors.OneToOneConnector):
        pairs = [(pre, post) for pre, post in zip(pre_runs, post_runs)]
        if len(pre_runs) != len(post_runs) or any(
                a[0].stop - a[0].start != b[0].stop - b[0].start for a, b in pairs):
            raise ValueError(f"Projection {label}: OneToOneConnector needs sides of equal size")
    else:
        pairs = [(pre, post) for pre in pre_runs for post in post_runs]
    for k, ((pre_seg, pre_offset), (post_seg, post_offset, celltype)) in enumerate(pairs):
        connect = _rule(connector, len(pre_runs), len(post_runs))
        if pre_seg.name != post_seg.name:
            connect.pop("allow_autapses", None)   # autapses exist only within one population
        name = f"prj{index}_{k}"
        entry, factor = table(name, pre_seg, post_seg, celltype, connect, weight, delay)
        tables.append(entry)
        parts.append((name, pre_offset, post_offset, factor, _constant(delay)))
    return tables, parts


def _constant(value):
    """A constant delay [ms], or nan for a drawn one (the engine does not return delays)."""
    low, high = distribution_bounds(value)
    return float(low) if low == high else float("nan")
