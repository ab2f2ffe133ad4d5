"""The encoder stimuli (rate, latency, phase, delta) against their equations (README, section
"Encoders"), through the real executable and parrot neurons, whose spike in the step of an input
event is stamped at the step's end: an event at offset k steps of the window that starts at t_p
appears as a spike at t_p + (k + 1) dt.

- latency, phase and delta: exact spike times, computed here from the equations;
- rate: spike counts within a stated statistical tolerance of the Poisson rate;
- the presentation protocol: window starts and the sample of each presentation in
  /presentations, given, listed and seeded shuffled orders, splits, HDF5/.npy/CSV input;
- rank invariance: the same spikes on 1 and 2 ranks;
- bad input: wrong column count, NaN, missing file, empty split, each refused with the file
  named, a non-zero exit, and an existing output left untouched.

Run by CTest as: /usr/bin/python3 test_encoders.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import hashlib
import math
import os
import shutil
import sys
import tempfile
import unittest

import h5py
import numpy as np

from cli_harness import run

DT = 0.1


def network(data, kind, size, extra, t_stop_ms=200.0, present_ms=30.0, rest_ms=10.0,
            output="out.h5"):
    lines = [
        "[simulation]", f"dt_ms = {DT}", f"t_stop_ms = {t_stop_ms}", "seed = 7",
        f'output = "{output}"',
        "[[population]]", 'name = "in"', f"size = {size}", 'model = "parrot"',
        "[[stimulus]]", f'kind = "{kind}"', 'target = "in"', f'data = "{data}"',
        "weight_mv = 1.0", f"present_ms = {present_ms}", f"rest_ms = {rest_ms}",
    ] + extra + ["[[record]]", 'spikes = ["in"]']
    return "\n".join(lines) + "\n"


def spikes(path):
    with h5py.File(path, "r") as f:
        ids = f["spikes/in/node_ids"][:]
        times = f["spikes/in/timestamps"][:]
        log = f["presentations/stimulus_0"]
        starts, samples = log["start_ms"][:], log["sample"][:]
    order = np.lexsort((ids, times))
    return ids[order], times[order], starts, samples


def as_set(ids, times):
    return sorted((int(i), int(round(t / DT))) for i, t in zip(ids, times))


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-enc-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def simulate(self, toml_text, ranks=None):
        config = self.path("net.toml")
        with open(config, "w") as f:
            f.write(toml_text)
        result = run(["run", config, "-q", "--overwrite"], ranks=ranks, cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        return spikes(self.path("out.h5"))

    def expected_events(self, starts, samples, offsets_of_row, t_stop_ms=200.0):
        """(neuron, step) of every spike up to t_stop_ms: offsets_of_row(row) -> [(neuron, k)]."""
        events = []
        for start, row in zip(starts, samples):
            first = int(round(start / DT))
            events += [(n, first + k + 1) for n, k in offsets_of_row(int(row))]
        return sorted(e for e in events if e[1] <= round(t_stop_ms / DT))


class Latency(Case):
    X = np.array([[0.0, 0.25, 0.5, 1.0, 0.9], [1.0, 0.75, 0.1, 0.6, 0.3]])

    def check(self, extra, offset):
        np.save(self.path("x.npy"), self.X)
        ids, times, starts, samples = self.simulate(
            network("x.npy", "latency", 5, ["normalize = \"none\"", "tau_ms = 20.0"] + extra))
        np.testing.assert_allclose(starts, [0, 40, 80, 120, 160])
        self.assertEqual(list(samples), [0, 1, 0, 1, 0])
        expected = self.expected_events(
            starts, samples,
            lambda r: [(n, k) for n, x in enumerate(self.X[r]) if (k := offset(x)) is not None])
        self.assertEqual(as_set(ids, times), expected)
        return expected

    def test_linear(self):
        # t = tau (1 - x), x > threshold (0): x = 0 silent.
        def offset(x):
            return round(20.0 * (1 - x) / DT) if x > 0 else None
        events = self.check(["presentations = 5"], offset)
        self.assertEqual(len(events), 3 * 4 + 2 * 5)

    def test_log_with_window_end(self):
        # t = tau ln(x / (x - theta)); x <= theta, or t >= present_ms, spike at the window's end.
        theta, present_steps = 0.2, 300

        def offset(x):
            if x > theta:
                k = round(20.0 * math.log(x / (x - theta)) / DT)
                if k < present_steps:
                    return k
            return present_steps - 1
        self.check(["presentations = 5", 'code = "log"', "threshold = 0.2",
                    'below_threshold = "window_end"'], offset)


class Phase(Case):
    def test_phase(self):
        # One spike per cycle at t_c = (c + 1 - x) T, T = 1000 / f ms, while t_c < present_ms.
        # (1 - x) T / dt avoids halves of a step, where rounding would depend on the last bit.
        x = np.array([[0.0, 0.3, 0.123, 1.0]])
        np.savetxt(self.path("x.csv"), x * 16.0, delimiter=",", header="a,b,c,d")
        ids, times, starts, samples = self.simulate(network(
            "x.csv", "phase", 4, ["value_range = [0.0, 16.0]", "frequency_hz = 40.0",
                                  "presentations = 2"], t_stop_ms=100.0, present_ms=60.0))

        def offsets(_row):
            out = []
            for n, v in enumerate(x[0]):
                if v <= 0:
                    continue
                c = 0
                while (k := round((c + 1 - v) * 25.0 / DT)) < 600:
                    out.append((n, k))
                    c += 1
            return out
        expected = self.expected_events(starts, samples, offsets, t_stop_ms=100.0)
        self.assertEqual(as_set(ids, times), expected)
        self.assertGreater(len(expected), 10)


class Delta(Case):
    def test_on_off_from_hdf5(self):
        rng = np.random.default_rng(3)
        signal = np.cumsum(rng.normal(0, 0.4, size=(3, 200)), axis=1)
        with h5py.File(self.path("sig.h5"), "w") as f:
            f["ecg/lead"] = signal
        ids, times, starts, samples = self.simulate(network(
            "sig.h5", "delta", 2, ['dataset = "/ecg/lead"', "threshold = 0.5", "sample_ms = 0.5",
                                   "off_neurons = true", 'order = [2, 0]', "presentations = 3"],
            t_stop_ms=400.0, present_ms=90.0))
        self.assertEqual(list(starts), [0.0, 100.0, 200.0])
        self.assertEqual(list(samples), [2, 0, 2])

        def offsets(row):
            out, ref = [], signal[row][0]
            for j in range(1, signal.shape[1]):
                k = round(j * 0.5 / DT)
                if k >= 900:
                    break
                change = signal[row][j] - ref
                if change >= 0.5:
                    out.append((0, k))
                    ref = signal[row][j]
                elif -change >= 0.5:
                    out.append((1, k))
                    ref = signal[row][j]
            return out
        expected = self.expected_events(starts, samples, offsets, t_stop_ms=400.0)
        self.assertEqual(as_set(ids, times), expected)
        self.assertTrue({0, 1} <= {n for n, _ in expected})


class Rate(Case):
    def test_static_rate(self):
        # Each step of a window has a spike with probability p = 1 - exp(-max_rate x dt). The
        # count over n neuron-steps is binomial; |count - n p| < 4.5 sigma fails by chance with
        # probability 7e-6 per check (the seed is fixed, so the test is deterministic anyway).
        levels = np.array([0.1, 0.4, 1.0])
        x = np.repeat(levels, 40)[None, :]
        np.save(self.path("x.npy"), x)
        ids, times, starts, samples = self.simulate(network(
            "x.npy", "rate", x.shape[1], ["max_rate_hz = 200.0", "normalize = \"none\"",
                                          "presentations = 4"],
            t_stop_ms=420.0, present_ms=100.0, rest_ms=5.0))
        steps_in_window = 1000
        for level_index, level in enumerate(levels):
            neurons = np.arange(40 * level_index, 40 * (level_index + 1))
            count = np.isin(ids, neurons).sum()
            n = 40 * steps_in_window * 4
            p = -math.expm1(-200.0 * level * DT * 1e-3)
            sigma = math.sqrt(n * p * (1 - p))
            self.assertLess(abs(count - n * p), 4.5 * sigma, (level, count, n * p))
        # Nothing during the rests.
        rel = (np.round(times / DT).astype(int) - 1) % 1050
        self.assertTrue((rel < 1000).all())

    def test_signal_rate_follows_x_of_t(self):
        # A ramp held for 50 ms per sample: the rate of each sample's steps follows it.
        signal = np.array([[0.0, 0.5, 1.0]])
        np.save(self.path("s.npy"), signal)
        ids, times, _, _ = self.simulate(network(
            "s.npy", "rate", 100, ["max_rate_hz = 100.0", "signal = true", "sample_ms = 50.0",
                                   'normalize = "none"'], t_stop_ms=150.0, present_ms=150.0,
            rest_ms=0.0))
        steps = np.round(times / DT).astype(int) - 1
        for j, level in enumerate(signal[0]):
            count = ((steps >= 500 * j) & (steps < 500 * (j + 1))).sum()
            n, p = 100 * 500, -math.expm1(-100.0 * level * DT * 1e-3)
            self.assertLessEqual(abs(count - n * p), 4.5 * math.sqrt(n * p * (1 - p)) + 1e-9)

    def test_shuffled_order_and_rank_invariance(self):
        x = np.random.default_rng(0).uniform(0, 1, size=(10, 20))
        np.save(self.path("x.npy"), x)
        text = network("x.npy", "rate", 20, ["max_rate_hz = 300.0", 'order = "shuffled"',
                                             "rows = [2, 9]", "presentations = 14"],
                       t_stop_ms=14 * 20.0, present_ms=15.0, rest_ms=5.0)
        one = self.simulate(text)
        two = self.simulate(text, ranks=2)
        samples = list(one[3])
        # Two passes over the split rows 2..8, each a permutation, the two passes different.
        self.assertEqual(sorted(samples[:7]), list(range(2, 9)))
        self.assertEqual(sorted(samples[7:]), list(range(2, 9)))
        self.assertNotEqual(samples[:7], samples[7:])
        for a, b in zip(one, two):
            np.testing.assert_array_equal(a, b)
        self.assertGreater(len(one[0]), 100)


class BadInput(Case):
    def refused(self, text, *fragments):
        out = self.path("out.h5")
        with open(out, "wb") as f:
            f.write(b"earlier output")
        digest = hashlib.sha256(open(out, "rb").read()).hexdigest()
        config = self.path("net.toml")
        with open(config, "w") as f:
            f.write(text)
        for ranks in (None, 2):
            result = run(["run", config, "-q", "--overwrite"], ranks=ranks, cwd=self.dir)
            self.assertNotEqual(result.returncode, 0, result.stderr)
            for fragment in fragments:
                self.assertIn(fragment, result.stderr)
            self.assertEqual(hashlib.sha256(open(out, "rb").read()).hexdigest(), digest)

    def test_wrong_column_count(self):
        np.save(self.path("x.npy"), np.zeros((3, 7)))
        self.refused(network("x.npy", "rate", 8, ["max_rate_hz = 10.0"]),
                     "x.npy: has 7 columns but the rate encoder of stimulus[0] targets 8 neurons")

    def test_nan(self):
        with open(self.path("x.csv"), "w") as f:
            f.write("0.1,0.2\n0.3,nan\n")
        self.refused(network("x.csv", "latency", 2, ["tau_ms = 5.0"]),
                     "x.csv: value at row 1, column 1 is not finite")

    def test_missing_file(self):
        self.refused(network("absent.npy", "phase", 2, ["frequency_hz = 10.0"]),
                     "absent.npy: no such file")

    def test_empty_split(self):
        np.save(self.path("x.npy"), np.zeros((3, 2)))
        self.refused(network("x.npy", "rate", 2, ["max_rate_hz = 10.0", "rows = [2, 2]"]),
                     "x.npy: the split stimulus[0].rows = [2, 2) is empty")

    def test_split_beyond_file(self):
        np.save(self.path("x.npy"), np.zeros((3, 2)))
        self.refused(network("x.npy", "rate", 2, ["max_rate_hz = 10.0", "rows = [1, 5]"]),
                     "x.npy: has 3 rows")

    def test_hdf5_without_dataset(self):
        with h5py.File(self.path("x.h5"), "w") as f:
            f["x"] = np.zeros((2, 2))
        self.refused(network("x.h5", "rate", 2, ["max_rate_hz = 10.0"]),
                     "x.h5: an HDF5 data file needs the key `dataset`")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
