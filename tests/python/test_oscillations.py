"""Emergent gamma in examples/ping_gamma.toml (PING) and the rhythm analysis of
spikeweave.oscillations.

Theory (Börgers & Kopell 2003; Brunel & Wang 2003): in PING the period is about the E->I->E
delays plus the time the inhibition onto E takes to decay below what the drive overcomes, a few
inhibitory decay times; lengthening tau_syn_in_ms therefore lowers the frequency, and without
I->E inhibition there is no gamma rhythm and spikes are unrelated to any population phase.

Checks: the shipped example peaks in 30-80 Hz; the peak moves down by more than two frequency
bins (2 x 1.95 Hz; bins of the 512 ms Welch segments) from tau_syn_in = 3 to 5 to 8 ms; the
spike-phase order parameter is high with the rhythm (R > 0.8) and low without I->E inhibition
(R < 0.2; 1/sqrt(spikes) ~ 0.005 for unrelated phases, the band-passed noise adds some). The
analysis itself against synthetic spikes of known frequency and phase locking.
"""
import os
import sys
import tempfile
import unittest

import numpy as np

import helpers

EXE = helpers.binary()
from spikeweave import oscillations  # noqa: E402  (helpers puts the package on the path)

EXAMPLE = os.path.join(helpers.SOURCE_DIR, "examples", "ping_gamma.toml")
BIN_HZ = 1000.0 / 512.0


class Synthetic(unittest.TestCase):
    def test_locked_and_random_spikes(self):
        rng = np.random.default_rng(4)
        f, t_stop = 40.0, 2000.0
        cycles = np.arange(0, t_stop, 1000.0 / f)
        # 100 neurons, each spikes in 70 % of the cycles near phase 0 (jitter 1 ms).
        locked = np.concatenate([c + rng.normal(0, 1.0, 100)[rng.uniform(size=100) < 0.7]
                                 for c in cycles[1:-1]])
        a = oscillations.analyse_rhythm(locked, 100, 0.0, t_stop)
        self.assertLess(abs(a.peak_hz - f), BIN_HZ)
        self.assertGreater(a.order_parameter, 0.9)
        # Poisson spikes at the same mean rate: no peak to speak of, R ~ 1 / sqrt(spikes).
        poisson = rng.uniform(0, t_stop, size=len(locked))
        b = oscillations.analyse_rhythm(poisson, 100, 0.0, t_stop)
        self.assertLess(b.order_parameter, 0.1)


class Ping(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.results = {}
        variants = {f"tau{t}": [f"population[0].params.tau_syn_in_ms={t}",
                                f"population[1].params.tau_syn_in_ms={t}"] for t in (3, 8)}
        variants["shipped"] = []
        variants["no_inhibition"] = ["projection[1].weight_pa=-0.001"]
        for name, sets in variants.items():
            out = os.path.join(cls.tmp.name, name + ".h5")
            args = ["run", EXAMPLE, "-q", "-o", out]
            for s in sets:
                args += ["--set", s]
            helpers.spikeweave(EXE, *args)
            cls.results[name] = oscillations.analyse_run(out, "E", skip_ms=200.0)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_shipped_example_is_gamma(self):
        a = self.results["shipped"]
        self.assertGreaterEqual(a.peak_hz, 30.0)
        self.assertLessEqual(a.peak_hz, 80.0)
        self.assertGreater(a.order_parameter, 0.8)

    def test_longer_inhibitory_decay_lowers_the_frequency(self):
        f3, f5, f8 = (self.results[k].peak_hz for k in ("tau3", "shipped", "tau8"))
        self.assertGreater(f3 - f5, 2 * BIN_HZ, (f3, f5, f8))
        self.assertGreater(f5 - f8, 2 * BIN_HZ, (f3, f5, f8))

    def test_no_rhythm_without_inhibition(self):
        self.assertLess(self.results["no_inhibition"].order_parameter, 0.2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
