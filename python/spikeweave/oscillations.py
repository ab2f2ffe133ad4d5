"""Population rhythms: the population rate's spectrum, its peak frequency, and a Kuramoto-style
order parameter of the spike phases relative to the population rhythm.

    python3 -m spikeweave.oscillations out/ping.h5 --population E --skip-ms 200

- population rate r(t): spikes of the population in bins of `bin_ms`, in Hz per neuron;
- spectrum: Welch's estimate (scipy.signal.welch, Hann windows of `segment_ms`, half overlap)
  of r - mean(r); the peak is the rhythm's fundamental inside `band_hz` (peak_frequency);
- order parameter: r(t) band-passed around the peak (zero-phase Butterworth, peak / 1.5 to
  peak * 1.5) and its instantaneous phase phi(t) from the analytic signal (Hilbert transform);
  each spike k gets phi(t_k), and R = |mean_k exp(i phi(t_k))| (Kuramoto's order parameter of the
  spike phases, also called vector strength): 1 when every spike falls at one phase of the
  rhythm, about 1/sqrt(spikes) when spikes are unrelated to it. The mean phase arg(...) says
  where in the cycle the population fires (0 = the rhythm's peak).
"""
import argparse
import sys
from dataclasses import dataclass

import numpy as np

from .errors import SpikeWeaveFileError


@dataclass
class RhythmAnalysis:
    peak_hz: float  # frequency of the spectrum's largest value in the band
    order_parameter: float  # R in [0, 1]
    mean_phase_rad: float  # arg of the mean phase vector
    rate_hz: float  # mean rate per neuron over the analysed window
    spikes: int  # spikes analysed
    frequencies_hz: np.ndarray
    power: np.ndarray  # Welch spectrum of the population rate


def population_rate(times_ms, n_neurons, t_start_ms, t_stop_ms, bin_ms=1.0):
    """(bin centres [ms], rate [Hz per neuron]) of spikes in [t_start_ms, t_stop_ms)."""
    edges = np.arange(t_start_ms, t_stop_ms + 1e-9, bin_ms)
    counts, _ = np.histogram(np.asarray(times_ms, dtype=float), edges)
    return 0.5 * (edges[1:] + edges[:-1]), counts / (n_neurons * bin_ms * 1e-3)


def rate_spectrum(rate_hz, bin_ms=1.0, segment_ms=512.0):
    """Welch spectrum (frequencies [Hz], power) of a population rate minus its mean."""
    from scipy import signal
    rate = np.asarray(rate_hz, dtype=float)
    per_segment = int(min(len(rate), round(segment_ms / bin_ms)))
    return signal.welch(rate - rate.mean(), fs=1000.0 / bin_ms, nperseg=per_segment)


def peak_frequency(frequencies_hz, power, band_hz=(10.0, 200.0)):
    """The rhythm's fundamental frequency: the lowest local maximum inside band_hz of the power
    summed over three neighbouring bins whose value is at least half the largest. Spike volleys
    are narrow pulses whose harmonics carry about as much power as the fundamental, and a
    fundamental that falls between two bins splits its power over them: the plain largest bin
    can be a harmonic, the three-bin sums and the lowest strong peak are not."""
    f = np.asarray(frequencies_hz, dtype=float)
    smooth = np.convolve(np.asarray(power, dtype=float), np.ones(3), mode="same")
    inside = np.flatnonzero((f >= band_hz[0]) & (f <= band_hz[1]))
    if len(inside) == 0:
        raise ValueError(f"no spectrum values inside {band_hz} Hz")
    strongest = smooth[inside].max()
    for k in inside:
        left = smooth[k - 1] if k > 0 else -np.inf
        right = smooth[k + 1] if k + 1 < len(smooth) else -np.inf
        if smooth[k] >= 0.5 * strongest and smooth[k] >= left and smooth[k] >= right:
            # The bin of the peak itself: the larger of the three summed.
            lo, hi = max(k - 1, 0), min(k + 2, len(f))
            return float(f[lo + np.argmax(np.asarray(power)[lo:hi])])
    return float(f[inside][np.argmax(smooth[inside])])


def spike_phase_order(times_ms, bin_centres_ms, rate_hz, peak_hz, bin_ms=1.0):
    """(R, mean phase [rad]) of the spikes' phases relative to the rhythm at peak_hz."""
    from scipy import signal
    nyquist = 500.0 / bin_ms
    low, high = peak_hz / 1.5, min(peak_hz * 1.5, 0.95 * nyquist)
    sos = signal.butter(4, [low / nyquist, high / nyquist], btype="band", output="sos")
    rate = np.asarray(rate_hz, dtype=float)
    phase = np.angle(signal.hilbert(signal.sosfiltfilt(sos, rate - rate.mean())))
    index = np.clip(np.round((np.asarray(times_ms) - bin_centres_ms[0]) / bin_ms).astype(int), 0,
                    len(phase) - 1)
    vector = np.exp(1j * phase[index]).mean() if len(index) else 0.0
    return float(np.abs(vector)), float(np.angle(vector))


def analyse_rhythm(times_ms, n_neurons, t_start_ms, t_stop_ms, bin_ms=1.0, segment_ms=512.0,
                   band_hz=(10.0, 200.0)):
    """Spectrum peak and spike-phase order parameter of one population's spikes."""
    times = np.asarray(times_ms, dtype=float)
    times = times[(times >= t_start_ms) & (times < t_stop_ms)]
    centres, rate = population_rate(times, n_neurons, t_start_ms, t_stop_ms, bin_ms)
    f, power = rate_spectrum(rate, bin_ms, segment_ms)
    peak = peak_frequency(f, power, band_hz)
    order, phase = spike_phase_order(times, centres, rate, peak, bin_ms)
    return RhythmAnalysis(peak, order, phase, float(rate.mean()), len(times), f, power)


def analyse_run(path, population, skip_ms=200.0, **options):
    """analyse_rhythm of a run file's population, leaving out the first skip_ms (transient)."""
    from .run_file import RunFile
    run = RunFile(path)
    info = run.population(population)
    if run.t_stop_ms <= skip_ms:
        raise SpikeWeaveFileError(path, f"only {run.t_stop_ms} ms simulated; nothing after "
                                  f"skip_ms = {skip_ms}")
    spikes = run.spikes(population)
    return analyse_rhythm(spikes.times_ms, info.n_nodes, skip_ms, run.t_stop_ms, **options)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m spikeweave.oscillations",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("run_file")
    parser.add_argument("--population", required=True)
    parser.add_argument("--skip-ms", type=float, default=200.0, help="transient left out")
    parser.add_argument("--bin-ms", type=float, default=1.0)
    args = parser.parse_args(argv)
    a = analyse_run(args.run_file, args.population, args.skip_ms, bin_ms=args.bin_ms)
    print(f"{args.population}: spectrum peak {a.peak_hz:.1f} Hz, order parameter R = "
          f"{a.order_parameter:.3f} (mean phase {a.mean_phase_rad:+.2f} rad), rate "
          f"{a.rate_hz:.2f} Hz, {a.spikes} spikes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
