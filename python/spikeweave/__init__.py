"""SpikeWeave's Python package: readers of every file `spikeweave` writes, spike-train analysis,
matplotlib figures and the HTML report (pure Python on h5py, numpy and matplotlib), and
spiking networks (spikeweave.Simulation) and differentiable rate networks run by the compiled
engine, spikeweave._engine (built by CMake): spikeweave.rate (numpy) and spikeweave.torch
(PyTorch).

    import spikeweave
    run = spikeweave.RunFile("out/brunel.h5")
    spikes = run.spikes("exc")

Names are imported on first use (PEP 562), so that `python3 -m spikeweave` can report a missing
h5py, numpy or matplotlib with a clear message instead of a traceback.
"""
import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "RunFile": "run_file", "SpikeTrains": "run_file", "MembraneReport": "run_file",
    "Presentations": "run_file",
    "WeightRecord": "run_file", "WeightInfo": "run_file", "Provenance": "run_file",
    "PopulationInfo": "run_file",
    "RateDataset": "dataset_files", "RateNetwork": "dataset_files",
    "SpikingDataset": "dataset_files", "SpikingInstance": "dataset_files",
    "SweepFile": "dataset_files", "FitResult": "dataset_files", "read_fit": "dataset_files",
    "open_file": "files", "file_kind": "files",
    "scan_population": "streaming", "PopulationScan": "streaming",
    "SpikeWeaveFileError": "errors", "MissingDependencyError": "errors",
    "Simulation": "simulation", "SimulationError": "simulation", "to_toml": "simulation",
    "write_report": "report", "render_report": "report", "ReportOptions": "report",
}
_SUBMODULES = ("analysis", "plots", "report", "files", "run_file", "dataset_files", "streaming",
               "errors", "dependencies", "rate", "torch", "simulation")

__all__ = sorted(_EXPORTS) + list(_SUBMODULES)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'spikeweave' has no attribute '{name}'")
