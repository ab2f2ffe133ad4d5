"""The analysis functions against values computed by hand on synthetic spike trains."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "python"))
from spikeweave import analysis  # noqa: E402


class Rates(unittest.TestCase):
    def test_mean_rate_is_spikes_over_neurons_and_seconds(self):
        self.assertAlmostEqual(analysis.mean_rate(30, 10, 500.0), 6.0)  # 30 / (10 * 0.5 s)
        self.assertEqual(analysis.mean_rate(5, 0, 500.0), 0.0)

    def test_per_neuron_rates(self):
        counts = analysis.spike_counts([0, 0, 2, 2, 2], 4)
        np.testing.assert_array_equal(counts, [2, 0, 3, 0])
        np.testing.assert_allclose(analysis.firing_rates(counts, 250.0), [8.0, 0.0, 12.0, 0.0])


class CvIsi(unittest.TestCase):
    def test_regular_train_has_cv_zero(self):
        np.testing.assert_allclose(analysis.cv_isi([np.arange(0, 100, 10.0)]), [0.0])

    def test_hand_computed_cv(self):
        # ISIs 1, 3 (unsorted input): mean 2, population std 1 -> CV 0.5.
        np.testing.assert_allclose(analysis.cv_isi({7: [4.0, 0.0, 1.0]}), [0.5])

    def test_trains_with_fewer_than_three_spikes_are_left_out(self):
        self.assertEqual(len(analysis.cv_isi([[1.0, 2.0], [], [5.0]])), 0)

    def test_poisson_train_has_cv_near_one(self):
        rng = np.random.default_rng(3)
        times = np.cumsum(rng.exponential(10.0, 20000))
        # 20000 exponential ISIs: the CV's standard error is about 1/sqrt(2 * 20000) = 0.005.
        self.assertAlmostEqual(analysis.cv_isi([times])[0], 1.0, delta=0.03)


class PopulationRate(unittest.TestCase):
    def test_binned_rate_by_hand(self):
        # 2 neurons, 10 ms bins over 30 ms: spikes in bins 0, 0, 2 and one at exactly t_stop.
        edges, rate = analysis.population_rate([1.0, 9.9, 25.0, 30.0], 2, 30.0, 10.0)
        np.testing.assert_allclose(edges, [0.0, 10.0, 20.0])
        # r_k = c_k / (N b) = c_k / (2 * 0.01 s) = 50 c_k
        np.testing.assert_allclose(rate, [100.0, 0.0, 100.0])

    def test_grid_times_on_bin_edges_land_in_the_upper_bin(self):
        # Times on a 0.1 ms grid accumulated in floating point (0.1 + 0.1 + ...) sit a hair
        # below or above the 1.2 ms bin edges; each bin must still get exactly its 12 grid times.
        times = np.cumsum(np.full(120, 0.1)) - 0.1  # 0.0 .. 11.9 ms, one neuron
        _, rate = analysis.population_rate(times, 1, 12.0, 1.2)
        np.testing.assert_allclose(rate, 12 / 1.2e-3)

    def test_smoothing_keeps_a_constant_rate_up_to_the_edges(self):
        np.testing.assert_allclose(analysis.smooth_rate(np.full(50, 7.0), 1.0, 5.0), 7.0)

    def test_smoothing_preserves_the_mass_of_a_central_pulse(self):
        rate = np.zeros(201)
        rate[100] = 1.0
        smooth = analysis.smooth_rate(rate, 1.0, 3.0)
        self.assertAlmostEqual(smooth.sum(), 1.0, places=9)
        self.assertEqual(int(np.argmax(smooth)), 100)


class Spectrum(unittest.TestCase):
    def test_parseval(self):
        rng = np.random.default_rng(1)
        rate = rng.normal(10.0, 2.0, 1000)
        freqs, power = analysis.power_spectrum(rate, 1.0)
        df = freqs[1] - freqs[0]
        self.assertAlmostEqual(power.sum() * df, rate.var(), places=9)

    def test_sinusoid_peaks_at_its_frequency_with_its_power(self):
        t_s = np.arange(2000) * 1e-3  # 1 ms bins, 2 s
        rate = 5.0 + 3.0 * np.sin(2 * np.pi * 40.0 * t_s)
        freqs, power = analysis.power_spectrum(rate, 1.0)
        self.assertAlmostEqual(freqs[np.argmax(power)], 40.0)
        # All of the variance A^2 / 2 = 4.5 Hz^2 sits in one bin of width df = 0.5 Hz.
        self.assertAlmostEqual(power.max() * (freqs[1] - freqs[0]), 4.5, places=9)

    def test_bartlett_segments_average_periodograms(self):
        rate = np.tile(np.array([1.0, 3.0, 1.0, 3.0]), 8)  # period 2 bins: Nyquist only
        freqs, power = analysis.power_spectrum(rate, 1.0, segment_bins=8)
        self.assertEqual(len(freqs), 5)
        self.assertAlmostEqual(freqs[-1], 500.0)
        self.assertAlmostEqual(power.sum() * (freqs[1] - freqs[0]), 1.0, places=9)  # var = 1


class Fano(unittest.TestCase):
    def test_hand_computed_fano_factor(self):
        # 10 ms windows over 40 ms: counts 2, 0, 1, 1 -> mean 1, var 0.5 -> F = 0.5.
        times = [1.0, 2.0, 25.0, 35.0, 45.0]  # 45 lies beyond the last whole window
        self.assertAlmostEqual(analysis.fano_factor(times, 10.0, 40.0), 0.5)

    def test_poisson_counts_have_fano_near_one(self):
        rng = np.random.default_rng(5)
        times = rng.uniform(0, 100000.0, 20000)
        # 1000 windows of mean count 20: the Fano factor's standard error is about
        # sqrt(2 / 1000) = 0.045.
        self.assertAlmostEqual(analysis.fano_factor(times, 100.0, 100000.0), 1.0, delta=0.15)

    def test_no_whole_window_is_nan(self):
        self.assertTrue(np.isnan(analysis.fano_factor([1.0], 100.0, 50.0)))


if __name__ == "__main__":
    unittest.main()
