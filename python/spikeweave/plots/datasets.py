"""Figures of dataset files: a network's weight matrix, its activity, parameter distributions."""
import numpy as np

from .style import empty_note, new_figure, styled


@styled
def plot_weight_matrix(W, ax=None, title="W"):
    """W[i, j] (from j onto i) as an image with a symmetric diverging colour scale."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(3.6, 3.2)
    W = np.asarray(W, dtype=float)
    limit = float(np.abs(W).max()) or 1.0
    image = ax.imshow(W, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_xlabel("presynaptic j")
    ax.set_ylabel("postsynaptic i")
    ax.set_title(title)
    return fig


@styled
def plot_activity(activity, dt_ms=None, ax=None, title="Activity"):
    """activity[t, i] of one trial as an image (neurons x time)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(5.0, 3.2)
    activity = np.asarray(activity, dtype=float)
    if activity.size == 0:
        empty_note(ax, "no activity")
        return fig
    extent = None
    if dt_ms:
        extent = [0, activity.shape[0] * dt_ms, activity.shape[1] - 0.5, -0.5]
    image = ax.imshow(activity.T, aspect="auto", cmap="viridis", interpolation="nearest",
                      extent=extent)
    fig.colorbar(image, ax=ax, shrink=0.8)
    ax.set_xlabel("time (ms)" if dt_ms else "step")
    ax.set_ylabel("neuron")
    ax.set_title(title)
    return fig


@styled
def plot_parameter_distributions(params, columns=None):
    """One histogram per /params column (except the row index 'network')."""
    columns = [c for c in (columns or params) if c not in ("network",)]
    if not columns:
        fig, ax = new_figure(3.5, 2.0)
        empty_note(ax, "no varied parameters")
        return fig
    cols = min(4, len(columns))
    rows = (len(columns) + cols - 1) // cols
    fig, axes = new_figure(2.6 * cols, 2.2 * rows, rows=rows, cols=cols, squeeze=False)
    for ax in axes.flat[len(columns):]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, columns):
        values = np.asarray(params[name], dtype=float)
        ax.hist(values, bins=min(30, max(5, values.size // 3)), color="#009E73", alpha=0.85)
        ax.set_title(name)
        ax.set_ylabel("networks")
    fig.tight_layout()
    return fig
