"""The demo's report in headless Chromium (Debian's `chromium`): it renders without console
errors, its figures carry the data (each raster draws exactly the file's spikes of the neurons it
shows; the weight figure's mean line has one vertex per sample of the file), and a screenshot of it is not
blank. Usage: test_report_browser.py SPIKEWEAVE_BINARY (label: browser)"""
import html.parser
import io
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import numpy as np

import helpers

EXE = helpers.binary()

import h5py  # noqa: E402
import matplotlib.image  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0"]


def chromium(*args):
    """Runs headless Chromium; returns (stdout, stderr)."""
    if shutil.which(CHROMIUM) is None:
        raise AssertionError(f"{CHROMIUM} is not installed: ./scripts/setup.sh installs Debian's "
                             "chromium (or exclude this test: ctest -LE browser)")
    result = subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True,
                            timeout=180)
    return result.stdout, result.stderr


class Figures(html.parser.HTMLParser):
    """Collects the rasters (their data attributes and spike path) and data-* figures."""

    def __init__(self):
        super().__init__()
        self.rasters, self.figures, self.images = [], [], 0
        self.mean_weight_vertices = {}  # projection -> vertices of its drawn mean-weight line
        self._raster = None
        self._mean_weight = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and attrs.get("class") == "raster":
            self._raster = dict(attrs)
            self.rasters.append(self._raster)
        elif tag == "path" and attrs.get("class") == "spikes" and self._raster is not None:
            self._raster["segments"] = len(re.findall(r"M", attrs.get("d", "")))
        elif tag == "g" and attrs.get("id", "").startswith("mean-weight-"):
            self._mean_weight = attrs["id"][len("mean-weight-"):]
        elif tag == "path" and self._mean_weight is not None:
            vertices = len(re.findall(r"[ML]", attrs.get("d", "")))
            self.mean_weight_vertices[self._mean_weight] = vertices
            self._mean_weight = None
        elif tag == "figure" and "data-kind" in attrs:
            self.figures.append(attrs)
        elif tag == "img" and attrs.get("src", "").startswith("data:image/png;base64,"):
            self.images += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self._raster = None


class DemoReportInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = cls.tmp.name
        # The README demo (examples/brunel.toml) for 200 ms, and the STDP demo for its weights.
        cls.demo = helpers.run_network(EXE, os.path.join(helpers.SOURCE_DIR, "examples",
                                                         "brunel.toml"),
                                       os.path.join(d, "brunel.h5"), "simulation.t_stop_ms=200")
        cls.stdp = helpers.stdp_demo(EXE, os.path.join(d, "stdp.h5"))
        cls.pages = {}
        for path in (cls.demo, cls.stdp):
            out = os.path.splitext(path)[0] + ".html"
            helpers.spikeweave(EXE, "report", path, "-o", out)
            cls.pages[path] = out

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def rendered(self, path):
        dom, log = chromium("--dump-dom", "file://" + self.pages[path])
        console = [line for line in log.splitlines() if ":CONSOLE" in line]
        self.assertEqual(console, [], "console messages while rendering the report")
        figures = Figures()
        figures.feed(dom)
        return figures

    def assert_rasters_carry_the_file(self, path, figures):
        self.assertGreater(len(figures.rasters), 0)
        with h5py.File(path, "r") as f:
            for raster in figures.rasters:
                population = raster["data-population"]
                shown = np.array(raster["data-node-ids"].split(), dtype=np.uint64)
                ids = f["spikes"][population]["node_ids"][()]
                in_file = int(np.isin(ids, shown).sum())
                with self.subTest(population=population):
                    self.assertEqual(len(shown), int(raster["data-neurons-shown"]))
                    self.assertEqual(raster["segments"], in_file)
                    self.assertEqual(int(raster["data-spikes-drawn"]), in_file)
                    self.assertGreater(in_file, 0)

    def test_demo_report_renders_with_its_data(self):
        figures = self.rendered(self.demo)
        self.assert_rasters_carry_the_file(self.demo, figures)
        self.assertEqual({r["data-population"] for r in figures.rasters}, {"exc", "inh"})
        self.assertGreaterEqual(figures.images, 2)

    def test_stdp_report_weight_figure_has_the_files_samples(self):
        figures = self.rendered(self.stdp)
        self.assert_rasters_carry_the_file(self.stdp, figures)
        weights = [f for f in figures.figures if f["data-kind"] == "weights"]
        with h5py.File(self.stdp, "r") as f:
            samples = len(f["weights/EE/time_ms"])
            synapses = len(f["weights/EE/source"])
        self.assertEqual([(int(w["data-samples"]), int(w["data-synapses"])) for w in weights],
                         [(samples, synapses)])
        # The drawn mean-weight line has one vertex per sample of the file.
        self.assertEqual(figures.mean_weight_vertices, {"EE": samples})

    def test_screenshot_is_not_blank(self):
        shot = os.path.join(self.tmp.name, "demo.png")
        _, log = chromium("--window-size=1100,2400", f"--screenshot={shot}",
                          "file://" + self.pages[self.demo])
        self.assertTrue(os.path.exists(shot), log[-2000:])
        with open(shot, "rb") as f:
            image = matplotlib.image.imread(io.BytesIO(f.read()), format="png")[..., :3]
        self.assertEqual(image.shape[:2], (2400, 1100))
        drawn = np.any(image < 0.95, axis=2).mean()  # pixels that are not (near) white
        # Tables, two rasters and the figures cover well over 5 % of the first 2400 px.
        self.assertGreater(drawn, 0.05)
        # Drawn pixels are spread over the page, not one block: most 100-px bands hold some.
        bands = [np.any(image[y:y + 100] < 0.95) for y in range(0, 2400, 100)]
        self.assertGreater(np.mean(bands), 0.8)


if __name__ == "__main__":
    unittest.main()
