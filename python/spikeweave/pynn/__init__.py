"""PyNN backend on SpikeWeave: `import spikeweave.pynn as sim` (PyNN 0.10, Debian's python3-pynn).

    import spikeweave.pynn as sim
    sim.setup(timestep=0.1, seed=42)
    cells = sim.Population(100, sim.IF_cond_exp(), label="exc")
    ...
    sim.run(1000.0)
    block = cells.get_data()

The network is described through PyNN's API, lowered to a SpikeWeave configuration (the keys
of a TOML file) at the first run, and run by spikeweave.Simulation in steps. What the engine
cannot do raises NotImplementedError with a message. See docs/python.md, "PyNN backend".
"""
import logging

from pyNN import common
from pyNN.common.control import DEFAULT_MAX_DELAY, DEFAULT_MIN_DELAY, DEFAULT_TIMESTEP
from pyNN.connectors import (AllToAllConnector, ArrayConnector,  # noqa: F401
                             CloneConnector, CSAConnector,
                             DisplacementDependentProbabilityConnector,
                             DistanceDependentProbabilityConnector, FixedNumberPostConnector,
                             FixedNumberPreConnector, FixedProbabilityConnector,
                             FixedTotalNumberConnector, FromFileConnector, FromListConnector,
                             IndexBasedProbabilityConnector, OneToOneConnector,
                             SmallWorldConnector)
from pyNN import space  # noqa: F401
from pyNN.parameters import Sequence  # noqa: F401
from pyNN.random import NumpyRNG, RandomDistribution  # noqa: F401
from pyNN.recording import get_io  # noqa: F401
from pyNN.space import Space  # noqa: F401
from pyNN.standardmodels import StandardCellType

from . import simulator
from .cells import (EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista,  # noqa: F401
                    GIF_cond_exp, HH_cond_exp, IF_cond_alpha, IF_cond_exp,
                    IF_cond_exp_gsfa_grr, IF_curr_alpha, IF_curr_delta, IF_curr_exp,
                    IF_facets_hardware1, Izhikevich, SpikeSourceArray, SpikeSourceGamma,
                    SpikeSourcePoisson, SpikeSourcePoissonRefractory)
from .electrodes import ACSource, DCSource, NoisyCurrentSource, StepCurrentSource  # noqa: F401
from .populations import Assembly, Population, PopulationView  # noqa: F401
from .projections import Projection
from .synapses import (AdditivePotentiationMultiplicativeDepression,  # noqa: F401
                       AdditiveWeightDependence, ElectricalSynapse, GutigWeightDependence,
                       MultiplicativeWeightDependence, SpikePairRule, StaticSynapse,
                       STDPMechanism, TsodyksMarkramSynapse, Vogels2011Rule)

logger = logging.getLogger("PyNN")


def list_standard_models():
    """The standard cell types this backend runs."""
    return [obj.__name__ for obj in globals().values()
            if isinstance(obj, type) and issubclass(obj, StandardCellType)
            and getattr(obj, "engine_model", None)]


def setup(timestep=DEFAULT_TIMESTEP, min_delay=DEFAULT_MIN_DELAY, **extra_params):
    """Starts a new network. `seed` (extra parameter, default 12345) seeds every random stream
    of the engine: connectivity, random weights, delays and initial values, Poisson sources."""
    if min_delay == "auto":
        min_delay = timestep
    max_delay = extra_params.get("max_delay", DEFAULT_MAX_DELAY)
    common.setup(timestep, min_delay, **extra_params)
    for name in extra_params:
        if name not in ("max_delay", "seed", "rng_seeds_seed", "threads"):
            raise NotImplementedError(f"spikeweave.pynn: setup({name}=...) is not supported")
    simulator.state.clear()
    simulator.state.dt = float(timestep)
    simulator.state.min_delay = float(min_delay)
    simulator.state.max_delay = max_delay
    simulator.state.seed = int(extra_params.get("seed", extra_params.get("rng_seeds_seed",
                                                                          12345)))
    return rank()


def end(compatible_output=True):
    """Writes the files asked for with write_on_end and drops the engine."""
    for population, variables, filename in simulator.state.write_on_end:
        population.write_data(get_io(filename), variables)
    simulator.state.write_on_end = []
    simulator.state.engine = None


run, run_until = common.build_run(simulator)
run_for = run
reset = common.build_reset(simulator)
initialize = common.initialize
get_current_time, get_time_step, get_min_delay, get_max_delay, \
    num_processes, rank = common.build_state_queries(simulator)
create = common.build_create(Population)
connect = common.build_connect(Projection, FixedProbabilityConnector, StaticSynapse)
record = common.build_record(simulator)


def record_v(source, filename):
    return record(['v'], source, filename)


def record_gsyn(source, filename):
    raise NotImplementedError("spikeweave.pynn records spikes and v only")


# PyNN scripts use these names from the backend module (as from pyNN.nest or pyNN.brian2)
__all__ = [
    "setup", "end", "run", "run_for", "run_until", "reset", "initialize", "get_current_time",
    "get_time_step", "get_min_delay", "get_max_delay", "num_processes", "rank", "create",
    "connect", "record", "record_v", "record_gsyn", "list_standard_models",
    "Population", "PopulationView", "Assembly", "Projection", "Space", "space", "Sequence",
    "NumpyRNG", "RandomDistribution", "get_io",
    "AllToAllConnector", "ArrayConnector", "CloneConnector", "CSAConnector",
    "DisplacementDependentProbabilityConnector", "DistanceDependentProbabilityConnector",
    "FixedNumberPostConnector", "FixedNumberPreConnector", "FixedProbabilityConnector",
    "FixedTotalNumberConnector", "FromFileConnector", "FromListConnector",
    "IndexBasedProbabilityConnector", "OneToOneConnector", "SmallWorldConnector",
    "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista", "GIF_cond_exp", "HH_cond_exp",
    "IF_cond_alpha", "IF_cond_exp", "IF_cond_exp_gsfa_grr", "IF_curr_alpha", "IF_curr_delta",
    "IF_curr_exp", "IF_facets_hardware1", "Izhikevich", "SpikeSourceArray", "SpikeSourceGamma",
    "SpikeSourcePoisson", "SpikeSourcePoissonRefractory",
    "ACSource", "DCSource", "NoisyCurrentSource", "StepCurrentSource",
    "AdditivePotentiationMultiplicativeDepression", "AdditiveWeightDependence",
    "ElectricalSynapse", "GutigWeightDependence", "MultiplicativeWeightDependence",
    "SpikePairRule", "StaticSynapse", "STDPMechanism", "TsodyksMarkramSynapse", "Vogels2011Rule",
]
