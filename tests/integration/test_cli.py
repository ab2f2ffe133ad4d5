"""End-to-end tests of the spikeweave executable: the output file, the CLI and error handling.

Run by CTest as: /usr/bin/python3 test_cli.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

from cli_harness import ENV, HERE, NET, SPIKEWEAVE, run


class OutputFile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="spikeweave-cli-")
        cls.path = os.path.join(cls.dir, "small.h5")
        cls.result = run(["run", NET, "--output", cls.path], ranks=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_run_succeeds_and_reports_progress(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertIn("real-time factor", self.result.stderr)
        self.assertIn("ETA", self.result.stderr)
        self.assertFalse(os.path.exists(self.path + ".partial"))

    def reported_counts(self):
        # "[spikeweave] exc   1234 spikes, mean rate ..." from the run's summary.
        return {m.group(1): int(m.group(2))
                for m in re.finditer(r"\[spikeweave\] (\w+)\s+(\d+) spikes", self.result.stderr)}

    def test_h5py_reads_sonata_layout_with_engine_counts(self):
        counts = self.reported_counts()
        self.assertEqual(set(counts), {"exc", "inh"})
        with h5py.File(self.path, "r") as f:
            for pop, size in (("exc", 400), ("inh", 100)):
                g = f["spikes"][pop]
                t = g["timestamps"][:]
                n = g["node_ids"][:]
                self.assertEqual(t.dtype, np.float64)
                self.assertEqual(n.dtype, np.uint64)
                self.assertEqual(g["timestamps"].attrs["units"], "ms")
                self.assertEqual(len(t), counts[pop])
                self.assertGreater(len(t), 0)
                self.assertTrue(np.all((t > 0) & (t <= 200.0 + 1e-9)))
                self.assertTrue(np.all(n < size))
                # Times lie on the 0.1 ms grid.
                self.assertTrue(np.allclose(t * 10, np.round(t * 10), atol=1e-6))
            prov = f["provenance"]
            self.assertEqual(int(prov.attrs["ranks"]), 2)
            self.assertIn("[[population]]", prov.attrs["config_toml"])
            self.assertIn("update", prov["phase_seconds"].attrs)
            self.assertEqual(int(prov["counters"].attrs["spikes"]), counts["exc"] + counts["inh"])

    def test_voltage_report_layout(self):
        with h5py.File(self.path, "r") as f:
            r = f["report"]["exc"]
            data = r["data"][:]
            self.assertEqual(data.shape, (200, 10))  # every 1 ms for 200 ms, 10 neurons
            self.assertEqual(sorted(r["mapping"]["node_ids"][:].tolist()), list(range(10)))
            np.testing.assert_allclose(r["mapping"]["time"][:], [1.0, 201.0, 1.0])
            # Potentials stay between the lowest plausible value and threshold.
            self.assertTrue(np.all(data < -50.0 + 1e-9) and np.all(data > -100.0))

    def test_h5dump_reads_the_file(self):
        out = subprocess.run(["h5dump", "-H", self.path], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn('DATASET "timestamps"', out.stdout)

    def test_inspect_prints_counts_and_rates(self):
        out = run(["inspect", self.path])
        self.assertEqual(out.returncode, 0, out.stderr)
        counts = self.reported_counts()
        for pop in ("exc", "inh"):
            line = next(l for l in out.stdout.splitlines() if l.startswith(pop))
            fields = line.split()
            self.assertEqual(int(fields[2]), counts[pop])
            size = 400 if pop == "exc" else 100
            self.assertAlmostEqual(float(fields[3]), counts[pop] / (size * 0.2), places=3)

    def test_one_and_two_ranks_write_the_same_spikes(self):
        one = os.path.join(self.dir, "one.h5")
        result = run(["run", NET, "--output", one, "--quiet"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")  # --quiet prints nothing on success
        with h5py.File(one, "r") as a, h5py.File(self.path, "r") as b:
            for pop in ("exc", "inh"):
                ka = np.lexsort((a["spikes"][pop]["timestamps"][:], a["spikes"][pop]["node_ids"][:]))
                kb = np.lexsort((b["spikes"][pop]["timestamps"][:], b["spikes"][pop]["node_ids"][:]))
                np.testing.assert_array_equal(a["spikes"][pop]["node_ids"][:][ka], b["spikes"][pop]["node_ids"][:][kb])
                np.testing.assert_array_equal(a["spikes"][pop]["timestamps"][:][ka], b["spikes"][pop]["timestamps"][:][kb])
            np.testing.assert_array_equal(np.sort(a["report"]["exc"]["data"][:], axis=1),
                                          np.sort(b["report"]["exc"]["data"][:], axis=1))


class PlasticStateRecording(unittest.TestCase):
    """examples/plasticity_cascade.toml records rho and late_weight beside the weights."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="spikeweave-state-")
        cls.path = os.path.join(cls.dir, "cascade.h5")
        example = os.path.join(HERE, "..", "..", "examples", "plasticity_cascade.toml")
        cls.result = run(["run", example, "--output", cls.path, "--quiet",
                          "--set", "simulation.t_stop_ms=3000"], ranks=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_state_variables_match_the_weights(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        with h5py.File(self.path, "r") as f:
            g = f["weights"]["cascade"]
            w, rho, late = g["weight"][:], g["rho"][:], g["late_weight"][:]
            self.assertEqual(w.shape, (31, 500))  # every 100 ms from 0 to 3000 ms, 500 sampled
            self.assertEqual(rho.shape, w.shape)
            self.assertEqual(late.shape, w.shape)
            self.assertTrue(np.all((rho >= 0.0) & (rho <= 1.0)))
            self.assertTrue(np.all(np.isfinite(late)))
            self.assertGreater(np.ptp(rho[-1]), 0.0)  # the rule acted
            # weight = (w_min + rho (w_max - w_min)) x the target's homeostatic gain, w_min = 0,
            # w_max = 120 pA: weight / rho is one number per target neuron and sample.
            target = g["target"][:]
            ratio = w[-1] / np.maximum(rho[-1], 1e-12)
            for t in np.unique(target):
                r = ratio[(target == t) & (rho[-1] > 0.05)]
                if len(r) > 1:
                    np.testing.assert_allclose(r, r[0], rtol=1e-5)
                    self.assertGreater(r[0], 0.0)

    def test_unknown_state_variable_names_the_key(self):
        example = os.path.join(HERE, "..", "..", "examples", "plasticity_cascade.toml")
        with open(example) as f:
            text = f.read().replace('variables = ["rho", "late_weight"]', 'variables = ["eligibility"]')
        bad = os.path.join(self.dir, "bad.toml")
        with open(bad, "w") as f:
            f.write(text)
        result = run(["run", bad, "--output", os.path.join(self.dir, "bad.h5")], ranks=2)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("variables", result.stderr)
        self.assertIn("rho, late_weight", result.stderr)



MODEL_STATE_NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0
seed = 5

[[population]]
name = "adex"
size = 6
model = "aeif_cond_exp"
params = { i_e_pa = 700.0, b_pa = 60.0 }
init = { v_m_mv = { uniform = [-70.0, -60.0] } }

[[population]]
name = "izh"
size = 4
model = "izhikevich"
params = { i_e_pa = 10.0 }

[[stimulus]]
kind = "poisson"
target = "adex"
rate_hz = 3000.0
weight_ns = 2.0

[[record]]
v_m = { population = "adex", count = 6, every_ms = 0.5, variables = ["w_pa", "g_ex_ns"] }

[[record]]
v_m = { population = "izh", count = 4, every_ms = 1.0, variables = ["u_mv"] }
"""


class ModelStateRecording(unittest.TestCase):
    """v_m recordings with `variables`: /report/<population>/<variable> beside data."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="spikeweave-model-state-")
        cls.net = os.path.join(cls.dir, "net.toml")
        with open(cls.net, "w") as f:
            f.write(MODEL_STATE_NET)
        cls.paths = {}
        cls.results = {}
        for ranks in (1, 2):
            cls.paths[ranks] = os.path.join(cls.dir, f"state{ranks}.h5")
            cls.results[ranks] = run(["run", cls.net, "--output", cls.paths[ranks], "--quiet"],
                                     ranks=ranks)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_layout_units_and_values(self):
        for ranks in (1, 2):
            self.assertEqual(self.results[ranks].returncode, 0, self.results[ranks].stderr)
        with h5py.File(self.paths[2], "r") as f:
            r = f["report"]["adex"]
            self.assertEqual(r["data"].shape, (200, 6))
            self.assertEqual(r["w_pa"].shape, (200, 6))
            self.assertEqual(r["g_ex_ns"].shape, (200, 6))
            self.assertEqual(r["w_pa"].dtype, np.float32)
            self.assertEqual(r["w_pa"].attrs["units"], "pA")
            self.assertEqual(r["g_ex_ns"].attrs["units"], "nS")
            w = r["w_pa"][:]
            # w starts at 0, grows by b = 60 pA at each spike and decays in between: the neurons
            # fire under 700 pA, so w ends above one jump's decay and stays below 1e4 pA.
            self.assertTrue(np.all(w[-1] > 10.0) and np.all(w < 1e4))
            self.assertTrue(np.all(r["g_ex_ns"][:] >= 0.0))
            u = f["report"]["izh"]["u_mv"]
            self.assertEqual(u.shape, (100, 4))
            self.assertEqual(u.attrs["units"], "mV")
            # u starts at b v = -13 mV and rises with the spikes (d = 8 mV each).
            self.assertGreater(float(u[-1][0]), float(u[0][0]))

    def test_one_and_two_ranks_record_the_same_state(self):
        with h5py.File(self.paths[1], "r") as a, h5py.File(self.paths[2], "r") as b:
            for pop, variables in (("adex", ("data", "w_pa", "g_ex_ns")), ("izh", ("data", "u_mv"))):
                ia = np.argsort(a["report"][pop]["mapping"]["node_ids"][:])
                ib = np.argsort(b["report"][pop]["mapping"]["node_ids"][:])
                for v in variables:
                    np.testing.assert_array_equal(a["report"][pop][v][:][:, ia],
                                                  b["report"][pop][v][:][:, ib])

    def test_a_variable_that_is_not_recordable_names_the_key(self):
        bad = os.path.join(self.dir, "bad.toml")
        with open(bad, "w") as f:
            f.write(MODEL_STATE_NET.replace('variables = ["u_mv"]', 'variables = ["w_pa"]'))
        result = run(["run", bad, "--output", os.path.join(self.dir, "bad.h5")], ranks=2)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("record[1].v_m.variables", result.stderr)
        self.assertIn("it has: u_mv", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "bad.h5")))

