"""Figures of recorded synapses: weight evolution, final weight histogram, and every plastic
variable of one synapse over time (the plasticity cascade)."""
import numpy as np

from .style import empty_note, new_figure, styled

# Readable names of the plastic variables a run file can hold (io/SCHEMA.md).
VARIABLE_LABELS = {
    "weight": "weight",
    "eligibility": "eligibility trace",
    "rho": "efficacy rho (calcium rule)",
    "late_weight": "late (consolidated) weight",
}


def example_synapses(record, count=5):
    """Columns of `count` synapses worth showing: the ones whose weight changed most, least and
    in between (sorted by total change), so that diverging and stable synapses both appear."""
    n = record.weight.shape[1] if record.weight.ndim == 2 else 0
    if n == 0 or record.weight.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    change = record.weight[-1] - record.weight[0]
    order = np.argsort(change, kind="stable")
    picks = np.linspace(0, n - 1, min(count, n)).round().astype(np.int64)
    return np.unique(order[picks])


@styled
def plot_weight_evolution(record, n_examples=5, ax=None):
    """Mean weight over time with the 25-75 % and 5-95 % percentile bands of all sampled
    synapses, and `n_examples` individual synapses (see example_synapses)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(6.0, 3.0)
    w, t = record.weight, record.time_ms
    if w.size == 0:
        empty_note(ax, "no weight samples")
        return fig
    p5, p25, p75, p95 = np.percentile(w, [5, 25, 75, 95], axis=1)
    ax.fill_between(t, p5, p95, color="#0072B2", alpha=0.15, lw=0, label="5-95 %")
    ax.fill_between(t, p25, p75, color="#0072B2", alpha=0.30, lw=0, label="25-75 %")
    for j in example_synapses(record, n_examples):
        ax.plot(t, w[:, j], lw=0.6, color="#D55E00", alpha=0.7)
    # The mean line is tagged (SVG id) so that its vertices, one per sample, can be counted.
    ax.plot(t, w.mean(axis=1), color="k", lw=1.5, label="mean",
            gid=f"mean-weight-{record.projection}")
    ax.plot([], [], lw=0.6, color="#D55E00", label="single synapses")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"weight ({record.units})")
    ax.set_title(f"{record.projection}: {w.shape[1]} synapses, {w.shape[0]} samples")
    ax.legend(loc="best", ncol=2)
    return fig


@styled
def plot_weight_histogram(record, ax=None):
    """Histogram of the last sample's weights, with the first sample's as an outline."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.5, 3.0)
    w = record.weight
    if w.size == 0:
        empty_note(ax, "no weight samples")
        return fig
    bins = np.histogram_bin_edges(np.concatenate([w[0], w[-1]]), bins=40)
    ax.hist(w[0], bins=bins, histtype="step", color="#666666", lw=1.0,
            label=f"t = {record.time_ms[0]:g} ms")
    ax.hist(w[-1], bins=bins, color="#0072B2", alpha=0.8, label=f"t = {record.time_ms[-1]:g} ms")
    ax.set_xlabel(f"weight ({record.units})")
    ax.set_ylabel("synapses")
    ax.set_title("Final weights")
    ax.legend()
    return fig


@styled
def plot_synapse_variables(record, column):
    """Every recorded variable of one synapse (column `column` of the record) over time: the
    weight and each plastic variable (eligibility, rho, late_weight, ...) in its own panel."""
    names = ["weight"] + list(record.variables)
    fig, axes = new_figure(8.0, 1.3 + 1.2 * len(names), rows=len(names), sharex=True,
                           squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        values = record.weight if name == "weight" else record.variables[name]
        if values.size == 0:
            empty_note(ax, "no samples")
            continue
        ax.plot(record.time_ms, values[:, column], color="#0072B2", lw=1.0)
        label = VARIABLE_LABELS.get(name, name)
        ax.set_ylabel(f"{label}\n({record.units})" if name in ("weight", "late_weight")
                      else label)
    axes[0, 0].set_title(f"{record.projection}: synapse {int(record.source[column])} -> "
                         f"{int(record.target[column])}")
    axes[-1, 0].set_xlabel("time (ms)")
    fig.align_ylabels()
    return fig
