"""Spike-train statistics, each with its formula. Times are in ms, rates in Hz.

Notation: T is the recorded duration [s], N the number of neurons, b the bin width.
"""
import numpy as np

# Spike times lie on the dt grid (end of a step) but are not exact in binary floating point
# (0.1 + 0.1 + 0.1 is 0.30000000000000004), so a grid time on a bin edge may fall a hair below
# it. A time within this fraction of a bin below an edge counts as on the edge, so that grid
# times land in bins consistently (otherwise the binned rate and its spectrum show aliasing).
EDGE_TOLERANCE = 1e-6


def bin_index(times_ms, bin_ms, t_start_ms=0.0):
    """floor((t - t_start) / b + EDGE_TOLERANCE): the bin [t_start + k b, t_start + (k+1) b)
    that holds each time."""
    offsets = (np.asarray(times_ms, dtype=float) - t_start_ms) / bin_ms
    return np.floor(offsets + EDGE_TOLERANCE).astype(np.int64)


def mean_rate(n_spikes, n_nodes, t_stop_ms):
    """Mean rate of a population [Hz]: n_spikes / (N T), as `spikeweave inspect` prints it."""
    if n_nodes <= 0 or t_stop_ms <= 0:
        return 0.0
    return n_spikes / (n_nodes * t_stop_ms * 1e-3)


def firing_rates(counts, duration_ms):
    """Per-neuron rates [Hz]: r_i = n_i / T, from spikes per neuron `counts`."""
    counts = np.asarray(counts, dtype=float)
    return counts / (duration_ms * 1e-3) if duration_ms > 0 else np.zeros_like(counts)


def spike_counts(node_ids, n_nodes):
    """Spikes per neuron n_i (int64 [n_nodes]) from a population's node ids."""
    return np.bincount(np.asarray(node_ids, dtype=np.int64), minlength=n_nodes)[:n_nodes]


def cv_isi(trains, min_spikes=3):
    """Coefficient of variation of the inter-spike intervals of each train:
        CV = sigma(ISI) / mean(ISI),  sigma the population standard deviation (ddof = 0),
    for every train with at least `min_spikes` spikes (at least two intervals); trains with
    fewer spikes are left out. `trains` is an iterable of spike-time arrays or a dict of them.
    A Poisson train has CV = 1, a regular one CV = 0."""
    if isinstance(trains, dict):
        trains = trains.values()
    cvs = []
    for times in trains:
        times = np.sort(np.asarray(times, dtype=float))
        if len(times) < max(min_spikes, 3):
            continue
        isi = np.diff(times)
        mean = isi.mean()
        if mean > 0:
            cvs.append(isi.std() / mean)
    return np.asarray(cvs, dtype=float)


def population_rate(times_ms, n_neurons, t_stop_ms, bin_ms=1.0, t_start_ms=0.0):
    """Binned population rate: r_k = c_k / (N b), c_k the spikes of all N neurons in bin
    [t_start + k b, t_start + (k + 1) b); a spike at exactly t_stop counts in the last bin.
    Returns (bin left edges [ms], rate [Hz]). Bins are assigned by bin_index."""
    n_bins = max(1, int(np.ceil((t_stop_ms - t_start_ms) / bin_ms - 1e-9)))
    index = bin_index(times_ms, bin_ms, t_start_ms)
    index = index[(index >= 0) & (np.asarray(times_ms) <= t_stop_ms)]
    counts = np.bincount(np.clip(index, 0, n_bins - 1), minlength=n_bins)
    return t_start_ms + bin_ms * np.arange(n_bins), rate_from_bin_counts(counts, n_neurons, bin_ms)


def rate_from_bin_counts(counts, n_neurons, bin_ms):
    """r_k = c_k / (N b) [Hz] from spikes per bin."""
    if n_neurons <= 0:
        return np.zeros(len(counts))
    return np.asarray(counts, dtype=float) / (n_neurons * bin_ms * 1e-3)


