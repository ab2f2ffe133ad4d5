"""Figures of sweep files: each metric over one axis (a line) or two axes (a heat map), the mean
over repeats and over any further axes, with cells that have no finished point left blank."""
import numpy as np

from .style import new_figure, styled


def sweep_grid(x, y, values, done=None):
    """(xs, ys, z, counts): the distinct values of axes x and y, and per cell [len(ys), len(xs)]
    the mean of the finite `values` of its finished points (NaN if none) and how many there are."""
    x = np.asarray(x, dtype=float)
    y = np.zeros_like(x) if y is None else np.asarray(y, dtype=float)
    values = np.asarray(values, dtype=float)
    keep = np.ones(x.shape, bool) if done is None else np.asarray(done, bool)
    xs, ys = np.unique(x), np.unique(y)
    z = np.full((len(ys), len(xs)), np.nan)
    counts = np.zeros((len(ys), len(xs)), int)
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            cell = values[(x == xv) & (y == yv) & keep]
            cell = cell[np.isfinite(cell)]
            counts[j, i] = cell.size
            if cell.size:
                z[j, i] = cell.mean()
    return xs, ys, z, counts


def _edges(centres):
    """Cell edges around sorted centres (half-way between neighbours)."""
    if len(centres) == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    mid = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[2 * centres[0] - mid[0]], mid, [2 * centres[-1] - mid[-1]]])


@styled
def plot_sweep_metrics(points, metrics, done=None, x_axis=None, y_axis=None, title=""):
    """One panel per metric: a heat map over `x_axis` and `y_axis`, or a line over `x_axis` alone
    (y_axis None). `points` maps axis names to per-point values, `metrics` metric names to
    per-point values (NaN where undefined)."""
    names = list(metrics)
    cols = min(4, max(1, len(names)))
    rows = (len(names) + cols - 1) // cols
    fig, axes = new_figure(3.0 * cols, 2.5 * rows, rows=rows, cols=cols, squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names):
        xs, ys, z, _ = sweep_grid(points[x_axis], points[y_axis] if y_axis else None,
                                  metrics[name], done)
        if y_axis:
            mesh = ax.pcolormesh(_edges(xs), _edges(ys), np.ma.masked_invalid(z), cmap="viridis",
                                 shading="flat")
            fig.colorbar(mesh, ax=ax)
            ax.set_ylabel(y_axis)
        else:
            ax.plot(xs, z[0], "o-", color="#0072B2")
        ax.set_xlabel(x_axis)
        ax.set_title(name)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
