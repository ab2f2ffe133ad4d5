"""The report of a sweep file. The heat maps of metrics over two axes come with the sweep
command (issue: hyperparameter sweeps); until then the page lists axes and metrics."""
from ..dataset_files import SweepFile
from . import html as h


def sweep_report(path, options):
    s = SweepFile(path)
    rows = [(axis, h.fmt(len(values))) for axis, values in s.points.items()]
    metrics = []
    for population, value in s.metrics.items():
        names = ", ".join(value) if isinstance(value, dict) else "(one metric)"
        metrics.append((population, names))
    parts = [h.table(("axis", "points"), rows), h.table(("population", "metrics"), metrics),
             h.note("Heat maps of a metric over two axes are not drawn yet: they come with "
                    "`spikeweave sweep`. The readers (spikeweave.SweepFile) already return "
                    "/points and /metrics.", "sweep-pending")]
    return h.page("SpikeWeave sweep report", parts, f"{path}: {s.n_points} points.")
