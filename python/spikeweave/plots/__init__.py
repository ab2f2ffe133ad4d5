"""Matplotlib figures (Agg backend) of every SpikeWeave file: each function returns a Figure;
`save(fig, path)` writes it, `png_bytes(fig)` gives PNG bytes. See docs/python.md."""
from .datasets import plot_activity, plot_parameter_distributions, plot_weight_matrix
from .spikes import (plot_cv_histogram, plot_fano_histogram, plot_population_rate,
                     plot_raster, plot_rate_histogram, plot_spectrum)
from .sweeps import plot_sweep_metrics, sweep_grid
from .style import COLORS, png_bytes, population_color, save
from .traces import plot_membrane
from .weights import (example_synapses, plot_synapse_variables, plot_weight_evolution,
                      plot_weight_histogram)

__all__ = [
    "plot_activity", "plot_parameter_distributions", "plot_weight_matrix", "plot_cv_histogram",
    "plot_fano_histogram", "plot_population_rate", "plot_raster", "plot_rate_histogram",
    "plot_spectrum", "COLORS", "png_bytes", "population_color", "save", "plot_membrane",
    "example_synapses", "plot_synapse_variables", "plot_weight_evolution",
    "plot_weight_histogram", "plot_sweep_metrics", "sweep_grid",
]