class Errors(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-err-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def bad_config(self, old, new):
        with open(NET) as f:
            text = f.read()
        self.assertIn(old, text)
        return self.write("bad.toml", text.replace(old, new, 1))

    def expect_failure(self, args, fragment, ranks=2):
        result = run(args, ranks=ranks)
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertIn(fragment, result.stderr)
        # Reported once, not once per rank.
        self.assertEqual(result.stderr.count(fragment), 1, result.stderr)
        return result

    def test_missing_toml_file(self):
        self.expect_failure(["run", os.path.join(self.dir, "nope.toml")], "nope.toml: no such file")

    def test_bad_value_names_the_key_on_every_rank_count(self):
        bad = self.bad_config("delay_ms = 0.8", "delay_ms = 0.05")
        for ranks in (1, 3):
            self.expect_failure(["run", bad, "-o", os.path.join(self.dir, "x.h5")],
                                "projection[2].delay_ms: 0.05 is below dt_ms 0.1", ranks=ranks)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.h5")))

    def test_unknown_key_and_wrong_type(self):
        self.expect_failure(["run", self.bad_config("seed = 11", "seed = 11\nsteed = 1")],
                            "simulation.steed: unknown key")
        self.expect_failure(["run", self.bad_config("size = 100", "size = \"many\"")],
                            "population[1].size: expected an integer")

    def test_existing_output_is_kept_without_overwrite(self):
        out = os.path.join(self.dir, "keep.h5")
        with open(out, "w") as f:
            f.write("earlier result")
        self.expect_failure(["run", NET, "--output", out], "--overwrite")
        with open(out) as f:
            self.assertEqual(f.read(), "earlier result")
        result = run(["run", NET, "--output", out, "--overwrite", "--quiet"], ranks=2)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(out, "r") as f:
            self.assertIn("spikes", f)

    def test_unwritable_output_directory(self):
        locked = os.path.join(self.dir, "locked")
        os.mkdir(locked)
        os.chmod(locked, 0o555)
        os.chmod(self.dir, 0o755)
        args = ["run", NET, "--output", os.path.join(locked, "x.h5")]
        if os.geteuid() == 0:
            # root may write anywhere: run as the unprivileged user `nobody` instead, if that
            # user can reach the executable and the configuration (not under /root, say).
            as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SPIKEWEAVE]
            probe = subprocess.run(as_nobody + ["--version"], env=ENV, capture_output=True, text=True)
            if probe.returncode != 0 or not os.access(NET, os.R_OK, effective_ids=False):
                self.skipTest("user nobody cannot run the build tree's executable here")
            result = subprocess.run(as_nobody + args, env=ENV, capture_output=True, text=True, timeout=120)
        else:
            result = run(args)
        self.assertNotEqual(result.returncode, 0, result.stderr)
        self.assertIn("is not writable", result.stderr)
        self.assertEqual(os.listdir(locked), [])

    def test_output_path_that_cannot_be_a_directory(self):
        blocker = self.write("file", "x")
        self.expect_failure(["run", NET, "--output", os.path.join(blocker, "x.h5")], "cannot be created")

    def test_unknown_command_and_help(self):
        self.expect_failure(["frobnicate"], "unknown command 'frobnicate'", ranks=None)
        for args in (["--help"], ["run", "--help"], ["inspect", "--help"]):
            result = run(args)
            self.assertEqual(result.returncode, 0)
            self.assertIn("Usage", result.stdout)
        version = run(["--version"])
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"spikeweave \d+\.\d+\.\d+")

    def test_inspect_rejects_a_non_hdf5_file(self):
        self.expect_failure(["inspect", self.write("plain.txt", "hello")], "not an HDF5 file", ranks=None)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
