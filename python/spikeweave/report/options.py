"""Limits that keep a report small and quick for any file size (all stated in the page)."""
from dataclasses import dataclass

from ..run_file import DEFAULT_CHUNK_ROWS


@dataclass
class ReportOptions:
    max_raster_neurons: int = 200  # neurons per population in the raster (evenly spaced ids)
    raster_spike_budget: int = 40000  # fewer raster neurons when they would hold more spikes
    cv_neurons: int = 1000  # neurons sampled for CV of ISI and Fano factors
    cv_spike_budget: int = 2_000_000  # fewer CV neurons when they would hold more spikes
    bin_ms: float = 1.0  # population-rate bins (widened so that a run has <= max_bins bins)
    max_bins: int = 50000
    sigma_ms: float = 5.0  # Gaussian smoothing of the population rate
    fano_window_ms: float = 100.0
    synapse: int = -1  # column of the synapse view; -1: the synapse whose weight changed most
    chunk_rows: int = DEFAULT_CHUNK_ROWS
