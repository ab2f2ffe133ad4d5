"""Figures of membrane-potential reports."""
import numpy as np

from .style import empty_note, new_figure, styled


@styled
def plot_membrane(report, max_traces=5, ax=None):
    """Membrane potential of up to `max_traces` recorded neurons, stacked in one axis."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(7.0, 2.8)
    if report.data.size == 0:
        empty_note(ax, "no samples")
        return fig
    columns = np.unique(np.linspace(0, report.data.shape[1] - 1,
                                    min(max_traces, report.data.shape[1])).round().astype(int))
    for j in columns:
        ax.plot(report.times_ms, report.data[:, j], lw=0.7, label=f"node {int(report.node_ids[j])}")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"V_m ({report.units})")
    ax.set_title(f"{report.population}: membrane potential of {len(columns)} of "
                 f"{report.data.shape[1]} recorded neurons")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # outside: traces fill the axis
    return fig
