"""normalize_incoming, the weight normalisation of Diehl & Cook's (2015) feature layer: at every
multiple of every_ms each target's incoming weights of a plastic projection sum to total_<unit>
(float weights: to 1e-5 relative, the float rounding of 20 products), between normalisations STDP
moves the sums away again, and weights and spikes are the same on 1 and 2 ranks. A projection
without plasticity is refused.

weight_matrix, how a trained layer is frozen: a projection takes its weights from a source x
target .npy matrix (stored as float, so equal to 2^-24 relative), the same on 1 and 2 ranks; a
matrix of the wrong shape is refused naming the file.

init from a file (init = { theta_mv = "theta.npy" }), how the learned thresholds carry over:
neurons given a threshold offset of 1000 mV stay silent under a drive that makes the others
fire, on 1 and 2 ranks; a file with the wrong number of values is refused.

Run by CTest as: /usr/bin/python3 test_feature_layer.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import os
import shutil
import sys
import tempfile
import unittest

import h5py
import numpy as np

from cli_harness import run

NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 600.0
seed = 3
output = "out.h5"

[[population]]
name = "in"
size = 20
model = "poisson_source"
params = { rate_hz = 80.0 }

[[population]]
name = "out"
size = 5
model = "lif_psc_exp"
init = { v_m_mv = { uniform = [-70.0, -56.0] } }

[[projection]]
name = "XE"
source = "in"
target = "out"
connect = { rule = "all_to_all" }
weight_pa = { uniform = [50.0, 250.0] }
delay_ms = 1.0
plasticity = { rule = "stdp_pair", tau_plus_ms = 20.0, lambda = 0.05, alpha = 1.05, w_max_pa = 500.0 }
normalize_incoming = { total_pa = 3000.0, every_ms = 100.0 }

[[record]]
spikes = "all"
weights = { projection = "XE", every_ms = 50.0, sample = "all" }
"""


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-norm-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def simulate(self, text, ranks=None):
        with open(os.path.join(self.dir, "net.toml"), "w") as f:
            f.write(text)
        return run(["run", "net.toml", "-q", "--overwrite"], ranks=ranks, cwd=self.dir)



class NormalizeIncoming(Case):
    def read(self):
        with h5py.File(os.path.join(self.dir, "out.h5"), "r") as f:
            g = f["weights/XE"]
            order = np.lexsort((g["target"][:], g["source"][:]))
            weights = g["weight"][:][:, order]
            targets = g["target"][:][order]
            spikes = sorted(zip(f["spikes/out/node_ids"][:], f["spikes/out/timestamps"][:]))
            return g["time_ms"][:], weights, targets, spikes

    def test_sums_after_each_normalisation_and_rank_invariance(self):
        results = []
        for ranks in (None, 2):
            result = self.simulate(NET, ranks)
            self.assertEqual(result.returncode, 0, result.stderr)
            results.append(self.read())
        times, weights, targets, spikes = results[0]
        self.assertGreater(len(spikes), 50)  # the targets fire, so STDP moves the weights
        sums = np.array([[w[targets == t].sum() for t in range(5)] for w in weights])
        at_norm = (times > 0) & (np.round(times) % 100 == 0)
        np.testing.assert_allclose(sums[at_norm], 3000.0, rtol=1e-5)
        # In between, plasticity has moved every target's sum by more than 1 %.
        between = np.round(times) % 100 == 50
        self.assertTrue((np.abs(sums[between] - 3000.0) > 30.0).any(axis=1).all())
        # 1 and 2 ranks: bitwise the same weights and spikes.
        np.testing.assert_array_equal(results[0][1], results[1][1])
        self.assertEqual(results[0][3], results[1][3])

    def test_without_plasticity_refused(self):
        text = NET.replace('plasticity = { rule = "stdp_pair", tau_plus_ms = 20.0, lambda = 0.05, '
                           'alpha = 1.05, w_max_pa = 500.0 }\n', "")
        result = self.simulate(text)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("projection[0].normalize_incoming: needs a plastic projection",
                      result.stderr)

    def test_total_in_the_weight_unit(self):
        result = self.simulate(NET.replace("total_pa", "total_mv"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("total_pa", result.stderr)


class WeightMatrix(Case):
    def test_weights_from_the_matrix_on_1_and_2_ranks(self):
        w = np.random.default_rng(2).uniform(0, 300, size=(20, 5))
        np.save(os.path.join(self.dir, "w.npy"), w)
        text = NET.replace("weight_pa = { uniform = [50.0, 250.0] }", 'weight_matrix = "w.npy"')
        text = text.replace("every_ms = 50.0, sample", "every_ms = 600.0, sample")
        text = text.replace('normalize_incoming = { total_pa = 3000.0, every_ms = 100.0 }\n', "")
        for ranks in (None, 2):
            result = self.simulate(text, ranks)
            self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(os.path.join(self.dir, "out.h5"), "r") as f:
                g = f["weights/XE"]
                got = g["weight"][0]
                expected = w[g["source"][:], g["target"][:]]
            self.assertEqual(len(got), 100)
            np.testing.assert_allclose(got, expected, rtol=2.0 ** -23)

    def test_wrong_shape(self):
        np.save(os.path.join(self.dir, "w.npy"), np.ones((5, 20)))
        result = self.simulate(NET.replace("weight_pa = { uniform = [50.0, 250.0] }",
                                           'weight_matrix = "w.npy"'))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("w.npy: is 5 x 20; weight_matrix needs 20 x 5", result.stderr)


INIT_NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 200.0
output = "out.h5"

[[population]]
name = "exc"
size = 6
model = "lif_cond_exp_adaptive"
params = { i_e_pa = 600.0, theta_plus_mv = 0.0 }
init = { theta_mv = "theta.npy" }

[[record]]
spikes = "all"
"""


class PerNeuronInit(Case):
    def test_thresholds_from_a_file(self):
        np.save(os.path.join(self.dir, "theta.npy"), np.array([0.0, 1000.0, 0.0, 1000.0, 0.0, 2.0]))
        for ranks in (None, 2):
            result = self.simulate(INIT_NET, ranks)
            self.assertEqual(result.returncode, 0, result.stderr)
            with h5py.File(os.path.join(self.dir, "out.h5"), "r") as f:
                counts = np.bincount(f["spikes/exc/node_ids"][:].astype(int), minlength=6)
            self.assertEqual(counts[1], 0)
            self.assertEqual(counts[3], 0)
            self.assertTrue((counts[[0, 2, 4]] > 0).all())
            # A 2 mV higher threshold: a longer climb to it, fewer spikes.
            self.assertLess(counts[5], counts[0])

    def test_wrong_length(self):
        np.save(os.path.join(self.dir, "theta.npy"), np.zeros(5))
        result = self.simulate(INIT_NET)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("theta.npy: holds 1 x 5 values; population[0].init.theta_mv needs one per "
                      "neuron (6)", result.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
