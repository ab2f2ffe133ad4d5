"""Where each PyNN population is cut into engine populations ("segments").

The engine's populations carry one parameter set each, and its projections and connection rules
join whole populations. A PyNN population therefore becomes one engine population per segment:
runs of equal parameter and initial values, the contiguous runs of every PopulationView or
Assembly a projection uses, single cells for FromListConnector, and cuts that line up the two
sides of a OneToOneConnector. Without views, heterogeneity or lists a population is one segment.
"""
import numpy as np
from pyNN import connectors

from .cells_of import cells_of


def _value_runs(values):
    """Cut positions where consecutive cells' values differ."""
    values = np.asarray(values)
    if values.ndim != 1 or values.dtype == object or len(values) < 2:
        return []
    return (np.flatnonzero(values[1:] != values[:-1]) + 1).tolist()


def _index_runs(indices):
    """Cut positions (in the population) bounding the contiguous runs of an index sequence."""
    runs = _runs_of(indices)
    return [start for start, _ in runs] + [stop for _, stop in runs]


def side_runs(parts, cuts):
    """A projection side as [(population, start, stop, offset)]: segments in the side's order,
    `offset` the projection index of the segment's first cell."""
    runs, offset = [], 0
    for population, indices in parts:
        bounds = sorted(cuts[population])
        for run_start, run_stop in _runs_of(indices):
            inner = [c for c in bounds if run_start < c < run_stop]
            edges = [run_start] + inner + [run_stop]
            for a, b in zip(edges[:-1], edges[1:]):
                runs.append((population, a, b, offset + a - run_start))
            offset += run_stop - run_start
    return runs


def _runs_of(indices):
    """The contiguous runs of an index sequence, as [(start, stop)]."""
    indices = np.asarray(indices)
    if len(indices) == 0:
        return []
    breaks = np.flatnonzero(np.diff(indices) != 1) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(indices)]))
    return [(int(indices[s]), int(indices[e - 1]) + 1) for s, e in zip(starts, ends)]


def _position_to_cell(parts, position):
    """(population, cut position) of projection index `position` on a side (a run boundary)."""
    for population, indices in parts:
        if position < len(indices):
            return population, int(indices[position])
        position -= len(indices)
    return None


def compute_cuts(populations, projections):
    cuts = {p: {0, p.size} for p in populations}
    for p in populations:
        for name, values in p._parameters.items():
            cuts[p].update(_value_runs(values))
        for values in p._initial.values():
            if isinstance(values, np.ndarray):
                cuts[p].update(_value_runs(values))
    one_to_one = []
    for prj in projections:
        pre, post = cells_of(prj.pre), cells_of(prj.post)
        for population, indices in pre + post:
            cuts[population].update(_index_runs(indices))
        if isinstance(prj._connector, connectors.FromListConnector):
            for parts, column in ((pre, 0), (post, 1)):
                for position in set(prj._connector.conn_list[:, column].astype(int).tolist()):
                    population, cell = _position_to_cell(parts, position)
                    cuts[population].update((cell, cell + 1))
        if isinstance(prj._connector, connectors.OneToOneConnector):
            one_to_one.append((pre, post))
    # OneToOne pairs cell k with cell k: a cut at projection index k on one side needs one at k
    # on the other; repeat until no projection adds a cut.
    changed = True
    while changed:
        changed = False
        for pre, post in one_to_one:
            positions = set()
            for parts in (pre, post):
                positions.update(offset for (_, _, _, offset) in side_runs(parts, cuts))
            for parts in (pre, post):
                for position in positions:
                    hit = _position_to_cell(parts, position)
                    if hit and hit[1] not in cuts[hit[0]]:
                        # the boundary may fall inside a run: cut there
                        cuts[hit[0]].add(hit[1])
                        changed = True
    return cuts