def smooth_rate(rate_hz, bin_ms, sigma_ms):
    """Gaussian-smoothed rate: s_k = sum_j g_j r_{k-j} / sum_j g_j, g_j = exp(-(j b)^2 / 2 sigma^2)
    for |j b| <= 4 sigma. Near the ends only the kernel inside the recording is used and
    renormalised, so a constant rate stays constant up to the edges."""
    rate_hz = np.asarray(rate_hz, dtype=float)
    if sigma_ms <= 0 or len(rate_hz) == 0:
        return rate_hz.copy()
    half = max(1, int(np.ceil(4 * sigma_ms / bin_ms)))
    offsets = np.arange(-half, half + 1) * bin_ms
    kernel = np.exp(-0.5 * (offsets / sigma_ms) ** 2)
    numerator = np.convolve(rate_hz, kernel, mode="same")
    weight = np.convolve(np.ones_like(rate_hz), kernel, mode="same")
    return numerator / weight


def power_spectrum(rate_hz, bin_ms, segment_bins=None):
    """One-sided periodogram of a binned rate r_k (k = 0..K-1, bin width D = b in s):
        x_k = r_k - mean(r),  X_j = sum_k x_k exp(-2 pi i j k / K),
        P_j = c_j D |X_j|^2 / K,  c_j = 2 for 0 < j < K/2 and 1 at j = 0 and j = K/2,
    at frequencies f_j = j / (K D) [Hz]; units Hz^2/Hz. Parseval: sum_j P_j df = var(r), with
    df = 1 / (K D). With `segment_bins` = L < K, Bartlett's method: the rate is cut into
    floor(K / L) non-overlapping segments of L bins, each is treated as above (its own mean
    removed) and the periodograms are averaged, which trades resolution 1 / (L D) for a variance
    smaller by the number of segments. Returns (frequencies [Hz], P)."""
    rate_hz = np.asarray(rate_hz, dtype=float)
    length = len(rate_hz) if not segment_bins else min(int(segment_bins), len(rate_hz))
    if length < 2:
        return np.zeros(0), np.zeros(0)
    segments = rate_hz[:len(rate_hz) // length * length].reshape(-1, length)
    dt_s = bin_ms * 1e-3
    centred = segments - segments.mean(axis=1, keepdims=True)
    spectrum = (np.abs(np.fft.rfft(centred, axis=1)) ** 2).mean(axis=0) * dt_s / length
    spectrum[1:(length + 1) // 2] *= 2.0  # fold the negative frequencies (not 0 or Nyquist)
    return np.fft.rfftfreq(length, dt_s), spectrum


def fano_factor(times_ms, window_ms, t_stop_ms, t_start_ms=0.0):
    """Fano factor of spike counts in consecutive windows of width w:
        F = var(n) / mean(n)  (ddof = 0)
    over the floor((t_stop - t_start) / w) whole windows [t_start + m w, t_start + (m + 1) w).
    Pass one neuron's spike times, or a population's pooled times. 1 for a Poisson process;
    NaN when there are no whole windows or no spikes."""
    n_windows = int(np.floor((t_stop_ms - t_start_ms) / window_ms + 1e-9))
    if n_windows < 1:
        return float("nan")
    times = np.asarray(times_ms, dtype=float)
    index = bin_index(times, window_ms, t_start_ms)
    index = index[(index >= 0) & (index < n_windows)]
    counts = np.bincount(index, minlength=n_windows).astype(float)
    mean = counts.mean()
    return float(counts.var() / mean) if mean > 0 else float("nan")


def fano_factors(trains, window_ms, t_stop_ms, t_start_ms=0.0):
    """Per-neuron Fano factors (see fano_factor) of trains that have spikes."""
    if isinstance(trains, dict):
        trains = trains.values()
    values = [fano_factor(t, window_ms, t_stop_ms, t_start_ms) for t in trains if len(t)]
    return np.asarray([v for v in values if np.isfinite(v)], dtype=float)
