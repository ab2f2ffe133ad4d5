#!/usr/bin/env python3
"""Heat maps of a two-axis grid sweep (by default Brunel's phase diagram, axes g and eta): mean
rate, CV of ISI and synchrony chi of one population, and the peak frequency of its rate spectrum.

    python3 examples/plot_phase_diagram.py out/brunel_phase.h5 -o brunel_phase_diagram.png
"""
import argparse

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("sweep", help="the sweep file (spikeweave sweep --out)")
parser.add_argument("-o", "--output", default="phase_diagram.png")
parser.add_argument("--x", default="g", help="axis on the horizontal (default g)")
parser.add_argument("--y", default="eta", help="axis on the vertical (default eta)")
parser.add_argument("--population", default="exc")
args = parser.parse_args()

with h5py.File(args.sweep, "r") as f:
    x, y = f["points"][args.x][()], f["points"][args.y][()]
    done = f["done"][()].astype(bool)
    metrics = {name: f["metrics"][args.population][name][()] for name in f["metrics"][args.population]}
xs, ys = np.unique(x), np.unique(y)


def grid(values):
    """Mean over repeats of each (x, y) cell; NaN where undefined or not done."""
    z = np.full((len(ys), len(xs)), np.nan)
    for j, yv in enumerate(ys):
        for i, xv in enumerate(xs):
            cell = values[(x == xv) & (y == yv) & done]
            if len(cell) and np.isfinite(cell).any():
                z[j, i] = np.nanmean(cell)
    return z


panels = [("rate_hz", "mean rate [Hz]", "log"), ("cv_isi", "CV of ISI", None),
          ("synchrony_chi", "synchrony $\\chi$", None), ("peak_frequency_hz", "peak frequency [Hz]", None)]
fig, axes = plt.subplots(2, 2, figsize=(9.5, 7.2), constrained_layout=True)
dx = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 0.5
dy = (ys[1] - ys[0]) / 2 if len(ys) > 1 else 0.5
extent = [xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy]
for ax, (name, label, scale) in zip(axes.flat, panels):
    z = grid(metrics[name])
    if scale == "log":
        z = np.where(np.isnan(z), np.nan, np.maximum(z, 0.1))  # silent points at the bottom of the scale
    norm = matplotlib.colors.LogNorm(vmin=max(np.nanmin(z), 0.1), vmax=np.nanmax(z)) if scale == "log" else None
    image = ax.imshow(z, origin="lower", aspect="auto", extent=extent, norm=norm, cmap="viridis",
                      interpolation="nearest")
    fig.colorbar(image, ax=ax, label=label)
    ax.set_xlabel(args.x)
    ax.set_ylabel(args.y)
    ax.set_title("%s: %s" % (args.population, label))
    # Brunel's (2000) Fig. 8 states, where the grid has them.
    for state, gx, ey in (("SR", 3.0, 2.0), ("AI", 5.0, 2.0), ("SIf", 6.0, 4.0), ("SIs", 4.5, 0.9)):
        if args.x == "g" and args.y == "eta" and extent[0] <= gx <= extent[1] and extent[2] <= ey <= extent[3]:
            ax.annotate(state, (gx, ey), color="white", ha="center", va="center", fontsize=8, weight="bold")
fig.savefig(args.output, dpi=120)
print("wrote", args.output)
