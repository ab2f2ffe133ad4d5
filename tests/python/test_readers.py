"""The readers against real files written by the spikeweave binary (argv[1]): the same counts
as `spikeweave inspect`, consistent arrays, and clear errors for files that are not SpikeWeave's.
Usage: test_readers.py SPIKEWEAVE_BINARY"""
import os
import tempfile
import unittest

import h5py
import numpy as np

import helpers

EXE = helpers.binary()

import spikeweave  # noqa: E402
from spikeweave import SpikeWeaveFileError  # noqa: E402
from spikeweave.summary import summary_lines  # noqa: E402


class RunFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        cls.files = {
            "small": helpers.run_network(EXE, os.path.join(helpers.SOURCE_DIR, "tests",
                                                           "integration", "small_net.toml"),
                                         os.path.join(d, "small.h5")),
            "stdp": helpers.stdp_demo(EXE, os.path.join(d, "stdp.h5")),
            "cascade": helpers.cascade(EXE, os.path.join(d, "cascade.h5")),
            "silent": helpers.run_network(EXE, helpers.write(os.path.join(d, "silent.toml"),
                                                             helpers.SILENT_NET),
                                          os.path.join(d, "silent.h5")),
            "one": helpers.run_network(EXE, helpers.write(os.path.join(d, "one.toml"),
                                                          helpers.ONE_POPULATION_NET),
                                       os.path.join(d, "one.h5")),
            "state": helpers.run_network(EXE, helpers.write(os.path.join(d, "state.toml"),
                                                            helpers.STATE_NET),
                                         os.path.join(d, "state.h5")),
        }

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_counts_equal_inspect(self):
        for name, path in self.files.items():
            with self.subTest(file=name):
                run = spikeweave.RunFile(path)
                expected = helpers.inspect_counts(EXE, path)
                got = {p.name: (p.n_nodes, p.n_spikes) for p in run.populations}
                self.assertEqual(got, expected)
                for p in run.populations:
                    self.assertEqual(int(run.spike_counts(p.name).sum()), p.n_spikes)
                    self.assertEqual(len(run.spikes(p.name)), p.n_spikes)

    def test_summary_prints_what_inspect_prints(self):
        for name, path in self.files.items():
            with self.subTest(file=name):
                inspect = helpers.spikeweave(EXE, "inspect", path).stdout.splitlines()
                self.assertEqual(summary_lines(path)[:len(inspect)], inspect)

    def test_spike_arrays_are_consistent(self):
        run = spikeweave.RunFile(self.files["small"])
        exc = run.spikes("exc")
        self.assertEqual(exc.node_ids.dtype, np.uint64)
        self.assertTrue((exc.node_ids < exc.n_nodes).all())
        self.assertTrue(((exc.times_ms > 0) & (exc.times_ms <= run.t_stop_ms)).all())
        subset = [0, 7, 399]
        part = run.spikes("exc", node_ids=subset, chunk_rows=500)  # several chunks
        mask = np.isin(exc.node_ids, subset)
        np.testing.assert_array_equal(np.sort(part.times_ms), np.sort(exc.times_ms[mask]))
        trains = exc.trains(subset)
        self.assertEqual(sum(len(t) for t in trains.values()), int(mask.sum()))
        self.assertTrue(all((np.diff(t) >= 0).all() for t in trains.values()))

    def test_streaming_scan_equals_a_full_read(self):
        run = spikeweave.RunFile(self.files["small"])
        exc = run.spikes("exc")
        scan = spikeweave.scan_population(run, "exc", [3, 5], 2.0, chunk_rows=777)
        np.testing.assert_array_equal(scan.counts, np.bincount(exc.node_ids.astype(np.int64),
                                                                minlength=400))
        self.assertEqual(int(scan.binned.sum()), len(exc))
        self.assertEqual(len(scan.binned), 100)  # 200 ms / 2 ms
        self.assertEqual(len(scan.kept), int(np.isin(exc.node_ids, [3, 5]).sum()))

    def test_membrane_report(self):
        run = spikeweave.RunFile(self.files["small"])
        self.assertEqual(run.reports, ["exc"])
        report = run.membrane("exc")
        np.testing.assert_array_equal(report.node_ids, np.arange(10))
        self.assertEqual(report.data.shape, (len(report.times_ms), 10))
        self.assertEqual(len(report.times_ms), 200)  # every 1 ms for 200 ms
        self.assertTrue(np.all(report.data < 0))  # [mV], resting at -65

    def test_recorded_state_variables(self):
        run = spikeweave.RunFile(self.files["state"])
        self.assertEqual(run.state_variables("adex"), ["w_pa"])
        self.assertEqual(run.state_variables("alif"), ["theta_mv", "w_pa"])
        self.assertEqual(spikeweave.RunFile(self.files["small"]).state_variables("exc"), [])
        w = run.state("adex", "w_pa")
        v = run.membrane("adex")
        self.assertEqual(w.units, "pA")
        np.testing.assert_array_equal(w.node_ids, v.node_ids)
        np.testing.assert_array_equal(w.times_ms, v.times_ms)
        self.assertEqual(w.data.shape, (100, 5))
        with h5py.File(self.files["state"], "r") as f:
            np.testing.assert_array_equal(w.data, f["report/adex/w_pa"][()])
        self.assertTrue(np.all(w.data[-1] > 0))  # b = 60 pA per spike; the neurons fire
        theta = run.state("alif", "theta_mv")
        self.assertEqual(theta.units, "mV")
        self.assertEqual(theta.data.shape, (200, 3))
        self.assertTrue(np.all(theta.data >= 0) and np.any(theta.data > 0.5))
        with self.assertRaisesRegex(SpikeWeaveFileError, "no state variable 'g_ex_ns'.*w_pa"):
            run.state("adex", "g_ex_ns")
        with self.assertRaisesRegex(SpikeWeaveFileError, "no membrane report for 'nope'"):
            run.state("nope", "w_pa")

    def test_weights_and_plastic_variables(self):
        stdp = spikeweave.RunFile(self.files["stdp"]).weights("EE")
        self.assertEqual(stdp.weight.shape, (len(stdp.time_ms), 250))
        self.assertEqual(len(stdp.time_ms), 21)  # 0, 50, ..., 1000 ms
        self.assertEqual(stdp.units, "pA")
        self.assertTrue((stdp.weight >= 0).all() and (stdp.weight <= 160.0).all())  # w_max_pa
        cascade = spikeweave.RunFile(self.files["cascade"])
        self.assertEqual(cascade.weight_info("cascade").variables, ["late_weight", "rho"])
        record = cascade.weights("cascade", columns=[0, 4])
        self.assertEqual(record.weight.shape, (len(record.time_ms), 2))
        self.assertEqual(record.variables["rho"].shape, record.weight.shape)

    def test_provenance_and_counters(self):
        run = spikeweave.RunFile(self.files["small"])
        p = run.provenance
        self.assertEqual((p.t_stop_ms, p.dt_ms, p.ranks, p.seed), (200.0, 0.1, 1, 11))
        self.assertIn("[simulation]", p.config_toml)
        self.assertIn("update", p.phase_seconds)
        self.assertEqual(int(p.counters["neurons"]), 500)
        self.assertEqual(int(p.counters["spikes"]), sum(q.n_spikes for q in run.populations))

    def test_edge_cases(self):
        silent = spikeweave.RunFile(self.files["silent"])
        self.assertEqual([(p.name, p.n_spikes) for p in silent.populations], [("quiet", 0)])
        self.assertEqual((silent.reports, silent.weight_projections), ([], []))
        self.assertEqual(len(silent.spikes("quiet")), 0)
        with self.assertRaisesRegex(SpikeWeaveFileError, "no recorded weights"):
            silent.weights("EE")
        with self.assertRaisesRegex(SpikeWeaveFileError, "no spike population 'exc'"):
            silent.spikes("exc")


class DatasetFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.rate = os.path.join(cls.tmp.name, "rate.h5")
        helpers.spikeweave(EXE, "dataset", "rate", os.path.join(helpers.SOURCE_DIR, "examples",
                                                                "dataset_rate.toml"),
                           "--networks", 5, "--neurons", 12, "--trials", 2, "--steps", 30,
                           "--out", cls.rate, "-q")
        cls.spiking = os.path.join(cls.tmp.name, "spiking.h5")
        helpers.spikeweave(EXE, "dataset", "spiking", os.path.join(
            helpers.SOURCE_DIR, "examples", "dataset_spiking_brunel_small.toml"),
            "--networks", 3, "--vary", "stimulus[0].rate_hz=uniform:3000,5000",
            "--set", "simulation.t_stop_ms=50", "--out", cls.spiking, "-q")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_rate_dataset(self):
        self.assertEqual(spikeweave.file_kind(self.rate), "rate_dataset")
        d = spikeweave.open_file(self.rate)
        self.assertEqual((d.networks, d.neurons, d.trials, d.steps, d.n_done), (5, 12, 2, 30, 5))
        net = d.network(4)
        self.assertEqual(net.W.shape, (12, 12))
        self.assertEqual(net.activity.shape, (2, 30, 12))
        self.assertIn("gain", d.param_columns)
        with h5py.File(self.rate, "r") as f:
            np.testing.assert_array_equal(net.W, f["W"][4])
        inspect = helpers.spikeweave(EXE, "inspect", self.rate).stdout.splitlines()
        self.assertEqual(inspect, [f"{self.rate}: rate dataset, 5 networks (5 done), 12 neurons, "
                                   "2 trials, 30 steps"])
        self.assertEqual(summary_lines(self.rate), inspect)

    def test_spiking_dataset(self):
        d = spikeweave.open_file(self.spiking)
        self.assertIsInstance(d, spikeweave.SpikingDataset)
        self.assertEqual((d.instances, int(d.done.sum())), (3, 3))
        self.assertEqual(d.populations, ["exc", "inh"])
        with h5py.File(self.spiking, "r") as f:
            for p in d.populations:
                self.assertEqual(d.total_spikes(p), len(f["spikes"][p]["node_ids"]))
                self.assertEqual(int(d.spike_counts(p).sum()), d.total_spikes(p))
        inst = d.instance(2)
        self.assertEqual(len(inst.spikes["exc"][0]), d.spike_counts("exc")[2])
        self.assertEqual(len(inst.connectivity["exc_to_exc"]["weight"]), 400 * 40)
        self.assertIn("stimulus[0].rate_hz", d.params)
        inspect = helpers.spikeweave(EXE, "inspect", self.spiking).stdout.splitlines()
        self.assertEqual(inspect[0], f"{self.spiking}: spiking dataset, 3 instances (3 done)")
        expected = [f"population {p}: {d.total_spikes(p)} spikes" for p in d.populations] + \
            [f"projection {q}: {int(d.synapse_counts(q).sum())} synapses" for q in d.projections]
        self.assertEqual(inspect[1:], expected)
        self.assertEqual(summary_lines(self.spiking), inspect)


class NotSpikeWeaveFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_clear_errors(self):
        text = helpers.write(os.path.join(self.tmp.name, "notes.h5"), "not hdf5")
        other = os.path.join(self.tmp.name, "other.h5")
        with h5py.File(other, "w") as f:
            f["data"] = np.arange(3)
        cases = [(text, "not an HDF5 file"), (other, "not a SpikeWeave file"),
                 (os.path.join(self.tmp.name, "missing.h5"), "no such file")]
        for path, message in cases:
            with self.subTest(path=path):
                with self.assertRaisesRegex(SpikeWeaveFileError, message) as caught:
                    spikeweave.open_file(path)
                self.assertTrue(str(caught.exception).startswith(path))
        with self.assertRaisesRegex(SpikeWeaveFileError, "not a SpikeWeave run file"):
            spikeweave.RunFile(other)

    def test_sweep_file_points_and_metrics(self):
        path = os.path.join(self.tmp.name, "sweep.h5")
        with h5py.File(path, "w") as f:  # the layout of the design (sweep files land later)
            f["points/g"] = [4.0, 5.0, 4.0, 5.0]
            f["points/eta"] = [1.0, 1.0, 2.0, 2.0]
            f["metrics/exc/rate_hz"] = [1.0, 2.0, 3.0, 4.0]
            f["done"] = np.ones(4, np.uint8)
        s = spikeweave.open_file(path)
        self.assertEqual((s.n_points, sorted(s.axes)), (4, ["eta", "g"]))
        np.testing.assert_array_equal(s.metrics["exc"]["rate_hz"], [1, 2, 3, 4])


if __name__ == "__main__":
    unittest.main()
