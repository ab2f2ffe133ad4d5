"""The energy estimate of a run (/provenance/energy, `spikeweave inspect`): the SynOp count is
the engine's synaptic event count and equals what the recorded spikes and the known out-degrees
imply (every emitted spike is delivered to each of its synapses, also after t_stop); neuron
updates are neurons x steps; the joules equal a hand computation with an edited table; a bad
table is refused naming the file.

Run by CTest as: /usr/bin/python3 test_energy.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import os
import shutil
import sys
import tempfile
import unittest

import h5py
import numpy as np

from cli_harness import run

TABLE = """
[[platform]]
name = "toy"
pj_per_synop = 2.5
pj_per_neuron_update = 0.125
pj_per_spike = 7.0
source = "made up for the test"

[[platform]]
name = "synops_only"
pj_per_synop = 1.0
pj_per_neuron_update = 0.0
pj_per_spike = 0.0
source = "made up"
"""

NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 200.0
seed = 5
output = "out.h5"
energy_table = "table.toml"

[[population]]
name = "in"
size = 6
model = "parrot"

[[population]]
name = "out"
size = 3
model = "lif_psc_exp"
params = { tau_m_ms = 10.0, c_m_pf = 250.0, v_th_mv = -55.0, e_l_mv = -70.0, v_reset_mv = -70.0, t_ref_ms = 2.0 }

[[projection]]
source = "in"
target = "out"
connect = { rule = "all_to_all" }
weight_pa = 600.0
delay_ms = 1.0

[[projection]]
source = "out"
target = "out"
connect = { rule = "all_to_all", allow_autapses = false }
weight_pa = 50.0
delay_ms = 1.5

[[stimulus]]
kind = "rate"
target = "in"
data = "x.npy"
max_rate_hz = 150.0
present_ms = 40.0
rest_ms = 10.0
weight_mv = 1.0

[[record]]
spikes = "all"
"""


class Energy(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-energy-")
        np.save(os.path.join(self.dir, "x.npy"),
                np.random.default_rng(1).uniform(0, 1, size=(4, 6)))
        for name, text in (("table.toml", TABLE), ("net.toml", NET)):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_net(self, ranks=None):
        result = run(["run", "net.toml", "-q", "--overwrite"], ranks=ranks, cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(os.path.join(self.dir, "out.h5"), "r") as f:
            s_in = len(f["spikes/in/node_ids"])
            s_out = len(f["spikes/out/node_ids"])
            counters = dict(f["provenance/counters"].attrs)
            energy = {k: v for k, v in f["provenance/energy"].attrs.items()}
            platforms = {name: dict(g.attrs) for name, g in f["provenance/energy"].items()}
        return s_in, s_out, counters, energy, platforms

    def test_counts_and_joules(self):
        for ranks in (None, 2):
            s_in, s_out, counters, energy, platforms = self.run_net(ranks)
            self.assertGreater(s_in, 50)
            self.assertGreater(s_out, 5)
            # all_to_all: each input spike reaches 3 synapses, each output spike 2.
            synops = 3 * s_in + 2 * s_out
            self.assertEqual(energy["synops"], synops)
            self.assertEqual(energy["synops"], counters["synaptic_events"])
            self.assertEqual(energy["neuron_updates"], 9 * 2000)
            self.assertEqual(energy["spikes"], s_in + s_out)
            joules = 1e-12 * (2.5 * synops + 0.125 * 9 * 2000 + 7.0 * (s_in + s_out))
            self.assertAlmostEqual(platforms["toy"]["joules"], joules, delta=1e-15 * joules)
            self.assertEqual(platforms["synops_only"]["joules"], synops * 1e-12)
            self.assertEqual(platforms["toy"]["source"], "made up for the test")
            self.assertIn('name = "toy"', energy["table_toml"])
        shown = run(["inspect", "out.h5"], cwd=self.dir)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn(f"energy estimate: {synops} synaptic events (SynOps)", shown.stdout)
        self.assertIn("toy", shown.stdout)

    def test_bad_table(self):
        with open(os.path.join(self.dir, "table.toml"), "w") as f:
            f.write(TABLE.replace("pj_per_spike = 7.0", "pj_per_spike = -1.0"))
        result = run(["run", "net.toml", "-q"], cwd=self.dir)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("table.toml", result.stderr)
        self.assertIn("pj_per_spike", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out.h5")))

    def test_default_table_is_the_shipped_one(self):
        with open(os.path.join(self.dir, "net.toml"), "w") as f:
            f.write(NET.replace('energy_table = "table.toml"\n', ""))
        _, _, _, energy, platforms = self.run_net()
        self.assertTrue(energy["table_path"].endswith("examples/energy_per_operation.toml"))
        self.assertEqual(platforms["loihi"]["pj_per_synop"], 23.6)
        self.assertAlmostEqual(platforms["truenorth"]["joules"], 26e-12 * energy["synops"],
                               delta=1e-15 * 26e-12 * energy["synops"])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
