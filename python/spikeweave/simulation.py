"""Spiking networks driven from Python: build from TOML or a dict, run in steps, read state.

    import spikeweave
    sim = spikeweave.Simulation.from_file("examples/brunel.toml", set=["simulation.t_stop_ms=500"])
    sim.run(100.0)                                  # model time [ms]; call again to go on
    node_ids, times_ms = sim.spikes("exc")          # numpy arrays, no file

The network is the one `spikeweave run` builds from the same configuration: same keys, same
`--set` overrides, same validation and error messages, and the same spikes bit for bit. The
compiled engine (spikeweave._engine) runs it over MPI's world communicator when MPI is initialised
in this process (e.g. by mpi4py), else in this one process. See docs/python.md.
"""
import json
import math
import re
from collections import namedtuple

from ._rate_layout import engine as _load_engine

__all__ = ["Simulation", "to_toml", "SpikeArrays", "Membrane", "Synapses",
           "WeightTrace", "NeuronState"]

SpikeArrays = namedtuple("SpikeArrays", ["node_ids", "times_ms"])
Membrane = namedtuple("Membrane", ["node_ids", "times_ms", "v_mv"])
Synapses = namedtuple("Synapses", ["source", "target", "weight"])
WeightTrace = namedtuple("WeightTrace", ["source", "target", "times_ms", "weight"])
NeuronState = namedtuple("NeuronState", ["node_ids", "values"])


def __getattr__(name):
    # SimulationError is the compiled module's class: imported only when asked for, so that the
    # TOML writer works without the module.
    if name == "SimulationError":
        return _load_engine().SimulationError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name):
    if not isinstance(name, str):
        raise TypeError(f"TOML keys must be strings, not {type(name).__name__} ({name!r})")
    return name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False)


def _value(value, where):
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest text that reads back as the same double
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, dict):
        items = ", ".join(f"{_key(k)} = {_value(v, f'{where}.{k}')}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, f"{where}[{i}]") for i, v in enumerate(value)) + "]"
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _value(value.tolist(), where)
    raise TypeError(f"{where}: cannot write a {type(value).__name__} to TOML ({value!r})")


def to_toml(config):
    """TOML text for a dict with the keys of a SpikeWeave configuration file.

    Top-level dicts become tables (`[simulation]`), lists of dicts arrays of tables
    (`[[population]]`), dicts inside them inline tables; numbers are written so that they read
    back exactly.
    """
    if not isinstance(config, dict):
        raise TypeError(f"a configuration is a dict, not {type(config).__name__}")
    scalars, tables = [], []
    for name, value in config.items():
        if isinstance(value, dict):
            tables.append(f"[{_key(name)}]")
            tables += [f"{_key(k)} = {_value(v, f'{name}.{k}')}" for k, v in value.items()]
            tables.append("")
        elif (isinstance(value, (list, tuple)) and value
              and all(isinstance(v, dict) for v in value)):
            for i, entry in enumerate(value):
                tables.append(f"[[{_key(name)}]]")
                tables += [f"{_key(k)} = {_value(v, f'{name}[{i}].{k}')}"
                           for k, v in entry.items()]
                tables.append("")
        else:
            scalars.append(f"{_key(name)} = {_value(value, name)}")
    return "\n".join(scalars + ([""] if scalars else []) + tables)


def _overrides(set):
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, dict):
        return [f"{key}={_value(value, key)}" for key, value in set.items()]
    return [str(s) for s in set]


