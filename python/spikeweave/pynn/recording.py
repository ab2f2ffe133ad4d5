"""PyNN's Recorder over the engine's in-memory recordings (spikes and v_m; [[record]] tables).

PyNN's base class builds the neo Blocks; this class answers its questions from the engine. The
engine samples v at the end of each sampling interval (t = s, 2s, ...); PyNN's signals start at
t = 0, so the first row is the membrane potential read from the engine before the first step.
Data taken with get_data(clear=True) stay in the engine; the recorder only remembers how much
of them it has handed out.
"""
import numpy as np
from pyNN import recording

from . import simulator
from .simulator import state

SUPPORTED_VARIABLES = ("spikes", "v")


class Recorder(recording.Recorder):
    _simulator = simulator

    def __init__(self, population, file=None):
        super().__init__(population, file)
        self._engine = None
        self._spikes_taken = {}    # segment name -> spikes already handed out
        self._rows_taken = 0       # rows of the v signal already handed out

    def _record(self, variable, new_ids, sampling_interval=None):
        if variable not in SUPPORTED_VARIABLES:
            raise NotImplementedError(
                f"spikeweave.pynn: recording '{variable}' is not supported (spikes and v are)")
        state.network_changed("starting a recording")
        if sampling_interval is not None and variable != "spikes":
            steps = sampling_interval / state.dt
            if abs(steps - round(steps)) > 1e-9 or round(steps) < 1:
                raise ValueError(f"sampling_interval {sampling_interval} ms is not a multiple of "
                                 f"the time step {state.dt} ms")
            self.sampling_interval = sampling_interval

    def _segments(self):
        engine = state.build()
        if engine is not self._engine:   # a new network (after reset): nothing handed out yet
            self._engine = engine
            self._spikes_taken = {}
            self._rows_taken = 0
        return engine, state.lowered.segments_of(self.population)

    def _get_spiketimes(self, ids, clear=False):
        engine, segments = self._segments()
        wanted = {int(i) for i in ids}
        first = int(self.population.first_id)
        trains = {i: [] for i in wanted}
        for seg in segments:
            node_ids, times_ms = engine.spikes(seg.name)
            taken = self._spikes_taken.get(seg.name, 0)
            cells = first + seg.start + node_ids[taken:].astype(np.int64)
            for cell, t in zip(cells.tolist(), times_ms[taken:].tolist()):
                if cell in wanted:
                    trains[cell].append(t)
        return {i: np.array(sorted(t)) for i, t in trains.items()}

    def _get_all_signals(self, variable, ids, clear=False):
        engine, segments = self._segments()
        ids = [int(i) for i in ids]
        first = int(self.population.first_id)
        columns = {}
        rows = None
        for seg in segments:
            if seg.name not in state.lowered.v_recorded:
                continue
            membrane = engine.membrane(seg.name)
            initial = state.lowered.initial_v(seg.name)
            for k, node in enumerate(membrane.node_ids.tolist()):
                trace = np.concatenate(([initial[node]], membrane.v_mv[:, k].astype(float)))
                columns[first + seg.start + node] = trace
                rows = len(trace)
        signals = np.column_stack([columns[i] for i in ids]) if ids else np.zeros((rows or 0, 0))
        return signals[self._rows_taken:], None

    def _local_count(self, variable, filter_ids=None):
        trains = self._get_spiketimes(self.filter_recorded(variable, filter_ids))
        return {i: len(t) for i, t in trains.items()}

    def _clear_simulator(self):
        # PyNN's get(clear=True) and reset() come here after reading; what was read is not
        # handed out again. Row k of a signal is the sample at k * sampling_interval, and the
        # sample at the current time starts the next segment.
        if state.engine is None:
            return
        engine, segments = self._segments()
        for seg in segments:
            self._spikes_taken[seg.name] = len(engine.spikes(seg.name).times_ms)
        self._rows_taken = int(round(state.t / self.sampling_interval))

    def _reset(self):
        pass
