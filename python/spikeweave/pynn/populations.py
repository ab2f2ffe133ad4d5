"""Population, PopulationView and Assembly (PyNN's common classes over the backend's state).

Parameters are kept as native (engine-unit) arrays of every cell, on every rank (each rank
builds the same engine configuration); initial values per root population as a whole-population
number or RandomDistribution (drawn by the engine) or as an explicit array per cell.
"""
import numpy as np
from pyNN import common
from pyNN.parameters import ParameterSpace, simplify
from pyNN.random import RandomDistribution

from .recording import Recorder
from . import simulator
from .simulator import ID, state
from .values import base_value, is_number

# PyNN state variable -> (engine `init` key, factor from PyNN's unit to the engine's)
INIT_KEYS = {
    "v": ("v_m_mv", 1.0),
    "isyn_exc": ("i_syn_ex_pa", 1000.0), "isyn_inh": ("i_syn_in_pa", 1000.0),
    "gsyn_exc": ("g_ex_ns", 1000.0), "gsyn_inh": ("g_in_ns", 1000.0),
    "w": ("w_pa", 1000.0),
}


class Assembly(common.Assembly):
    _simulator = simulator


class PopulationView(common.PopulationView):
    _assembly_class = Assembly
    _simulator = simulator

    def _get_parameters(self, *names):
        root, index = self.grandparent, self.index_in_grandparent(np.arange(self.size))
        return ParameterSpace({name: simplify(root._parameters[name][index]) for name in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        state.network_changed("setting parameters")
        root, index = self.grandparent, self.index_in_grandparent(np.arange(self.size))
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            root._parameters[name][index] = value

    def _set_initial_value_array(self, variable, initial_values):
        root, index = self.grandparent, self.index_in_grandparent(np.arange(self.size))
        root._set_initial_values_of(variable, index, initial_values)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)


class Population(common.Population):
    __doc__ = common.Population.__doc__
    _simulator = simulator
    _recorder_class = Recorder
    _assembly_class = Assembly

    def _create_cells(self):
        state.network_changed("creating a Population")
        if not hasattr(self.celltype, "engine_model"):
            raise NotImplementedError(
                f"spikeweave.pynn: {type(self.celltype).__name__} is not a SpikeWeave cell type "
                "(use the standard cells of spikeweave.pynn)")
        first = state.id_counter
        self.all_cells = np.array([ID(i) for i in range(first, first + self.size)], dtype=ID)
        # every rank knows every cell's parameters: the engine partitions the network itself
        self._mask_local = np.ones(self.size, dtype=bool)
        space = self.celltype.native_parameters
        space.shape = (self.size,)
        space.evaluate(simplify=False)
        self._parameters = space.as_dict()
        self._initial = {}
        for cell in self.all_cells:
            cell.parent = self
        state.id_counter += self.size
        state.populations.append(self)

    def _set_initial_values_of(self, variable, index, initial_values):
        state.network_changed("setting initial values")
        if variable not in INIT_KEYS:
            raise NotImplementedError(
                f"spikeweave.pynn: cannot initialise '{variable}' (supported: "
                f"{', '.join(INIT_KEYS)})")
        whole = len(index) == self.size and np.array_equal(index, np.arange(self.size))
        value = base_value(initial_values)
        if whole and (is_number(value) or isinstance(value, RandomDistribution)):
            self._initial[variable] = value      # the engine draws a distribution itself
            return
        current = self._initial.get(variable, 0.0)
        if not isinstance(current, np.ndarray):
            current = (current.next(self.size) if isinstance(current, RandomDistribution)
                       else np.full(self.size, float(current)))
        values = initial_values.evaluate(simplify=False) if hasattr(initial_values, "evaluate") \
            else np.asarray(initial_values, dtype=float)
        current = np.array(current, dtype=float)
        current[index] = np.broadcast_to(values, (len(index),))
        self._initial[variable] = current

    def _set_initial_value_array(self, variable, initial_values):
        self._set_initial_values_of(variable, np.arange(self.size), initial_values)

    def _get_view(self, selector, label=None):
        return PopulationView(self, selector, label)

    def _get_parameters(self, *names):
        return ParameterSpace({name: simplify(self._parameters[name]) for name in names},
                              shape=(self.size,))

    def _set_parameters(self, parameter_space):
        state.network_changed("setting parameters")
        parameter_space.evaluate(simplify=False)
        for name, value in parameter_space.items():
            self._parameters[name] = value
