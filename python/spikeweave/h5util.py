"""Small h5py helpers shared by the readers: opening with clear errors, decoding attributes."""
import os

import h5py
import numpy as np

from .errors import SpikeWeaveFileError


def open_h5(path):
    """Opens `path` read-only; a missing or non-HDF5 file is a SpikeWeaveFileError."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise SpikeWeaveFileError(path, "no such file")
    if not h5py.is_hdf5(path):
        raise SpikeWeaveFileError(path, "not an HDF5 file (expected a SpikeWeave run, dataset, "
                                  "sweep or fit file)")
    return h5py.File(path, "r")


def attr_value(value):
    """An HDF5 attribute as a plain Python value: bytes -> str, numpy scalars -> int/float."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return attr_value(value[()])
        if value.size == 1:
            return attr_value(value.reshape(-1)[0])
        return value
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def attrs_dict(node):
    """All attributes of a group or dataset as a dict of plain values, sorted by name."""
    return {name: attr_value(node.attrs[name]) for name in sorted(node.attrs)}


def child_names(group):
    """Names of a group's members in HDF5's (alphabetical) order; empty for a missing group."""
    return list(group.keys()) if group is not None else []


def length(dataset):
    """Number of rows of a dataset (0 for a scalar or empty one)."""
    return int(dataset.shape[0]) if dataset.shape else 0
