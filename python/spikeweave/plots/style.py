"""Shared look of every figure: Agg backend, colours per population, saving to PNG bytes."""
import io

import matplotlib

matplotlib.use("Agg")  # headless: no display needed, also under `python3 -m spikeweave`
import matplotlib.pyplot as plt  # noqa: E402

# Colour-blind-safe palette (Okabe & Ito 2008); population i gets COLORS[i % len(COLORS)].
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
          "#000000"]

RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "legend.fontsize": 8,
    "svg.fonttype": "none",
}


def population_color(index):
    return COLORS[index % len(COLORS)]


def new_figure(width_in=7.0, height_in=3.0, rows=1, cols=1, **kwargs):
    """A figure and its axes in the package style."""
    with plt.rc_context(RC):
        fig, axes = plt.subplots(rows, cols, figsize=(width_in, height_in), **kwargs)
    return fig, axes


def styled(function):
    """Runs a plotting function inside the package's rc settings."""
    def wrapper(*args, **kwargs):
        with plt.rc_context(RC):
            return function(*args, **kwargs)
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def png_bytes(fig, dpi=100):
    """The figure as PNG bytes; closes it (figures are not kept in pyplot's list)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def svg_markup(fig):
    """The figure as an inline <svg> element (no XML prolog) with every vertex kept (no path
    simplification), so that a line's vertices can be counted in the page; closes it."""
    buffer = io.StringIO()
    with plt.rc_context({"path.simplify": False, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def save(fig, path, dpi=150):
    """Writes the figure (format from the file name: .png, .svg, .pdf) and closes it."""
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return path


def empty_note(ax, text):
    """Writes `text` in the middle of an empty axis (no data to draw)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666666")
    ax.set_xticks([])
    ax.set_yticks([])
