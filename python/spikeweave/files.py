"""What kind of SpikeWeave file is this? `open_file` answers with the matching reader."""
from . import h5util
from .dataset_files import RateDataset, SpikingDataset, SweepFile, read_fit
from .errors import SpikeWeaveFileError
from .run_file import RunFile

KINDS = ("run", "rate_dataset", "spiking_dataset", "sweep", "fit")


def file_kind(path):
    """'run', 'rate_dataset', 'spiking_dataset', 'sweep' or 'fit'; a SpikeWeaveFileError for
    anything else (missing, not HDF5, or HDF5 without SpikeWeave's groups)."""
    with h5util.open_h5(path) as f:
        provenance = f["provenance"].attrs if "provenance" in f else {}
        if "points" in f and "metrics" in f:
            return "sweep"
        if "W" in f and "activity" in f:
            return "rate_dataset"
        if "connectivity" in f and "spikes" in f:
            return "spiking_dataset"
        if "W_fit" in f:
            return "fit"
        if "config_toml" in provenance:
            return "run"
        groups = ", ".join(f) or "none"
        raise SpikeWeaveFileError(path, "not a SpikeWeave file (expected a run file with "
                                  "/provenance, a dataset with /W or /connectivity, a sweep with "
                                  f"/points and /metrics; top-level groups: {groups})")


def open_file(path):
    """The reader for `path`: RunFile, RateDataset, SpikingDataset, SweepFile or FitResult."""
    kind = file_kind(path)
    return {"run": RunFile, "rate_dataset": RateDataset, "spiking_dataset": SpikingDataset,
            "sweep": SweepFile, "fit": read_fit}[kind](path)
