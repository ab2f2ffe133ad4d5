"""Errors raised by the readers: a file that is not what the caller asked for is a user error."""


class SpikeWeaveFileError(ValueError):
    """A file is missing, is not HDF5, or is not the kind of SpikeWeave file expected.

    The message always starts with the file's path, like the C++ FileError of `spikeweave`.
    """

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = str(path)


class MissingDependencyError(RuntimeError):
    """A Python module the package needs (h5py, numpy, matplotlib) cannot be imported."""
