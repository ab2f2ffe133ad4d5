"""Synapse types: StaticSynapse, and STDPMechanism with SpikePairRule and an additive or
multiplicative weight dependence, which becomes the engine's `stdp_pair` rule.

PyNN's pair rule (as pyNN.nest maps it onto NEST's stdp_synapse, the rule SpikeWeave implements):
    potentiation at a post spike:  dw = +A_plus  * f+(w) * exp(-dt/tau_plus)
    depression at a pre spike:     dw = -A_minus * f-(w) * exp(+dt/tau_minus)
additive:        f+ = f- = w_max                 -> stdp_pair with mu = 0
multiplicative:  f+ = w_max - w,  f- = w - w_min -> stdp_pair with mu = 1 (needs w_min = 0)
with lambda = A_plus, alpha = A_minus / A_plus, w_max in the engine's weight unit, all-to-all
pairing, weights clipped to [0, w_max]. The engine sees the post spike after the synaptic delay
and the pre spike at once (dt = t_post + d - t_pre), which is PyNN's dendritic_delay_fraction = 1,
PyNN's default; other fractions raise NotImplementedError.
"""
from pyNN.standardmodels import build_translations, synapses

from .simulator import state
from .values import base_value, is_number


def _identity(*names):
    return build_translations(*[(name, name) for name in names])


class StaticSynapse(synapses.StaticSynapse):
    __doc__ = synapses.StaticSynapse.__doc__
    translations = _identity('weight', 'delay')

    def _get_minimum_delay(self):
        return state.min_delay

    def engine_plasticity(self, weight_factor, unit_suffix):
        return None


class STDPMechanism(synapses.STDPMechanism):
    __doc__ = synapses.STDPMechanism.__doc__
    base_translations = _identity('weight', 'delay', 'dendritic_delay_fraction')

    def __init__(self, timing_dependence=None, weight_dependence=None,
                 voltage_dependence=None, dendritic_delay_fraction=1.0,
                 weight=0.0, delay=None):
        if dendritic_delay_fraction != 1.0:
            raise NotImplementedError(
                "spikeweave.pynn: STDPMechanism needs dendritic_delay_fraction = 1 (the default): "
                "SpikeWeave's STDP sees the postsynaptic spike after the synaptic delay and the "
                f"presynaptic spike at once; {dendritic_delay_fraction} is not supported")
        if voltage_dependence is not None:
            raise NotImplementedError("spikeweave.pynn: STDP voltage dependence is not supported")
        if not isinstance(timing_dependence, SpikePairRule):
            raise NotImplementedError(
                "spikeweave.pynn: STDPMechanism supports the timing dependence SpikePairRule "
                f"only, not {type(timing_dependence).__name__}")
        if not isinstance(weight_dependence, (AdditiveWeightDependence,
                                              MultiplicativeWeightDependence)):
            raise NotImplementedError(
                "spikeweave.pynn: STDPMechanism supports AdditiveWeightDependence and "
                f"MultiplicativeWeightDependence only, not {type(weight_dependence).__name__}")
        super().__init__(timing_dependence, weight_dependence, None, dendritic_delay_fraction,
                         weight, delay)

    def _get_minimum_delay(self):
        return state.min_delay

    def engine_plasticity(self, weight_factor, unit_suffix):
        """The projection's `plasticity` table, weights in the engine unit (x weight_factor)."""
        timing = _values(self.timing_dependence)
        weights = _values(self.weight_dependence)
        if weights["w_min"] != 0.0:
            raise NotImplementedError(
                f"spikeweave.pynn: w_min = {weights['w_min']}: SpikeWeave's STDP bounds weights "
                "to [0, w_max]; only w_min = 0 is supported")
        if timing["A_plus"] <= 0.0:
            raise NotImplementedError(
                "spikeweave.pynn: A_plus must be > 0 (the engine's learning rate lambda = A_plus "
                "scales both branches, depression as alpha = A_minus / A_plus)")
        multiplicative = isinstance(self.weight_dependence, MultiplicativeWeightDependence)
        return {"rule": "stdp_pair",
                "tau_plus_ms": timing["tau_plus"], "tau_minus_ms": timing["tau_minus"],
                "lambda": timing["A_plus"], "alpha": timing["A_minus"] / timing["A_plus"],
                "mu": 1.0 if multiplicative else 0.0,
                f"w_max_{unit_suffix}": weights["w_max"] * weight_factor,
                "pairing": "all_to_all"}


def _values(component):
    """A component's parameters as plain floats (they are homogeneous in a projection)."""
    values = {}
    for name, value in component.parameter_space.items():
        value = base_value(value)
        if not is_number(value):
            raise NotImplementedError(
                f"spikeweave.pynn: {type(component).__name__}.{name} must be one number for the "
                "whole projection")
        values[name] = float(value)
    return values


class SpikePairRule(synapses.SpikePairRule):
    __doc__ = synapses.SpikePairRule.__doc__
    translations = _identity('tau_plus', 'tau_minus', 'A_plus', 'A_minus')


class AdditiveWeightDependence(synapses.AdditiveWeightDependence):
    __doc__ = synapses.AdditiveWeightDependence.__doc__
    translations = _identity('w_max', 'w_min')


class MultiplicativeWeightDependence(synapses.MultiplicativeWeightDependence):
    __doc__ = synapses.MultiplicativeWeightDependence.__doc__
    translations = _identity('w_max', 'w_min')


def _not_available(pynn_class, reason):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"spikeweave.pynn: {pynn_class.__name__} is not supported: {reason}")
    return type(pynn_class.__name__, (pynn_class,), {"__init__": __init__})


TsodyksMarkramSynapse = _not_available(synapses.TsodyksMarkramSynapse,
                                       "SpikeWeave has no short-term plasticity")
ElectricalSynapse = _not_available(synapses.ElectricalSynapse, "no gap junctions in SpikeWeave")
AdditivePotentiationMultiplicativeDepression = _not_available(
    synapses.AdditivePotentiationMultiplicativeDepression,
    "use stdp_pair's mu_plus = 0, mu_minus = 1 through a TOML file; not mapped yet")
GutigWeightDependence = _not_available(
    synapses.GutigWeightDependence, "not mapped yet (the engine's stdp_pair has mu_plus/mu_minus)")
Vogels2011Rule = _not_available(synapses.Vogels2011Rule, "SpikeWeave has no inhibitory STDP")
