"""The per-population, per-projection and per-report parts of a run report."""
import numpy as np

from .. import analysis
from ..plots import (plot_cv_histogram, plot_membrane, plot_population_rate,
                     plot_rate_histogram, plot_spectrum, plot_synapse_variables,
                     plot_weight_evolution, plot_weight_histogram, population_color)
from ..plots.style import new_figure, png_bytes, svg_markup
from ..streaming import scan_population
from . import html as h
from .svg import raster_svg

# Weight values read at most for the evolution figure (samples x synapses); beyond it an evenly
# spaced subset of the sampled synapses is used (and said so).
MAX_WEIGHT_VALUES = 20_000_000


def evenly_spaced_ids(n_nodes, count):
    if n_nodes <= 0 or count <= 0:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.linspace(0, n_nodes - 1, min(count, n_nodes)).round().astype(np.uint64))


def neurons_within_budget(n_nodes, n_spikes, wanted, spike_budget):
    """How many of `wanted` evenly spaced neurons to take so that their expected spike count
    (n_spikes / n_nodes each) stays within `spike_budget`."""
    wanted = min(wanted, n_nodes)
    if n_spikes == 0 or n_nodes == 0:
        return wanted
    return max(1, min(wanted, int(spike_budget * n_nodes // n_spikes)))


def weight_column_of_largest_change(weight):
    """The sampled synapse whose weight changed most between the first and last sample."""
    if weight.ndim != 2 or weight.shape[0] == 0 or weight.shape[1] == 0:
        return 0
    return int(np.argmax(np.abs(weight[-1] - weight[0])))


def population_section(run, info, index, options):
    """Table, raster and statistics figure of one population, from one pass over its spikes."""
    name, n, total, t_stop = info.name, info.n_nodes, info.n_spikes, run.t_stop_ms
    color = population_color(index)
    shown = evenly_spaced_ids(n, neurons_within_budget(n, total, options.max_raster_neurons,
                                                       options.raster_spike_budget))
    sample = evenly_spaced_ids(n, neurons_within_budget(n, total, options.cv_neurons,
                                                        options.cv_spike_budget))
    bin_ms = max(options.bin_ms, run.provenance.dt_ms, t_stop / options.max_bins)
    scan = scan_population(run, name, np.union1d(shown, sample), bin_ms, options.chunk_rows)
    rates = analysis.firing_rates(scan.counts, t_stop)
    trains = scan.kept.trains(sample)
    cvs = analysis.cv_isi(trains)
    fanos = analysis.fano_factors(trains, options.fano_window_ms, t_stop)
    rate = analysis.rate_from_bin_counts(scan.binned, n, bin_ms)
    # Segments of about 1 s (at least 8 of them when the run is shorter) tame the periodogram.
    segment = max(16, min(int(round(1000.0 / bin_ms)), len(rate) // 8))
    freqs, power = analysis.power_spectrum(rate, bin_ms, segment)
    parts = [population_table(info, t_stop, rates, cvs, fanos, freqs, power, len(sample),
                              options.fano_window_ms)]
    if total == 0:
        parts.append(h.note(f"Population {name} fired no spike in this run: its raster, rate "
                            "and spectrum are empty.", "zero-spikes"))
    drawn = int(np.isin(scan.kept.node_ids, shown).sum())
    caption = (f"Raster of {name}: {len(shown)} of {n} neurons shown (evenly spaced node ids), "
               f"all {drawn} of their spikes drawn (of {total} spikes in the population).")
    parts.append(h.svg_figure(raster_svg(name, scan.kept.node_ids, scan.kept.times_ms, shown, n,
                                         t_stop, color), caption))
    if total == 0:
        return h.section(name, parts, level=3, anchor=f"population-{name}")
    if len(sample) < n:
        parts.append(h.note(f"CV of ISI and Fano factors use {len(sample)} of {n} neurons "
                            "(evenly spaced); rates, population rate and spectrum use every "
                            "spike.", "sampled"))
    fig, axes = new_figure(9.0, 5.2, rows=2, cols=3, gridspec_kw={"height_ratios": [1, 1.1]})
    gs = axes[0, 0].get_gridspec()
    for ax in axes[0]:
        ax.remove()
    top = fig.add_subplot(gs[0, :])
    edges = bin_ms * np.arange(len(rate))
    plot_population_rate(edges, rate, bin_ms, options.sigma_ms, ax=top, color=color,
                         label=f"{name}: population rate")
    top.set_xlim(0, t_stop)
    plot_rate_histogram(rates, ax=axes[1, 0], color=color, label="Rates (all neurons)",
                        quantum_hz=1000.0 / t_stop if t_stop > 0 else None)
    plot_cv_histogram(cvs, ax=axes[1, 1], color=color, label=f"CV of ISI ({len(cvs)} neurons)")
    plot_spectrum(freqs, power, ax=axes[1, 2], color=color)
    fig.tight_layout()
    parts.append(h.png_figure(png_bytes(fig), f"{name}: population rate in {bin_ms:g} ms bins "
                              f"(smoothed with a Gaussian of {options.sigma_ms:g} ms), rates, "
                              "CV of ISI and the spectrum of the population rate.",
                              f"statistics of {name}",
                              {"kind": "population", "population": name}))
    return h.section(name, parts, level=3, anchor=f"population-{name}")


def population_table(info, t_stop, rates, cvs, fanos, freqs, power, sampled, window_ms):
    keep = freqs > 0
    peak = f"{freqs[keep][np.argmax(power[keep])]:.1f}" if keep.any() and power[keep].max() > 0 \
        else "-"
    rows = [(info.name, h.fmt(info.n_nodes), h.fmt(info.n_spikes),
             h.fmt(analysis.mean_rate(info.n_spikes, info.n_nodes, t_stop)),
             h.fmt(float(np.median(rates))) if len(rates) else "-",
             h.fmt(float(np.mean(rates == 0))) if len(rates) else "-",
             f"{np.mean(cvs):.3f} ({len(cvs)})" if len(cvs) else "-",
             f"{np.mean(fanos):.3f}" if len(fanos) else "-", peak)]
    return h.table(("population", "neurons", "spikes", "mean rate (Hz)", "median rate (Hz)",
                    "silent fraction", "mean CV ISI (neurons)",
                    f"mean Fano ({window_ms:g} ms, {sampled} neurons)", "spectral peak (Hz)"),
                   rows)


def projection_section(run, info, options):
    parts = []
    columns = None
    if info.n_samples * info.n_synapses > MAX_WEIGHT_VALUES:
        keep = max(1, MAX_WEIGHT_VALUES // max(info.n_samples, 1))
        columns = evenly_spaced_ids(info.n_synapses, keep).astype(np.int64)
        parts.append(h.note(f"{info.projection}: {len(columns)} of {info.n_synapses} sampled "
                            "synapses are shown (evenly spaced).", "sampled"))
    record = run.weights(info.projection, columns)
    if info.n_samples == 0 or info.n_synapses == 0:
        parts.append(h.note(f"{info.projection}: the weight record holds no samples.",
                            "no-samples"))
        return h.section(f"Projection {info.projection}", parts, level=3)
    fig, (left, right) = new_figure(9.0, 3.2, cols=2, gridspec_kw={"width_ratios": [1.8, 1]})
    plot_weight_evolution(record, ax=left)
    plot_weight_histogram(record, ax=right)
    fig.tight_layout()
    # Inline SVG: the mean line keeps one vertex per sample (id mean-weight-<projection>).
    parts.append(h.svg_figure(
        svg_markup(fig), f"{info.projection}: weights of {record.weight.shape[1]} sampled "
        f"synapses at {info.n_samples} times: mean, percentile bands and single synapses; final "
        "weight histogram.",
        {"kind": "weights", "projection": info.projection, "samples": info.n_samples,
         "synapses": record.weight.shape[1]}))
    column = options.synapse if 0 <= options.synapse < record.weight.shape[1] else \
        weight_column_of_largest_change(record.weight)
    variables = ", ".join(["weight"] + list(record.variables))
    parts.append(h.png_figure(
        png_bytes(plot_synapse_variables(record, column)),
        f"Synapse view: every recorded variable ({variables}) of synapse "
        f"{int(record.source[column])} -> {int(record.target[column])} (sample column {column}, "
        "the one whose weight changed most unless --synapse is given).",
        f"plastic variables of one synapse of {info.projection}",
        {"kind": "synapse", "projection": info.projection, "column": column,
         "variables": variables}))
    if not record.variables:
        parts.append(h.note(f"{info.projection}: only the weight is recorded; add variables = "
                            "[...] (eligibility, rho, late_weight, as the rule has them) to its "
                            "weights record to see the plasticity cascade.", "no-variables"))
    return h.section(f"Projection {info.projection}", parts, level=3,
                     anchor=f"projection-{info.projection}")


def membrane_section(run, population):
    report = run.membrane(population)
    if report.data.size == 0:
        return h.note(f"{population}: the membrane report holds no samples.", "no-samples")
    return h.png_figure(png_bytes(plot_membrane(report)),
                        f"{population}: membrane potential ({report.data.shape[1]} neurons "
                        f"recorded, {report.data.shape[0]} samples).",
                        f"membrane potential of {population}",
                        {"kind": "membrane", "population": population,
                         "samples": report.data.shape[0]})
