"""The report of a sweep file (`spikeweave sweep`): its axes and progress, and every metric of
every population and plastic projection as a heat map over the first two axes that vary (a line
if only one varies), averaged over repeats and any further axes."""
import numpy as np

from ..dataset_files import SweepFile
from ..plots import plot_sweep_metrics, sweep_grid
from ..plots.style import png_bytes
from . import html as h

# /points columns that number the point rather than place it in the design.
NOT_AXES = ("repeat", "seed")


def varying_axes(points):
    return [a for a in points if a not in NOT_AXES and len(np.unique(points[a])) > 1]


def axis_rows(points):
    rows = []
    for axis, values in points.items():
        if axis in NOT_AXES:
            continue
        distinct = np.unique(values)
        rows.append((axis, h.fmt(len(distinct)), h.fmt(float(distinct.min())),
                     h.fmt(float(distinct.max()))))
    return rows


def metric_figure(s, group, metrics, x_axis, y_axis):
    cells = sweep_grid(s.points[x_axis], s.points[y_axis] if y_axis else None,
                       next(iter(metrics.values())), s.done)[3]
    over = f"{x_axis} and {y_axis}" if y_axis else x_axis
    caption = (f"{group}: each metric over {over}, the mean of the finished points of each cell "
               "(repeats and any further axes); blank where no point is finished or the metric is "
               "undefined (NaN).")
    fig = plot_sweep_metrics(s.points, metrics, s.done, x_axis, y_axis, title=group)
    return h.png_figure(png_bytes(fig), caption, f"{group} metrics",
                        {"kind": "sweep-metrics", "group": group, "metrics": len(metrics),
                         "cells": int((cells > 0).sum())})


def sweep_report(path, options):
    s = SweepFile(path)
    done = s.done if s.done is not None else np.ones(s.n_points, bool)
    parts = [h.table(("axis", "distinct values", "lowest", "highest"), axis_rows(s.points)),
             h.paragraph(f"{int(done.sum())} of {s.n_points} points finished.")]
    if done.sum() < s.n_points:
        parts.append(h.note(f"{s.n_points - int(done.sum())} points are not finished (rerun the "
                            "same command to resume); they are left out of the figures.",
                            "incomplete"))
    axes = varying_axes(s.points)
    if not axes:
        parts.append(h.note("No axis takes more than one value: there is nothing to map.",
                            "no-axes"))
    else:
        if len(axes) > 2:
            parts.append(h.note(f"{len(axes)} axes vary; the figures show {axes[0]} and "
                                f"{axes[1]}, averaged over {', '.join(axes[2:])}.",
                                "more-axes"))
        y_axis = axes[1] if len(axes) > 1 else None
        per_point = {}
        for group, value in s.metrics.items():
            if isinstance(value, dict):
                parts.append(h.section(group, [metric_figure(s, group, value, axes[0], y_axis)]))
            else:
                per_point[group] = value
        if per_point:
            parts.append(h.section("Cost per point", [
                metric_figure(s, "cost per point", per_point, axes[0], y_axis)]))
    for key in ("sweep_toml", "base_toml"):
        if s.provenance.get(key):
            parts.append(h.collapsible(key.replace("_", " "), str(s.provenance[key])))
    return h.page("SpikeWeave sweep report", parts, f"{path}: {s.n_points} points.")
