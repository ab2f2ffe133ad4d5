"""spikeweave.Simulation under `mpirun -np 2 python3`: the module initialises MPI itself and the
two ranks together give what one process gives, bit for bit (spikes, membrane potentials at the
end, every synapse's weight), also after the setters of simulation_changes.py changed neuron
state, weights and a stimulus between the two halves of the run. Usage: test_simulation_mpi.py MPIEXEC [MPIEXEC_FLAGS...]."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

import spikeweave
from simulation_changes import change

HERE = Path(__file__).resolve().parent
SMALL_NET = HERE.parents[1] / "tests" / "integration" / "small_net.toml"
MPIEXEC = None


def sorted_spikes(ids, times):
    order = np.lexsort((ids, times))
    return ids[order], times[order]


class TwoRanks(unittest.TestCase):
    def test_two_ranks_equal_one_process(self):
        one = spikeweave.Simulation.from_file(SMALL_NET)
        one.run(one.t_stop_ms / 2)
        self.assertEqual(one.ranks, 1)
        synapses = one.weights("exc_to_inh")
        pairs = np.unique(np.stack([synapses.source, synapses.target]), axis=1)[:, ::40]
        change(one, pairs)
        one.run(one.t_stop_ms / 2)
        with tempfile.TemporaryDirectory() as tmp:
            np.save(Path(tmp) / "pairs.npy", pairs)
            done = subprocess.run(MPIEXEC + ["-np", "2", sys.executable,
                                             str(HERE / "simulation_mpi_worker.py"),
                                             str(SMALL_NET), tmp, str(Path(tmp) / "pairs.npy")],
                                  capture_output=True, text=True, timeout=600,
                                  env=dict(os.environ, OMPI_MCA_rmaps_base_oversubscribe="1"))
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            ranks = [dict(np.load(Path(tmp) / f"rank{r}.npz")) for r in range(2)]

        def both(key):
            return np.concatenate([rank[key] for rank in ranks])

        for rank in ranks:
            self.assertEqual(int(rank["ranks"][0]), 2)
            np.testing.assert_array_equal(rank["counts"], list(one.spike_counts().values()))
        for population in one.populations:
            # Both ranks own neurons, so the comparison is one of a real partition.
            self.assertTrue(all(len(rank[f"{population}_v_ids"]) > 0 for rank in ranks))
            ids, times = one.spikes(population)
            self.assertGreater(len(ids), 0)
            a = sorted_spikes(ids, times)
            b = sorted_spikes(both(f"{population}_ids"), both(f"{population}_times"))
            np.testing.assert_array_equal(a[0], b[0])
            self.assertEqual(a[1].tobytes(), b[1].tobytes())
            v_ids, v = one.v_m(population)
            order = np.argsort(both(f"{population}_v_ids"))
            np.testing.assert_array_equal(both(f"{population}_v_ids")[order], v_ids)
            self.assertEqual(both(f"{population}_v")[order].tobytes(), v.tobytes())
        for projection in one.projections:
            mine = one.weights(projection)
            theirs = [both(f"{projection}_{field}") for field in ("source", "target", "weight")]
            a = np.lexsort((mine.weight, mine.target, mine.source))
            b = np.lexsort((theirs[2], theirs[1], theirs[0]))
            for x, y in zip(mine, theirs):
                self.assertEqual(x[a].tobytes(), y[b].tobytes())


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_simulation_mpi.py MPIEXEC [FLAGS...]")
    MPIEXEC = sys.argv[1:]
    del sys.argv[1:]
    unittest.main()
