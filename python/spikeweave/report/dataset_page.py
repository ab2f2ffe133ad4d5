"""The report of a rate or spiking dataset file: shapes, parameter distributions and one example
network."""
import numpy as np

from ..dataset_files import RateDataset, SpikingDataset
from ..plots import (plot_activity, plot_parameter_distributions, plot_weight_matrix,
                     population_color)
from ..plots.style import new_figure, png_bytes
from . import html as h
from .svg import raster_svg


def provenance_parts(provenance):
    parts = []
    if provenance.get("spec"):
        parts.append(h.collapsible("Generating specification (canonical TOML)",
                                   str(provenance["spec"])))
    rest = [f"{k} = {v}" for k, v in provenance.items() if k != "spec"]
    if rest:
        parts.append(h.collapsible("Provenance", "\n".join(rest)))
    return parts


def parameter_parts(params, columns):
    """Histograms of the parameters that vary across networks; a table of the constant ones."""
    varying = [c for c in columns if np.ptp(np.asarray(params[c], dtype=float)) > 0]
    constant = [(c, h.fmt(float(params[c][0]))) for c in columns
                if c not in varying and len(params[c])]
    parts = []
    if varying:
        parts.append(h.png_figure(png_bytes(plot_parameter_distributions(params, varying)),
                                  "Distribution of each varied parameter over the networks.",
                                  "parameter distributions", {"kind": "params"}))
    else:
        parts.append(h.note("No parameter varies across the networks of this dataset.",
                            "no-params"))
    if constant:
        parts.append(h.table(("parameter (same in every network)", "value"), constant))
    return parts


def rate_dataset_report(path, options):
    d = RateDataset(path)
    rows = [("networks M", h.fmt(d.networks)), ("complete (done)", h.fmt(d.n_done)),
            ("neurons N", h.fmt(d.neurons)), ("trials K", h.fmt(d.trials)),
            ("steps T", h.fmt(d.steps)), ("W dtype", str(d.dtype)),
            ("W shape", f"[{d.networks}, {d.neurons}, {d.neurons}]"),
            ("activity shape", f"[{d.networks}, {d.trials}, {d.steps}, {d.neurons}]"),
            ("h recorded", str(d.has_h))]
    parts = [h.section("Shapes", [h.table(("quantity", "value"), rows, name_columns=2)],
                       anchor="shapes"), *provenance_parts(d.provenance)]
    if d.n_done < d.networks:
        parts.append(h.note(f"{d.networks - d.n_done} of {d.networks} networks are not complete "
                            "(rerun the same command to resume).", "incomplete"))
    parts.append(h.section("Parameters", parameter_parts(d.params, d.param_columns),
                           anchor="params"))
    done = np.flatnonzero(d.done)
    if len(done):
        net = d.network(int(done[0]))
        fig, (left, right) = new_figure(9.0, 3.4, cols=2, gridspec_kw={"width_ratios": [1, 1.5]})
        plot_weight_matrix(net.W, ax=left, title=f"W of network {net.index}")
        plot_activity(net.activity[0], ax=right, title=f"activity of network {net.index}, trial 0")
        fig.tight_layout()
        parts.append(h.section("Example network", [h.png_figure(
            png_bytes(fig), f"Network {net.index}: W[i, j] from j onto i, and x = phi(h) of "
            f"trial 0 over its {d.steps} steps.", "example network",
            {"kind": "example", "network": net.index})], anchor="example"))
    else:
        parts.append(h.note("No network of this dataset is complete yet.", "incomplete"))
    return h.page("SpikeWeave rate dataset report", parts,
                  f"{path}: {d.networks} rate networks of {d.neurons} neurons.")


def spiking_dataset_report(path, options):
    d = SpikingDataset(path)
    rows = [(p, h.fmt(d.total_spikes(p)),
             h.fmt(float(d.spike_counts(p).mean())) if d.instances else "-")
            for p in d.populations]
    synapses = [(q, h.fmt(int(d.synapse_pointers[q][-1])) if d.instances else "0")
                for q in d.projections]
    parts = [h.section("Shapes", [
        h.paragraph(f"{d.instances} instances, {int(d.done.sum())} complete."),
        h.table(("population", "spikes (all instances)", "spikes per instance (mean)"), rows),
        h.table(("projection", "synapses (all instances)"), synapses)], anchor="shapes"),
        *provenance_parts(d.provenance)]
    columns = [c for c in d.params if c not in ("network", "seed")]
    parts.append(h.section("Parameters", parameter_parts(d.params, columns), anchor="params"))
    if d.instances:
        parts.append(h.section("Example instance", example_instance(d, options),
                               anchor="example"))
    return h.page("SpikeWeave spiking dataset report", parts,
                  f"{path}: {d.instances} instances of one spiking network.")


def example_instance(d, options):
    """Raster of each population of instance 0 and the weight histogram of each projection."""
    inst = d.instance(0)
    parts = []
    for i, p in enumerate(d.populations):
        nodes, times = inst.spikes[p]
        n = int(nodes.max()) + 1 if len(nodes) else 0
        shown = np.unique(np.linspace(0, max(n - 1, 0), min(n, options.max_raster_neurons))
                          .round().astype(np.uint64)) if n else np.zeros(0, np.uint64)
        t_stop = float(times.max()) if len(times) else 1.0
        drawn = int(np.isin(nodes, shown).sum())
        parts.append(h.svg_figure(
            raster_svg(p, nodes, times, shown, n, t_stop, population_color(i)),
            f"Instance 0, {p}: {len(shown)} of the {n} neurons that spiked or precede one "
            f"(evenly spaced), all {drawn} of their spikes."))
    if d.projections:
        fig, axes = new_figure(3.0 * len(d.projections), 2.6, cols=len(d.projections),
                               squeeze=False)
        for ax, q in zip(axes[0], d.projections):
            ax.hist(inst.connectivity[q]["weight"], bins=40, color="#009E73")
            ax.set_title(q)
            ax.set_xlabel("initial weight")
        fig.tight_layout()
        parts.append(h.png_figure(png_bytes(fig), "Instance 0: initial weights per projection.",
                                  "weights of instance 0", {"kind": "example-weights"}))
    return parts
