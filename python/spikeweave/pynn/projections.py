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
