"""The task pipeline (spikeweave task / python3 -m spikeweave.task) in a reduced configuration
that fits CI (the full digits result, with its command, is in README "Task pipeline"):

- digits: 30 excitatory neurons trained on 300 presentations (200 ms + 100 ms rest), responses to
  300 training and 150 test images. The STDP layer's readout must beat the same readout on the
  untrained (random-weight) layer by at least 15 points of accuracy (a feature layer that learned
  nothing would tie with it; measured 70.0 % against 41.3 %, so the bound leaves 14 points for
  other platforms' rounding to move single spikes) and be far above chance (10 %; bound 60 %);
  the spike counts, hence the accuracy, are bitwise the same on 1 and 2 ranks and on a rerun
  with the same seed.
- ECG (synthetic, 60 windows per class): sensitivity and specificity both above 0.6 and ROC AUC
  above 0.65 (chance: 0.5), the same on 2 ranks.
- the `spikeweave task` command runs the pipeline and writes results.json with split, seed and
  metrics.
"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np

import helpers

EXE = helpers.binary()
from spikeweave import task  # noqa: E402

REDUCED = dict(n_exc=30, train_presentations=300, present_ms=200.0, rest_ms=100.0,
               readout_images=(300, 150))


class Digits(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.one = task.digits_task(EXE, os.path.join(cls.tmp.name, "one"), **REDUCED)
        cls.two = task.digits_task(EXE, os.path.join(cls.tmp.name, "two"), ranks=2, **REDUCED)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_stdp_layer_beats_random_layer(self):
        stdp, random = self.one["stdp"]["accuracy"], self.one["random"]["accuracy"]
        self.assertGreater(stdp, 0.6, self.one)
        self.assertGreater(stdp - random, 0.15, (stdp, random))
        self.assertEqual(np.array(self.one["stdp"]["confusion"]).sum(), 150)

    def test_energy_per_image(self):
        e = self.one["energy_per_image"]
        self.assertEqual(e["dense_macs_per_image"], 64 * 30 + 30 + 30 * 30)
        self.assertGreater(e["synops_per_image"], 0)
        # The shipped table: 4.6 pJ per dense MAC at 45 nm; the spiking estimate on Loihi is
        # 23.6 pJ per SynOp plus neuron updates and spikes, so it exceeds 23.6 pJ x SynOps.
        self.assertAlmostEqual(e["cmos_45nm_fp32"]["dense_joules"],
                               e["dense_macs_per_image"] * 4.6e-12, delta=1e-20)
        self.assertGreater(e["loihi"]["spiking_joules"], 23.6e-12 * e["synops_per_image"])

    def test_same_on_two_ranks(self):
        for name in ("stdp", "random"):
            a = np.load(os.path.join(self.tmp.name, "one", f"counts_{name}.npy"))
            b = np.load(os.path.join(self.tmp.name, "two", f"counts_{name}.npy"))
            np.testing.assert_array_equal(a, b)
            self.assertEqual(self.one[name]["accuracy"], self.two[name]["accuracy"])
        np.testing.assert_array_equal(
            np.load(os.path.join(self.tmp.name, "one", "weights_stdp.npy")),
            np.load(os.path.join(self.tmp.name, "two", "weights_stdp.npy")))


class Ecg(unittest.TestCase):
    def test_synthetic_above_chance_and_rank_invariant(self):
        with tempfile.TemporaryDirectory() as tmp:
            one = task.ecg_task(EXE, os.path.join(tmp, "one"), n_per_class=60)
            two = task.ecg_task(EXE, os.path.join(tmp, "two"), n_per_class=60, ranks=2)
        r = one["readout"]
        self.assertGreater(r["sensitivity"], 0.6, r)
        self.assertGreater(r["specificity"], 0.6, r)
        self.assertGreater(r["roc_auc"], 0.65, r)
        self.assertEqual(one["readout"], two["readout"])

    def test_generator_is_seeded(self):
        a, la = task.synthetic_ecg(5, 9)
        b, lb = task.synthetic_ecg(5, 9)
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(la, lb)
        self.assertEqual(sorted(la.tolist()), [0] * 5 + [1] * 5)


class Command(unittest.TestCase):
    def test_spikeweave_task_writes_results(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "ecg")
            result = helpers.spikeweave(EXE, "task", "ecg", "--out", out, "--per-class", "20")
            self.assertIn("sensitivity", result.stdout)
            with open(os.path.join(out, "results.json")) as f:
                results = json.load(f)
            self.assertEqual(results["seed"], 3)
            self.assertEqual(results["split"]["train_rows"], [0, 28])
            self.assertIn("confusion", results["readout"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
