"""The backend's global state (PyNN's `simulator` module): time, the network described so far and
the spikeweave.Simulation that runs it.

The engine builds a whole network at once from a configuration dict and has no setters yet, so
the backend collects populations, projections, current sources and recordings, lowers them to
one configuration at the first run (lowering.py) and runs that Simulation in steps. Changing the
network after time has advanced raises NotImplementedError; `reset()` drops the Simulation, so
after it anything may change again and the next run rebuilds the network from the same seed
(the same connectivity, initial state and Poisson input, bit for bit).
"""
import os

from pyNN import common

name = "SpikeWeave"

# The engine plans its schedule for simulation.t_stop_ms, which costs nothing to make large; PyNN
# runs have no announced end, so every network is built for this horizon (about 28 hours).
HORIZON_MS = 1e8


def _environment_int(names, default):
    # mpirun/srun announce rank and size in the environment before MPI is initialised; the engine
    # module initialises MPI itself under them (docs/python.md), so the same variables tell
    # rank() and num_processes() before the network is built.
    for variable in names:
        if variable in os.environ:
            return int(os.environ[variable])
    return default


class ID(int, common.IDMixin):
    """A cell's global id: an int that knows its Population (PyNN's IDMixin)."""

    def __init__(self, n):
        int.__init__(n)
        common.IDMixin.__init__(self)


class State(common.control.BaseState):

    def __init__(self):
        common.control.BaseState.__init__(self)
        self.mpi_rank = _environment_int(("OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"), 0)
        self.num_processes = _environment_int(("OMPI_COMM_WORLD_SIZE", "PMI_SIZE"), 1)
        self.dt = 0.1
        self.min_delay = 0.1
        self.max_delay = 6553.5
        self.seed = 12345
        self.clear()

    def clear(self):
        """Forgets the whole network (setup() calls this)."""
        self.recorders = set()
        self.populations = []
        self.projections = []
        self.current_sources = []   # [(source, [(population, indices)])]
        self.id_counter = 0
        self.segment_counter = -1
        self.engine = None
        self.lowered = None
        self.reset()

    def reset(self):
        """Time back to 0 and a new recording segment; the next run rebuilds the network."""
        self.running = False
        self.t = 0.0
        self.t_start = 0.0
        self.segment_counter += 1
        self.engine = None
        self.lowered = None

    @property
    def has_run(self):
        return self.engine is not None and self.engine.t_ms > 0.0

    def network_changed(self, what):
        """Called before any change to the network: allowed until time advances."""
        if self.has_run:
            raise NotImplementedError(
                f"spikeweave.pynn: {what} after the simulation has run is not supported: the "
                "SpikeWeave engine cannot change a network it is running. Call sim.reset() "
                "first (the network is then rebuilt at t = 0 with the change).")
        self.engine = None
        self.lowered = None

    def build(self):
        """The engine Simulation of the network described so far (built once per segment)."""
        if self.engine is None:
            from spikeweave.simulation import Simulation
            from .lowering import lower_network
            lowered = lower_network(self)
            self.engine = Simulation.from_dict(lowered.config)
            lowered.read_initial_state(self.engine)
            self.lowered = lowered
            self.mpi_rank = self.engine.rank
            self.num_processes = self.engine.ranks
        return self.engine

    def run_until(self, t_stop_ms):
        engine = self.build()
        if t_stop_ms > HORIZON_MS:
            raise NotImplementedError(f"spikeweave.pynn runs at most {HORIZON_MS:g} ms")
        steps = int(round((t_stop_ms - engine.t_ms) / self.dt))
        if steps > 0:
            engine.run(steps * self.dt)
        self.t = engine.t_ms
        self.running = True

    def run(self, t_ms):
        self.run_until(self.t + t_ms)


state = State()
