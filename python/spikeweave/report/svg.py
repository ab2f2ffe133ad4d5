"""Hand-written SVG for the figures whose marks must be countable in the page: the raster (one
path segment "M x y v h" per spike, so the drawn spike count can be checked against the file)
and the phase-timing bar."""
import numpy as np

from .html import esc

WIDTH, LEFT, RIGHT, TOP, BOTTOM = 900, 64, 24, 8, 34


def nice_ticks(stop, count=6):
    """Round tick positions from 0 to `stop`."""
    if stop <= 0:
        return [0.0]
    raw = stop / count
    magnitude = 10 ** np.floor(np.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw),
               default=10 * magnitude)
    return [float(t) for t in np.arange(0, stop + step * 1e-9, step)]


def raster_svg(population, node_ids, times_ms, shown_ids, n_nodes, t_stop_ms, color):
    """Raster of the spikes (node_ids, times_ms) of the neurons `shown_ids` (sorted), one row
    each. Every spike of those neurons is drawn as one "M x y v h" segment of a single path."""
    shown_ids = np.asarray(shown_ids, dtype=np.uint64)
    rows = len(shown_ids)
    plot_h = float(min(420, max(150, 2 * rows)))
    plot_w = WIDTH - LEFT - RIGHT
    height = TOP + plot_h + BOTTOM
    keep = np.isin(node_ids, shown_ids)
    row = np.searchsorted(shown_ids, node_ids[keep])
    row_h = plot_h / max(rows, 1)
    tick_h = max(1.0, 0.8 * row_h)
    xs = LEFT + np.asarray(times_ms)[keep] / max(t_stop_ms, 1e-12) * plot_w
    ys = TOP + (row + 0.5) * row_h - tick_h / 2
    d = "".join(f"M{x:.1f} {y:.1f}v{tick_h:.1f}" for x, y in zip(xs, ys))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="raster" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'data-population="{esc(population)}" data-neurons-shown="{rows}" '
        f'data-neurons-total="{n_nodes}" data-spikes-drawn="{int(keep.sum())}" '
        f'data-node-ids="{" ".join(str(int(n)) for n in shown_ids)}">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#999" stroke-width="0.8"/>',
        f'<path class="spikes" fill="none" stroke="{color}" stroke-width="1.2" d="{d}"/>',
    ]
    for t in nice_ticks(t_stop_ms):
        x = LEFT + t / max(t_stop_ms, 1e-12) * plot_w
        parts.append(f'<line x1="{x:.1f}" y1="{TOP + plot_h}" x2="{x:.1f}" '
                     f'y2="{TOP + plot_h + 4}" stroke="#444"/>'
                     f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" font-size="11" '
                     f'text-anchor="middle">{t:g}</text>')
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{height - 3}" font-size="12" '
                 'text-anchor="middle">time (ms)</text>')
    parts.append(f'<text transform="translate(14,{TOP + plot_h / 2}) rotate(-90)" '
                 f'font-size="12" text-anchor="middle">{rows} of {n_nodes} neurons</text>')
    if rows:
        for label_row in sorted({0, rows - 1}):
            y = TOP + (label_row + 0.5) * row_h + 4
            parts.append(f'<text x="{LEFT - 4}" y="{y:.1f}" font-size="10" text-anchor="end">'
                         f"{int(shown_ids[label_row])}</text>")
    parts.append("</svg>")
    return "".join(parts)


PHASE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
                "#999999"]


def phase_bar_svg(phase_seconds):
    """One horizontal bar split into the phases' shares of the time, with a legend."""
    items = [(k, v) for k, v in phase_seconds.items() if v > 0]
    total = sum(v for _, v in items)
    width, bar_h = WIDTH, 26
    legend_rows = (len(items) + 3) // 4
    height = bar_h + 10 + 18 * legend_rows
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="phases" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">']
    x = 0.0
    for i, (name, seconds) in enumerate(items):
        w = (width - 2) * seconds / total
        color = PHASE_COLORS[i % len(PHASE_COLORS)]
        parts.append(f'<rect x="{x + 1:.1f}" y="1" width="{w:.1f}" height="{bar_h}" '
                     f'fill="{color}" data-phase="{esc(name)}" data-seconds="{seconds:.6g}">'
                     f"<title>{esc(name)}: {seconds:.3g} s</title></rect>")
        x += w
        lx, ly = 1 + (i % 4) * (width / 4), bar_h + 20 + 18 * (i // 4)
        parts.append(f'<rect x="{lx:.0f}" y="{ly - 10}" width="10" height="10" '
                     f'fill="{color}"/><text x="{lx + 14:.0f}" y="{ly}" font-size="12">'
                     f"{esc(name)} {seconds:.3g} s ({100 * seconds / total:.0f} %)</text>")
    parts.append("</svg>")
    return "".join(parts)
