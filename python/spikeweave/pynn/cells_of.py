"""Which cells a PyNN object stands for, as [(population, indices)] in the object's own order.

A Population is itself with indices 0..n-1; a PopulationView its root population with the
view's indices in the root (views of views included); an Assembly the concatenation of its
members; a list of IDs each ID's population and index. The order matters: a cell's index in a
Projection is its position in this sequence.
"""
import numpy as np
from pyNN import common


def cells_of(obj):
    if isinstance(obj, common.Assembly):
        return [part for member in obj.populations for part in cells_of(member)]
    if isinstance(obj, common.PopulationView):
        root = obj.grandparent
        return [(root, np.asarray(obj.index_in_grandparent(np.arange(obj.size)), dtype=np.int64))]
    if isinstance(obj, common.Population):
        return [(obj, np.arange(obj.size, dtype=np.int64))]
    parts = []   # a list of IDs
    for cell in obj:
        population = cell.parent
        if isinstance(population, common.PopulationView):
            population = population.grandparent
        index = int(population.id_to_index(cell))
        if parts and parts[-1][0] is population:
            parts[-1] = (population, np.append(parts[-1][1], index))
        else:
            parts.append((population, np.array([index], dtype=np.int64)))
    return parts
