"""`spikeweave report` (the C++ command running the Python package) on real and edge-case files:
every page is written, self-contained, with its notes; errors are clear.
Usage: test_report.py SPIKEWEAVE_BINARY"""
import os
import re
import tempfile
import unittest

import h5py
import numpy as np

import helpers

EXE = helpers.binary()

import spikeweave  # noqa: E402
import synthetic  # noqa: E402
from spikeweave.report import ReportOptions, render_report, write_report  # noqa: E402


def report(path, *extra, check=True, via_cli=False):
    """The page of `path`: in this process (quick), or through `spikeweave report` (the C++
    command that starts /usr/bin/python3 -m spikeweave), which returns the result on failure."""
    out = os.path.splitext(path)[0] + ".html"
    if via_cli:
        result = helpers.spikeweave(EXE, "report", path, "-o", out, *extra, check=check)
        if not check:
            return result
    else:
        synapse = int(extra[extra.index("--synapse") + 1]) if "--synapse" in extra else -1
        write_report(path, out, ReportOptions(synapse=synapse))
    with open(out, encoding="utf-8") as f:
        return f.read()


def notes(page):
    return set(re.findall(r'data-note="([^"]+)"', page))


class Reports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_self_contained(self, page):
        self.assertNotIn("<script", page)
        links = re.findall(r'(?:src|href)="([^"]+)"', page)
        self.assertTrue(all(link.startswith(("data:", "#")) for link in links), links)

    def test_run_with_membrane_report(self):
        path = helpers.run_network(EXE, os.path.join(helpers.SOURCE_DIR, "tests", "integration",
                                                     "small_net.toml"), self.path("small.h5"))
        page = report(path, via_cli=True)
        self.assert_self_contained(page)
        self.assertEqual(notes(page), {"no-weights"})
        self.assertEqual(len(re.findall(r'<svg[^>]*class="raster"', page)), 2)
        self.assertIn('data-kind="membrane" data-population="exc" data-samples="200"', page)
        self.assertIn("Configuration (TOML) of this run", page)

    def test_stdp_weights_and_synapse_view(self):
        page = report(helpers.stdp_demo(EXE, self.path("stdp.h5")), "--synapse", "3")
        self.assertIn('data-kind="weights" data-projection="EE" data-samples="21" '
                      'data-synapses="250"', page)
        self.assertIn('data-kind="synapse" data-projection="EE" data-column="3"', page)

    def test_cascade_shows_every_plastic_variable(self):
        page = report(helpers.cascade(EXE, self.path("cascade.h5")))
        self.assertRegex(page, r'data-kind="synapse"[^>]*data-variables="weight, late_weight, '
                               r'rho"')

    def test_zero_spikes_one_population_nothing_else(self):
        silent = helpers.run_network(EXE, helpers.write(self.path("silent.toml"),
                                                        helpers.SILENT_NET),
                                     self.path("silent.h5"))
        page = report(silent)
        self.assertEqual(notes(page), {"zero-spikes", "no-weights", "no-reports"})
        self.assertIn('data-spikes-drawn="0"', page)
        one = helpers.run_network(EXE, helpers.write(self.path("one.toml"),
                                                     helpers.ONE_POPULATION_NET),
                                  self.path("one.h5"))
        page = report(one)
        self.assertEqual(notes(page), {"no-weights", "no-reports"})
        spikes = spikeweave.RunFile(one).population("poisson").n_spikes
        self.assertIn(f'data-neurons-shown="60" data-neurons-total="60" '
                      f'data-spikes-drawn="{spikes}"', page)

    def test_dataset_pages(self):
        rate = self.path("rate.h5")
        helpers.spikeweave(EXE, "dataset", "rate", "--networks", 3, "--neurons", 8, "--steps",
                           20, "--gain", "uniform:0.5,2", "--out", rate, "-q")
        page = report(rate)
        self.assertIn("SpikeWeave rate dataset report", page)
        self.assertIn('data-kind="params"', page)
        self.assertIn('data-kind="example" data-network="0"', page)
        spiking = self.path("spiking.h5")
        helpers.spikeweave(EXE, "dataset", "spiking", os.path.join(
            helpers.SOURCE_DIR, "examples", "dataset_spiking_brunel_small.toml"),
            "--networks", 2, "--set", "simulation.t_stop_ms=30", "--out", spiking, "-q")
        page = report(spiking)
        self.assertIn("SpikeWeave spiking dataset report", page)
        self.assertEqual(len(re.findall(r'<svg[^>]*class="raster"', page)), 2)

    def test_sweep_file_page_maps_every_metric(self):
        # A real sweep (the sweep tests' small network, 2 x 2 grid, two repeats): one heat-map
        # figure per population and plastic projection and one for the cost per point, each cell
        # with finished points drawn.
        sweep = self.path("sweep.toml")
        with open(os.path.join(helpers.SOURCE_DIR, "tests", "jobs", "sweep", "small_sweep.toml")) as f:
            text = f.read()
        with open(sweep, "w") as f:
            f.write(text.replace('base = "small_net.toml"', 'base = "' + os.path.join(
                helpers.SOURCE_DIR, "tests", "jobs", "sweep", "small_net.toml") + '"'))
        path = self.path("sweep.h5")
        helpers.spikeweave(EXE, "sweep", sweep, "--out", path, "-q")
        s = spikeweave.open_file(path)
        page = report(path)
        groups = [g for g, v in s.metrics.items() if isinstance(v, dict)]
        figures = re.findall(r'<figure data-kind="sweep-metrics" data-group="([^"]+)" '
                             r'data-metrics="(\d+)" data-cells="(\d+)"', page)
        self.assertEqual(sorted(g for g, _, _ in figures), sorted(groups + ["cost per point"]))
        axes = [a for a in s.points if a not in ("repeat", "seed")
                and len(np.unique(s.points[a])) > 1]
        cells = int(np.prod([len(np.unique(s.points[a])) for a in axes[:2]]))
        for group, metrics, drawn in figures:
            expected = len(s.metrics[group]) if group in s.metrics else 2
            self.assertEqual((int(metrics), int(drawn)), (expected, cells))

    def test_sweep_page_notes(self):
        path = self.path("sweep_partial.h5")
        with h5py.File(path, "w") as f:
            f["points/g"] = [4.0, 5.0, 6.0]
            f["points/repeat"] = [0, 0, 0]
            f["metrics/exc/rate_hz"] = [1.0, np.nan, 3.0]
            f["done"] = np.array([1, 1, 0], np.uint8)
        page = report(path)
        self.assertEqual(notes(page), {"incomplete"})
        # One varying axis: a line over g; of its three cells one is unfinished and one has an
        # undefined (NaN) rate, so one cell is drawn.
        self.assertIn('data-group="exc" data-metrics="1" data-cells="1"', page)
        with h5py.File(path, "a") as f:
            del f["points/g"]
            f["points/g"] = [4.0, 4.0, 4.0]
        self.assertEqual(notes(report(path)), {"incomplete", "no-axes"})

    def test_not_a_spikeweave_file(self):
        other = self.path("other.h5")
        with h5py.File(other, "w") as f:
            f["x"] = np.arange(3)
        result = report(other, check=False, via_cli=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"spikeweave: error: {other}: not a SpikeWeave file", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertFalse(os.path.exists(self.path("other.html")))

    def test_missing_python_module_and_interpreter(self):
        fake = self.path("fake_modules")
        os.makedirs(fake, exist_ok=True)
        helpers.write(os.path.join(fake, "h5py.py"), "raise ImportError('h5py hidden by test')\n")
        path = synthetic.write_run_file(self.path("syn.h5"), {"a": (1, [0], [1.0])})
        env = dict(helpers.ENV, PYTHONPATH=fake)
        import subprocess
        result = subprocess.run([EXE, "report", path], capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, 1)
        self.assertIn("apt-get install python3-h5py", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        env = dict(helpers.ENV, SPIKEWEAVE_PYTHON=self.path("no-python"))
        result = subprocess.run([EXE, "report", path], capture_output=True, text=True, env=env)
        self.assertEqual(result.returncode, 1)
        self.assertIn("is not an executable Python 3 interpreter", result.stderr)

    def test_large_file_is_sampled_and_small(self):
        # 1.5 million spikes of 100,000 neurons, read in chunks of 100,000 rows: the raster keeps
        # to its spike budget and says how many neurons it shows.
        path = synthetic.write_run_file(self.path("large.h5"), {
            "big": synthetic.poisson_population(100_000, 5.0, 3000.0, seed=9)}, t_stop_ms=3000.0)
        options = ReportOptions(raster_spike_budget=20_000, cv_neurons=500, chunk_rows=100_000)
        page = render_report(path, options)
        shown = int(re.search(r'data-neurons-shown="(\d+)"', page).group(1))
        drawn = int(re.search(r'data-spikes-drawn="(\d+)"', page).group(1))
        self.assertLessEqual(shown, 200)
        self.assertLess(drawn, 30_000)
        self.assertIn(f"{shown} of 100000 neurons shown", page)
        self.assertIn("sampled", notes(page))
        self.assertLess(len(page.encode()), 20 * 2**20)


if __name__ == "__main__":
    unittest.main()
