"""Every plotting function runs headless (Agg) and draws a non-empty PNG, also through
`python3 -m spikeweave plot`."""
import io
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.join(HERE, "..", "..", "python")
sys.path.insert(0, PACKAGE_DIR)
sys.path.insert(0, HERE)
os.environ.pop("DISPLAY", None)  # prove that no display is needed

import matplotlib.image  # noqa: E402

import spikeweave  # noqa: E402
from spikeweave import analysis, plots  # noqa: E402
import synthetic  # noqa: E402


def assert_drawn_png(test, png):
    """PNG bytes that decode to an image with more than one colour."""
    test.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    test.assertGreater(image.shape[0] * image.shape[1], 100 * 100)
    test.assertGreater(float(np.std(image[..., :3])), 0.01, "the image is blank")


class Plots(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "run.h5")
        rng = np.random.default_rng(0)
        t = np.arange(0, 1000.0, 50.0)
        synthetic.write_run_file(
            cls.path,
            {"exc": synthetic.poisson_population(300, 12.0, 1000.0, 1),
             "inh": synthetic.poisson_population(80, 25.0, 1000.0, 2)},
            t_stop_ms=1000.0,
            weights={"EE": dict(time_ms=t, source=np.arange(40, dtype=np.uint64),
                                target=np.arange(40, dtype=np.uint64) + 1,
                                weight=50 + np.cumsum(rng.normal(0, 1, (len(t), 40)), axis=0),
                                eligibility=rng.random((len(t), 40)),
                                rho=rng.random((len(t), 40)))},
            report={"exc": ([0, 5, 9], -65 + 10 * rng.random((500, 3)))})
        cls.run_file = spikeweave.RunFile(cls.path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def figures(self):
        run = self.run_file
        exc = run.spikes("exc")
        rates = analysis.firing_rates(run.spike_counts("exc"), run.t_stop_ms)
        trains = exc.trains()
        edges, rate = analysis.population_rate(exc.times_ms, exc.n_nodes, run.t_stop_ms, 1.0)
        record = run.weights("EE")
        return {
            "raster": plots.plot_raster([exc, run.spikes("inh")], run.t_stop_ms, 100),
            "rates": plots.plot_rate_histogram(rates, quantum_hz=1.0),
            "cv": plots.plot_cv_histogram(analysis.cv_isi(trains)),
            "fano": plots.plot_fano_histogram(analysis.fano_factors(trains, 100.0, 1000.0)),
            "population_rate": plots.plot_population_rate(edges, rate, 1.0, 5.0),
            "spectrum": plots.plot_spectrum(*analysis.power_spectrum(rate, 1.0, 200)),
            "weights": plots.plot_weight_evolution(record),
            "weight_histogram": plots.plot_weight_histogram(record),
            "synapse": plots.plot_synapse_variables(record, 3),
            "membrane": plots.plot_membrane(run.membrane("exc")),
            "matrix": plots.plot_weight_matrix(np.random.default_rng(1).normal(size=(20, 20))),
            "activity": plots.plot_activity(np.random.default_rng(2).random((100, 20)), 0.1),
            "params": plots.plot_parameter_distributions({"g": np.arange(10.0),
                                                          "network": np.arange(10)}),
            "sweep": plots.plot_sweep_metrics(
                {"g": np.repeat([4.0, 5.0], 2), "eta": np.tile([1.0, 2.0], 2)},
                {"rate_hz": np.arange(4.0), "cv_isi": np.array([0.1, np.nan, 0.3, 0.4])},
                None, "g", "eta"),
        }

    def test_every_plot_draws_a_png(self):
        for name, fig in self.figures().items():
            with self.subTest(plot=name):
                assert_drawn_png(self, plots.png_bytes(fig))

    def test_plots_of_empty_data_draw_a_note(self):
        empty = spikeweave.SpikeTrains("none", 5, np.zeros(0, np.uint64), np.zeros(0))
        for fig in (plots.plot_raster([empty], 100.0), plots.plot_cv_histogram([]),
                    plots.plot_rate_histogram([]), plots.plot_spectrum([], [])):
            assert_drawn_png(self, plots.png_bytes(fig))

    def test_command_line_plots(self):
        from spikeweave.cli import main
        for kind in ("raster", "rates", "cv", "population-rate", "spectrum", "fano", "weights",
                     "weight-histogram", "synapse", "membrane"):
            out = os.path.join(self.tmp.name, f"{kind}.png")
            with self.subTest(kind=kind):
                self.assertEqual(main(["plot", kind, self.path, "-o", out]), 0)
                with open(out, "rb") as f:
                    assert_drawn_png(self, f.read())

    def test_python_dash_m_entry_point(self):
        out = os.path.join(self.tmp.name, "raster_m.png")
        subprocess.run([sys.executable, "-m", "spikeweave", "plot", "raster", self.path, "-o",
                        out], check=True, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=PACKAGE_DIR))
        with open(out, "rb") as f:
            assert_drawn_png(self, f.read())

if __name__ == "__main__":
    unittest.main()
