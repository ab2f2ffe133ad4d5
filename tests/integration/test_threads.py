"""Threads and ranks give bitwise the same network: 1 rank x 1 thread, 1 rank x 2 threads and
2 ranks x 1 thread (and 2 x 2) write identical spikes and identical recorded weights, for a static
network (Brunel, delta synapses, 2,500 neurons; also with fixed_outdegree connections, whose
rows are not ordered by target) and a plastic one (examples/stdp_demo.toml:
pair STDP with drawn delays). Threads are set with the documented `--kokkos-num-threads=N`, which
must also be accepted (not taken for a command option) by a build without threads.

Run by the threaded CI job against an OpenMP Kokkos (scripts/test_threaded.sh) and by the
ordinary suite (Serial Kokkos: the thread option is then accepted and has no effect)."""
import os
import shutil
import tempfile
import unittest

import h5py
import numpy as np

from cli_harness import ENV, run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BRUNEL = os.path.join(ROOT, "examples", "brunel.toml")
STDP = os.path.join(ROOT, "examples", "stdp_demo.toml")
# Idle OpenMP threads must sleep, not spin: ranks x threads exceed the 2 cores here.
ENV.update(OMP_WAIT_POLICY="passive", OMP_PROC_BIND="false")
LAYOUTS = [(1, 1), (1, 2), (2, 1), (2, 2)]


def spikes(path):
    with h5py.File(path, "r") as f:
        out = {}
        for pop in f["spikes"]:
            nodes = f["spikes"][pop]["node_ids"][:]
            times = f["spikes"][pop]["timestamps"][:]
            order = np.lexsort((times, nodes))
            out[pop] = (nodes[order], times[order])
        return out


def weights(path):
    with h5py.File(path, "r") as f:
        if "weights" not in f:
            return {}
        out = {}
        for proj in f["weights"]:
            g = f["weights"][proj]
            order = np.lexsort((g["target"][:], g["source"][:]))
            out[proj] = g["weight"][:][:, order]
        return out


class ThreadsAndRanksAgree(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-threads-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, net, settings):
        paths = []
        for ranks, threads in LAYOUTS:
            out = os.path.join(self.dir, f"{ranks}x{threads}.h5")
            args = ["run", net, "--output", out, "--quiet", f"--kokkos-num-threads={threads}"]
            for s in settings:
                args += ["--set", s]
            result = run(args, ranks=ranks)
            self.assertEqual(result.returncode, 0, f"{ranks}x{threads}: {result.stderr}")
            paths.append(out)
        first_spikes, first_weights = spikes(paths[0]), weights(paths[0])
        self.assertGreater(sum(len(n) for n, _ in first_spikes.values()), 1000)
        for (ranks, threads), path in zip(LAYOUTS[1:], paths[1:]):
            got = spikes(path)
            for pop, (nodes, times) in first_spikes.items():
                np.testing.assert_array_equal(got[pop][0], nodes, f"{ranks}x{threads} {pop}")
                np.testing.assert_array_equal(got[pop][1], times, f"{ranks}x{threads} {pop}")
            got_weights = weights(path)
            for proj, w in first_weights.items():
                np.testing.assert_array_equal(got_weights[proj], w, f"{ranks}x{threads} {proj}")
        return first_weights

    def test_static_brunel(self):
        self.check(BRUNEL, ["population[0].size=2000", "population[1].size=500",
                            "projection[0].connect.indegree=200",
                            "projection[1].connect.indegree=200",
                            "projection[2].connect.indegree=50",
                            "projection[3].connect.indegree=50",
                            "simulation.t_stop_ms=200"])

    def test_static_fixed_outdegree(self):
        # Drawn per source, so a row's targets are not increasing: threads must fall back from
        # target blocks (which cut segments by binary search) to atomics, and still agree.
        self.check(BRUNEL, ["population[0].size=2000", "population[1].size=500",
                            'projection[0].connect={rule="fixed_outdegree", outdegree=200}',
                            'projection[1].connect={rule="fixed_outdegree", outdegree=50}',
                            "projection[2].connect.indegree=50",
                            "projection[3].connect.indegree=50",
                            "simulation.t_stop_ms=200"])

    def test_plastic_stdp_demo(self):
        w = self.check(STDP, ["simulation.t_stop_ms=400"])
        self.assertTrue(w, "the STDP demo records weights")
        first, last = next(iter(w.values()))[[0, -1]]
        self.assertFalse(np.array_equal(first, last), "the weights must have changed")


if __name__ == "__main__":
    import sys
    unittest.main(argv=sys.argv[:1])
