"""Figures of spiking activity: raster with a rate histogram, rate and CV histograms, population
rate and its spectrum, Fano factors."""
import numpy as np

from .. import analysis
from .style import empty_note, new_figure, population_color, styled


def raster_rows(trains_list, max_neurons):
    """Which neurons of each population are drawn: at most `max_neurons` per population, evenly
    spaced over node ids. Returns [(population, node_ids_shown)]."""
    rows = []
    for trains in trains_list:
        n = trains.n_nodes
        shown = np.unique(np.linspace(0, n - 1, min(n, max_neurons)).round().astype(np.uint64))
        rows.append((trains.population, shown if n > 0 else np.zeros(0, np.uint64)))
    return rows


@styled
def plot_raster(trains_list, t_stop_ms, max_neurons=200, bin_ms=5.0, title=None):
    """Raster of one or more populations (SpikeTrains each), stacked with population colours,
    at most `max_neurons` evenly spaced neurons per population with all of their spikes, and the
    population rate histogram (bins of `bin_ms`, all neurons) under it. Returns the Figure."""
    fig, (ax, ax_rate) = new_figure(7.0, 4.5, rows=2, sharex=True,
                                    gridspec_kw={"height_ratios": [3, 1]})
    offset, ticks, labels = 0, [], []
    for i, ((name, shown), trains) in enumerate(zip(raster_rows(trains_list, max_neurons),
                                                    trains_list)):
        mask = np.isin(trains.node_ids, shown)
        ys = np.searchsorted(shown, trains.node_ids[mask]).astype(float) + offset
        color = population_color(i)
        ax.scatter(trains.times_ms[mask], ys, s=1.5, marker="|", color=color, linewidths=0.6)
        ticks.append(offset + len(shown) / 2)
        labels.append(f"{name}\n({len(shown)} of {trains.n_nodes})")
        edges, rate = analysis.population_rate(trains.times_ms, trains.n_nodes, t_stop_ms, bin_ms)
        ax_rate.step(edges, rate, where="post", color=color, lw=0.8, label=name)
        offset += len(shown)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.set_ylim(-0.5, max(offset, 1) - 0.5)
    ax.invert_yaxis()
    ax.set_title(title or "Spike raster")
    ax_rate.set_xlabel("time (ms)")
    ax_rate.set_ylabel(f"rate (Hz)\n{bin_ms:g} ms bins")
    ax_rate.set_xlim(0, t_stop_ms)
    if len(trains_list) > 1:
        ax_rate.legend(loc="upper right", ncol=len(trains_list))
    fig.align_ylabels()
    return fig


@styled
def plot_rate_histogram(rates_hz, ax=None, color=None, label=None, quantum_hz=None):
    """Histogram of per-neuron firing rates [Hz]. Rates from spike counts are multiples of
    1 / T: pass quantum_hz = 1 / T [Hz] and the bins are whole multiples of it (no empty
    bins between populated ones)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.5, 2.6)
    rates_hz = np.asarray(rates_hz)
    if rates_hz.size == 0:
        empty_note(ax, "no neurons")
    else:
        ax.hist(rates_hz, bins=rate_bins(rates_hz, quantum_hz), color=color or "#0072B2",
                alpha=0.85)
        ax.axvline(rates_hz.mean(), color="k", lw=0.8, ls="--",
                   label=f"mean {rates_hz.mean():.2f} Hz")
        ax.legend()
    ax.set_xlabel("firing rate (Hz)")
    ax.set_ylabel("neurons")
    ax.set_title(label or "Rates")
    return fig


def rate_bins(rates_hz, quantum_hz=None, target=40):
    """About `target` bins; whole multiples of quantum_hz wide when given."""
    if not quantum_hz:
        return min(50, max(5, rates_hz.size // 5))
    low, high = rates_hz.min(), rates_hz.max()
    width = quantum_hz * max(1, int(np.ceil((high - low) / quantum_hz / target)))
    return np.arange(low - quantum_hz / 2, high + width, width)


@styled
def plot_cv_histogram(cvs, ax=None, color=None, label=None):
    """Histogram of CV of ISI values (dashed line at CV = 1, a Poisson process)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.5, 2.6)
    cvs = np.asarray(cvs)
    if cvs.size == 0:
        empty_note(ax, "no neuron with 3 or more spikes")
    else:
        ax.hist(cvs, bins=min(40, max(5, cvs.size // 5)), color=color or "#0072B2", alpha=0.85)
        ax.axvline(1.0, color="#666666", lw=0.8, ls=":", label="Poisson (CV = 1)")
        ax.legend()
    ax.set_xlabel("CV of ISI")
    ax.set_ylabel("neurons")
    ax.set_title(label or "Irregularity")
    return fig


@styled
def plot_population_rate(edges_ms, rate_hz, bin_ms, sigma_ms=None, ax=None, color=None,
                         label=None):
    """Binned population rate, and its Gaussian smoothing when sigma_ms is given."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(7.0, 2.2)
    color = color or "#0072B2"
    if len(rate_hz) == 0:
        empty_note(ax, "no spikes")
    else:
        ax.step(edges_ms, rate_hz, where="post", color=color, lw=0.5, alpha=0.45,
                label=f"{bin_ms:g} ms bins")
        if sigma_ms:
            smooth = analysis.smooth_rate(rate_hz, bin_ms, sigma_ms)
            ax.plot(np.asarray(edges_ms) + bin_ms / 2, smooth, color=color, lw=1.2,
                    label=f"Gaussian, sigma {sigma_ms:g} ms")
        ax.legend(loc="upper right", ncol=2)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("rate (Hz)")
    ax.set_title(label or "Population rate")
    return fig


@styled
def plot_spectrum(freqs_hz, power, ax=None, color=None, label=None):
    """Power spectrum of the population rate (log power, 0 Hz left out)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.5, 2.6)
    freqs_hz, power = np.asarray(freqs_hz), np.asarray(power)
    keep = (freqs_hz > 0) & (power > 0)
    if not keep.any():
        empty_note(ax, "no fluctuations to analyse")
    else:
        ax.semilogy(freqs_hz[keep], power[keep], color=color or "#0072B2", lw=0.8)
        peak = freqs_hz[keep][np.argmax(power[keep])]
        ax.axvline(peak, color="#666666", lw=0.6, ls=":", label=f"peak {peak:.1f} Hz")
        ax.legend()
    ax.set_xlabel("frequency (Hz)")
    ax.set_ylabel("power (Hz$^2$/Hz)")
    ax.set_title(label or "Population-rate spectrum")
    return fig


@styled
def plot_fano_histogram(fano, ax=None, color=None, label=None):
    """Histogram of per-neuron Fano factors."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.5, 2.6)
    fano = np.asarray(fano)
    if fano.size == 0:
        empty_note(ax, "no spikes")
    else:
        ax.hist(fano, bins=min(40, max(5, fano.size // 5)), color=color or "#0072B2", alpha=0.85)
        ax.axvline(1.0, color="#666666", lw=0.8, ls=":", label="Poisson (F = 1)")
        ax.legend()
    ax.set_xlabel("Fano factor")
    ax.set_ylabel("neurons")
    ax.set_title(label or "Fano factors")
    return fig
