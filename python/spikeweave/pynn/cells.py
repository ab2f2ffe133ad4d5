"""PyNN's standard cell types on SpikeWeave's neuron models.

Each class translates PyNN's names and units (ms, mV, nA, nF, uS, Hz) into the engine model's
keys and units (ms, mV, pA, pF, nS, Hz), so that a Population's native parameters are exactly
the `params` of an engine population:
    nA -> pA and nF -> pF: x 1000;  tau_m with cm -> g_l_ns = 1000 cm / tau_m (nF/ms = uS -> nS).
`engine_model` names the engine model, `weight_factor` converts a PyNN weight (nA, uS or mV)
into the engine's weight unit (pA, nS or mV).
"""
from pyNN.standardmodels import build_translations, cells

from .simulator import HORIZON_MS, state

_LIF_COMMON = (
    ('v_rest', 'e_l_mv'),
    ('v_reset', 'v_reset_mv'),
    ('cm', 'c_m_pf', 1000.0),
    ('tau_refrac', 't_ref_ms'),
    ('v_thresh', 'v_th_mv'),
    ('i_offset', 'i_e_pa', 1000.0),
)
_CURRENT_SYNAPSES = (
    ('tau_m', 'tau_m_ms'),
    ('tau_syn_E', 'tau_syn_ex_ms'),
    ('tau_syn_I', 'tau_syn_in_ms'),
)
_CONDUCTANCE_SYNAPSES = (
    # the engine's conductance models take the leak conductance, PyNN the time constant
    ('tau_m', 'g_l_ns', '1000.0*cm/tau_m', 'c_m_pf/g_l_ns'),
    ('tau_syn_E', 'tau_syn_ex_ms'),
    ('tau_syn_I', 'tau_syn_in_ms'),
    ('e_rev_E', 'e_ex_mv'),
    ('e_rev_I', 'e_in_mv'),
)


class _EngineCell:
    """What lowering.py needs from a cell type besides its native parameters."""
    engine_model = None
    weight_factor = 1000.0     # nA -> pA, uS -> nS
    is_source = False

    def engine_params(self, native):
        """`params` of the engine population from one segment's native values."""
        return dict(native)


class IF_curr_exp(_EngineCell, cells.IF_curr_exp):
    __doc__ = cells.IF_curr_exp.__doc__
    engine_model = "lif_psc_exp"
    translations = build_translations(*_LIF_COMMON, *_CURRENT_SYNAPSES)


class IF_curr_alpha(_EngineCell, cells.IF_curr_alpha):
    __doc__ = cells.IF_curr_alpha.__doc__
    engine_model = "lif_psc_alpha"   # alpha current peaking at the weight after tau_syn, as PyNN
    translations = build_translations(*_LIF_COMMON, *_CURRENT_SYNAPSES)


class IF_curr_delta(_EngineCell, cells.IF_curr_delta):
    __doc__ = cells.IF_curr_delta.__doc__
    engine_model = "lif_psc_delta"
    weight_factor = 1.0              # a voltage jump [mV] in both
    translations = build_translations(*_LIF_COMMON, ('tau_m', 'tau_m_ms'))


class IF_cond_exp(_EngineCell, cells.IF_cond_exp):
    __doc__ = cells.IF_cond_exp.__doc__
    engine_model = "lif_cond_exp"
    translations = build_translations(*_LIF_COMMON, *_CONDUCTANCE_SYNAPSES)


class EIF_cond_exp_isfa_ista(_EngineCell, cells.EIF_cond_exp_isfa_ista):
    __doc__ = cells.EIF_cond_exp_isfa_ista.__doc__
    engine_model = "aeif_cond_exp"
    translations = build_translations(
        *_LIF_COMMON, *_CONDUCTANCE_SYNAPSES,
        ('delta_T', 'delta_t_mv'),
        ('v_spike', 'v_peak_mv'),
        ('a', 'a_ns'),               # nS in both
        ('b', 'b_pa', 1000.0),       # nA -> pA
        ('tau_w', 'tau_w_ms'),
    )


class SpikeSourcePoisson(_EngineCell, cells.SpikeSourcePoisson):
    __doc__ = cells.SpikeSourcePoisson.__doc__
    engine_model = "poisson_source"
    is_source = True
    translations = build_translations(
        ('rate', 'rate_hz'),
        ('start', 'start_ms'),
        ('duration', 'stop_ms', 'start+duration', 'stop_ms-start_ms'),
    )

    def engine_params(self, native):
        params = dict(native)
        if params["stop_ms"] >= HORIZON_MS:   # PyNN's default duration is 1e10 ms: no end
            del params["stop_ms"]
        return params


class SpikeSourceArray(_EngineCell, cells.SpikeSourceArray):
    __doc__ = cells.SpikeSourceArray.__doc__
    engine_model = "spike_source"
    is_source = True
    translations = build_translations(('spike_times', 'spike_times_ms'))

    def engine_params(self, native):
        times = native["spike_times_ms"]
        flat = [t for train in times for t in train] if times and isinstance(times[0], list) \
            else times
        if flat and min(flat) < state.dt - 1e-9:
            raise NotImplementedError(
                f"spikeweave.pynn: SpikeSourceArray spike at {min(flat)} ms: the engine emits "
                f"spikes at the end of a step, so the earliest is at the time step {state.dt} ms")
        return dict(native)


def _not_available(pynn_class, reason):
    """A cell type that raises NotImplementedError, saying why, when it is used."""
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"spikeweave.pynn: {pynn_class.__name__} is not supported: {reason}")
    return type(pynn_class.__name__, (pynn_class,), {"__init__": __init__,
                                                     "__doc__": pynn_class.__doc__})


IF_cond_alpha = _not_available(
    cells.IF_cond_alpha, "SpikeWeave has no LIF model with alpha-shaped conductances")
EIF_cond_alpha_isfa_ista = _not_available(
    cells.EIF_cond_alpha_isfa_ista, "SpikeWeave's aeif_cond_exp has exponential conductances only")
HH_cond_exp = _not_available(
    cells.HH_cond_exp, "SpikeWeave's hh_psc_alpha has current-based alpha synapses and other "
    "rate functions (NEST's hh_psc_alpha), not Traub's conductance-based model")
IF_cond_exp_gsfa_grr = _not_available(
    cells.IF_cond_exp_gsfa_grr, "SpikeWeave has no spike-frequency-adaptation and relative-"
    "refractory conductances")
Izhikevich = _not_available(
    cells.Izhikevich, "SpikeWeave's izhikevich takes synaptic input as voltage jumps [mV] "
    "(NEST's convention), while PyNN's Izhikevich takes currents [nA]")
SpikeSourceGamma = _not_available(cells.SpikeSourceGamma, "no gamma spike source in SpikeWeave")
SpikeSourcePoissonRefractory = _not_available(
    cells.SpikeSourcePoissonRefractory, "no Poisson source with dead time in SpikeWeave")
GIF_cond_exp = _not_available(cells.GIF_cond_exp, "no generalised integrate-and-fire model")
IF_facets_hardware1 = _not_available(cells.IF_facets_hardware1, "no FACETS hardware model")
