"""Projection: recorded at creation, built by the engine with the rest of the network.

PyNN's own backends draw connections in Python through the connector; here the connector is
translated into the engine's rules (connectors.py) and the engine draws them, so a Projection
knows its synapses only once the network is built (len(), get() build it if needed).
"""
import numpy as np
from pyNN import common
from pyNN.space import Space
from pyNN.standardmodels import check_weights

from . import simulator
from .connectors import check_connector
from .simulator import state
from .synapses import StaticSynapse
from .values import base_value, distribution_bounds


class Projection(common.Projection):
    __doc__ = common.Projection.__doc__
    _simulator = simulator
    _static_synapse_class = StaticSynapse

    def __init__(self, presynaptic_population, postsynaptic_population, connector,
                 synapse_type=None, source=None, receptor_type=None, space=Space(), label=None):
        common.Projection.__init__(self, presynaptic_population, postsynaptic_population,
                                   connector, synapse_type, source, receptor_type, space, label)
        if source is not None:
            raise NotImplementedError("spikeweave.pynn: Projection(source=...) is not supported")
        check_connector(connector)
        if not hasattr(self.synapse_type, "engine_plasticity"):
            raise NotImplementedError(
                f"spikeweave.pynn: {type(self.synapse_type).__name__} is not a SpikeWeave "
                "synapse type (use spikeweave.pynn's StaticSynapse or STDPMechanism)")
        self._check_weight_sign(self.synapse_type.parameter_space["weight"])
        state.network_changed("creating a Projection")
        state.projections.append(self)
        self.weight_sampling_interval = None   # record("weight") (a SpikeWeave extension)

    def _check_weight_sign(self, weight):
        value = base_value(weight)
        if value is None:
            return
        try:
            low, high = distribution_bounds(value)
        except TypeError:
            return   # arrays and functions: the engine rejects them when lowering
        # PyNN's rule: excitatory and conductance weights >= 0, current inhibitory ones <= 0
        for bound in (low, high):
            if np.isfinite(bound):
                check_weights(float(bound), self)

    def _synapses(self):
        engine = state.build()
        return state.lowered.synapses(self, engine)

    def __len__(self):
        return len(self._synapses()[0])

    def set(self, **attributes):
        unsupported = set(attributes) - {"weight", "delay"}
        if unsupported or any(not np.isscalar(base_value(v)) and not hasattr(v, "next")
                              for v in attributes.values()):
            raise NotImplementedError(
                "spikeweave.pynn: Projection.set() takes one number or RandomDistribution for "
                "weight and delay (the engine has no per-synapse setter yet)")
        state.network_changed("Projection.set()")
        if "weight" in attributes:
            self._check_weight_sign(attributes["weight"])
        self.synapse_type.parameter_space.update(**attributes)

    def get(self, attribute_names, format, gather=True, with_address=True,
            multiple_synapses='sum'):
        single = isinstance(attribute_names, str)
        names = [attribute_names] if single else list(attribute_names)
        for name in names:
            if name not in ("weight", "delay"):
                raise NotImplementedError(
                    f"spikeweave.pynn: Projection.get('{name}') is not supported (weight, delay)")
        pre, post, weight, delay = self._synapses()
        columns = {"weight": weight, "delay": delay}
        if "delay" in names and np.isnan(delay).any():
            raise NotImplementedError(
                "spikeweave.pynn: get('delay') works for constant delays only (the engine "
                "does not return per-synapse delays)")
        if format == "list":
            rows = [columns[n] for n in names]
            if with_address:
                rows = [pre, post] + rows
            values = [tuple(v) for v in zip(*[r.tolist() for r in rows])]
            if single and not with_address:
                values = [v[0] for v in values]
            return values
        if format != "array":
            raise ValueError("format must be 'list' or 'array'")
        operation = common.Projection.MULTI_SYNAPSE_OPERATIONS[multiple_synapses]
        arrays = []
        for name in names:
            array = np.full((self.pre.size, self.post.size), np.nan)
            for i, j, value in zip(pre.tolist(), post.tolist(), columns[name].tolist()):
                array[i, j] = value if np.isnan(array[i, j]) else operation(array[i, j], value)
            arrays.append(array)
        return arrays[0] if single else arrays

    # --- weight recording: a SpikeWeave extension (PyNN 0.10 has no Projection.record) --------

    def record(self, variable="weight", sampling_interval=None):
        """Records every synapse's weight each `sampling_interval` ms (engine [[record]]
        weights, sample = "all"); get_data() returns them. Not part of PyNN 0.10's API: PyNN
        scripts sample weights with run(callbacks=...) and get("weight"), which works too."""
        if variable != "weight":
            raise NotImplementedError("spikeweave.pynn: a Projection records 'weight' only")
        interval = float(sampling_interval or state.dt)
        steps = interval / state.dt
        if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
            raise ValueError(f"sampling_interval {interval} ms is not a multiple of the time step")
        state.network_changed("starting a weight recording")
        self.weight_sampling_interval = interval

    def get_data(self):
        """A neo Block with one Segment holding an AnalogSignal 'weight' [samples, synapses]
        (PyNN units), annotated with each synapse's presynaptic and postsynaptic index."""
        import neo
        import quantities as pq
        if self.weight_sampling_interval is None:
            raise ValueError("call Projection.record('weight') before the first run")
        engine = state.build()
        columns, pre, post, times = [], [], [], None
        for name, pre_offset, post_offset, factor, _ in state.lowered.parts_of(self):
            trace = engine.weight_record(name)
            columns.append(np.asarray(trace.weight, dtype=float) / factor)
            pre.append(trace.source.astype(np.int64) + pre_offset)
            post.append(trace.target.astype(np.int64) + post_offset)
            times = trace.times_ms
        weights = np.concatenate(columns, axis=1) if columns else np.zeros((0, 0))
        units = "nA" if not self.post.conductance_based else "uS"
        if getattr(self.post.celltype, "engine_model", "") == "lif_psc_delta":
            units = "mV"
        signal = neo.AnalogSignal(
            weights, units=units, sampling_period=self.weight_sampling_interval * pq.ms,
            t_start=(times[0] if times is not None and len(times) else 0.0) * pq.ms,
            name="weight", array_annotations={
                "presynaptic_index": np.concatenate(pre) if pre else np.zeros(0, int),
                "postsynaptic_index": np.concatenate(post) if post else np.zeros(0, int)})
        segment = neo.Segment(name="segment%03d" % state.segment_counter)
        segment.analogsignals.append(signal)
        block = neo.Block(name=self.label or "projection")
        block.segments.append(segment)
        return block