class Simulation:
    """A spiking network of this process (or of this MPI rank), built like `spikeweave run`.

    `set` overrides keys as `--set` does: a list of "key=value" strings, or a dict
    {"simulation.t_stop_ms": 500.0} whose values are written as TOML. Errors in the
    configuration raise ValueError with the message the CLI prints; a failure inside a run
    (e.g. a neuron model's kernel error) raises spikeweave.SimulationError (a RuntimeError),
    after which the simulation refuses to run on.
    """

    def __init__(self, toml_text, source_name="<string>", set=None, memory_check=True):
        self._sim = _load_engine().Simulation(str(toml_text), str(source_name), _overrides(set),
                                      bool(memory_check))

    @classmethod
    def from_file(cls, path, set=None, memory_check=True):
        """The network of a TOML file; errors name the file as the CLI does."""
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls(text, str(path), set=set, memory_check=memory_check)

    @classmethod
    def from_toml(cls, text, set=None, memory_check=True):
        """The network of TOML text."""
        return cls(text, "<string>", set=set, memory_check=memory_check)

    @classmethod
    def from_dict(cls, config, set=None, memory_check=True):
        """The network of a dict with a configuration file's keys (converted by to_toml)."""
        return cls(to_toml(config), "<dict>", set=set, memory_check=memory_check)

    def run(self, t_ms):
        """Advances by t_ms of model time (a whole number of steps of simulation.dt_ms), at most
        to simulation.t_stop_ms. Collective under MPI."""
        self._sim.run(float(t_ms))

    @property
    def t_ms(self):
        """Model time simulated so far [ms]."""
        return self._sim.t_ms

    @property
    def dt_ms(self):
        return self._sim.dt_ms

    @property
    def t_stop_ms(self):
        return self._sim.t_stop_ms

    @property
    def toml(self):
        """The configuration as run (after overrides), as the run file's provenance holds it."""
        return self._sim.toml

    @property
    def populations(self):
        """{name: number of neurons}, in configuration order."""
        return dict(self._sim.populations)

    @property
    def projections(self):
        """Projection names, in configuration order."""
        return list(self._sim.projections)

    @property
    def rank(self):
        return self._sim.rank

    @property
    def ranks(self):
        return self._sim.ranks

    def spikes(self, population):
        """Recorded spikes of `population` so far on this rank ([[record]] spikes): node ids
        (uint64) and times [ms], in the order the run file's /spikes/<population> holds them."""
        return SpikeArrays(*self._sim.spikes(population))

    def spike_counts(self):
        """{population: spikes so far}, summed over ranks (collective)."""
        names = list(self._sim.populations)
        return {name: int(n) for (name, _), n in zip(names, self._sim.spike_counts())}

    def v_m(self, population):
        """Membrane potential [mV] of this rank's neurons of `population` now: (node_ids, v)."""
        return self._sim.v_m(population)

    def membrane(self, population):
        """Recorded membrane potentials ([[record]] v_m) on this rank: node ids, sample times
        [ms] and v_mv[samples, neurons] (float32, as the run file's /report)."""
        return Membrane(*self._sim.membrane(population))

    def weights(self, projection):
        """Every synapse of `projection` on this rank now, in table order: source and target node
        ids and weight (the target model's unit: pA, mV or nS)."""
        return Synapses(*self._sim.weights(projection))

    def weight_record(self, projection):
        """Recorded weights ([[record]] weights) on this rank, as the run file's
        /weights/<projection>: source, target, sample times [ms], weight[samples, synapses]."""
        return WeightTrace(*self._sim.weight_record(projection))

    # Setters. Between runs, with the same arguments on every rank (each rank changes its own
    # neurons and synapses). Values are in the units the model declares (`spikeweave models`).

    def state(self, population, variable):
        """A state variable ("v_m_mv", "g_ex_ns", "w_pa", ...) of this rank's neurons of
        `population` now, absolute, in its declared unit: (node_ids, values)."""
        return NeuronState(*self._sim.state(population, variable))

    def set_state(self, population, variable, values, node_ids=None):
        """Sets a state variable of the neurons `node_ids` (default: all of the population) to
        `values` (one number, or one per node id), from the next step on."""
        import numpy as np
        if node_ids is None:
            node_ids = np.arange(self.populations[population], dtype=np.uint64)
        node_ids = np.atleast_1d(np.asarray(node_ids, dtype=np.uint64))
        values = np.broadcast_to(np.asarray(values, dtype=np.float64), node_ids.shape)
        self._sim.set_state(population, variable, node_ids, values)

    def set_weights(self, projection, weight, source=None, target=None):
        """Sets synaptic weights (the target model's unit) from the next step on: of every
        synapse of `projection` (`weight` one number), or of every synapse from source[k] to
        target[k] (node ids; `weight` one number or one per pair; every pair must exist).
        Plastic synapses are first brought up to date, then take the new weight; weights scaled
        by homeostatic gains, and tagging's early and late weights, cannot be set (ValueError)."""
        import numpy as np
        if source is None and target is None:
            self._sim.set_all_weights(projection, float(weight))
            return
        if source is None or target is None:
            raise ValueError("set_weights: give both source and target node ids, or neither")
        source = np.atleast_1d(np.asarray(source, dtype=np.uint64))
        target = np.atleast_1d(np.asarray(target, dtype=np.uint64))
        if source.shape != target.shape:
            raise ValueError(f"set_weights: {source.size} sources but {target.size} targets")
        weight = np.broadcast_to(np.asarray(weight, dtype=np.float64), source.shape)
        self._sim.set_weights(projection, source, target, weight)

    def set_plasticity(self, projection, enabled):
        """Switches the plasticity of `projection` off (its weights keep their values while the
        traces and pairings go on, and normalize_incoming pauses) or on again. Pairings up to now
        count under the old setting. Every spike-timing rule (the STDP rules, stdp_dopamine: the
        eligibility goes on; calcium: rho holds, the calcium goes on); static projections,
        homeostatic gains and tagging raise ValueError."""
        self._sim.set_plasticity(projection, bool(enabled))

    def set_stimulus(self, index, rate_hz=None, amplitude_pa=None):
        """A new rate [Hz] of the poisson stimulus, or amplitude [pA] of the dc stimulus,
        stimulus[index] of the configuration, from the next step on."""
        self._sim.set_stimulus(int(index), rate_hz, amplitude_pa)
