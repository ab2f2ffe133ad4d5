"""Current sources: DCSource and StepCurrentSource become the engine's `dc` stimuli.

A DCSource is one `dc` stimulus (amplitude nA -> amplitude_pa x 1000, start_ms, stop_ms) per
engine population it touches, with the node ids of the injected cells; a StepCurrentSource is one
such stimulus per step, [times[k], times[k+1]). ACSource and NoisyCurrentSource have no engine
counterpart and raise NotImplementedError.
"""
import numpy as np
from pyNN.parameters import ParameterSpace
from pyNN.standardmodels import StandardCurrentSource, electrodes

from .cells_of import cells_of
from .simulator import HORIZON_MS, state


class _EngineCurrentSource(StandardCurrentSource):
    """Keeps its parameters in PyNN units (translations are the identity) until lowering."""

    def __init__(self, **parameters):
        object.__setattr__(self, "_values", {})
        super(StandardCurrentSource, self).__init__(**parameters)
        parameter_space = ParameterSpace(self.default_parameters, self.get_schema(), shape=(1,))
        parameter_space.update(**parameters)
        self.set_native_parameters(self.translate(parameter_space))

    def inject_into(self, cells):
        state.network_changed("injecting a current")
        state.current_sources.append((self, cells_of(cells)))

    def set_native_parameters(self, parameters):
        if self._values:   # the first call is the constructor's
            state.network_changed(f"changing a {type(self).__name__}")
        parameters.evaluate(simplify=True)
        for name, value in parameters.items():
            self._values[name] = value

    def get_native_parameters(self):
        return dict(self._values)

    def _get_data(self):
        raise NotImplementedError("spikeweave.pynn does not record injected currents")


class DCSource(_EngineCurrentSource, electrodes.DCSource):
    __doc__ = electrodes.DCSource.__doc__
    translations = {name: {'translated_name': name, 'forward_transform': name,
                           'reverse_transform': name} for name in ('amplitude', 'start', 'stop')}

    def steps(self):
        """[(start_ms, stop_ms, amplitude_pa)]"""
        v = self._values
        return [(float(v["start"]), min(float(v["stop"]), HORIZON_MS), 1000.0 * v["amplitude"])]


class StepCurrentSource(_EngineCurrentSource, electrodes.StepCurrentSource):
    __doc__ = electrodes.StepCurrentSource.__doc__
    translations = {name: {'translated_name': name, 'forward_transform': name,
                           'reverse_transform': name} for name in ('times', 'amplitudes')}

    def steps(self):
        times = np.asarray(self._values["times"].value, dtype=float)
        amplitudes = np.asarray(self._values["amplitudes"].value, dtype=float)
        if times.shape != amplitudes.shape or np.any(np.diff(times) <= 0):
            raise ValueError("StepCurrentSource: times must increase and match amplitudes")
        ends = np.append(times[1:], HORIZON_MS)
        return [(float(t0), float(t1), 1000.0 * a)
                for t0, t1, a in zip(times, ends, amplitudes) if a != 0.0]


def _not_available(pynn_class, reason):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"spikeweave.pynn: {pynn_class.__name__} is not supported: {reason}")
    return type(pynn_class.__name__, (pynn_class,), {"__init__": __init__})


ACSource = _not_available(electrodes.ACSource, "the engine has no sinusoidal current stimulus")
NoisyCurrentSource = _not_available(electrodes.NoisyCurrentSource,
                                    "the engine has no noisy current stimulus")
