"""Text summaries of any SpikeWeave file: the same counts `spikeweave inspect` prints."""
from . import analysis
from .dataset_files import RateDataset, SpikingDataset, SweepFile, read_fit
from .files import file_kind
from .run_file import RunFile


def run_lines(path):
    run = RunFile(path)
    p = run.provenance
    lines = [f"{path}: SpikeWeave {p.version} (commit {p.git_commit}), {p.ranks} rank(s), "
             f"{p.t_stop_ms:.1f} ms simulated",
             f"{'population':<16} {'neurons':>12} {'spikes':>12} {'mean rate (Hz)':>14}"]
    for i in run.populations:
        lines.append(f"{i.name:<16} {i.n_nodes:>12} {i.n_spikes:>12} "
                     f"{analysis.mean_rate(i.n_spikes, i.n_nodes, p.t_stop_ms):>14.4f}")
    for name in run.presentation_names:
        lines.append(f"presentations {name}: {run.presentation_counts[name]}")
    if p.energy:
        e = p.energy
        lines.append(f"energy estimate: {float(e['synops']):.6g} synaptic events (SynOps), "
                     f"{float(e['neuron_updates']):.6g} neuron updates, "
                     f"{float(e['spikes']):.6g} spikes")
        for name, platform in p.energy_platforms.items():
            lines.append(f"  {name:<20} {float(platform['joules']):>12.6g} J")
    for w in run.weight_projections:
        lines.append(f"weights {w.projection}: {w.n_synapses} synapses, {w.n_samples} samples"
                     + (f", variables {', '.join(w.variables)}" if w.variables else ""))
    for name in run.reports:
        lines.append(f"membrane report {name}")
    return lines


def rate_dataset_lines(path):
    d = RateDataset(path)
    return [f"{path}: rate dataset, {d.networks} networks ({d.n_done} done), {d.neurons} "
            f"neurons, {d.trials} trials, {d.steps} steps"]


def spiking_dataset_lines(path):
    d = SpikingDataset(path)
    lines = [f"{path}: spiking dataset, {d.instances} instances ({int(d.done.sum())} done)"]
    lines += [f"population {p}: {d.total_spikes(p)} spikes" for p in d.populations]
    lines += [f"projection {q}: {int(d.synapse_pointers[q][-1]) if d.instances else 0} synapses"
              for q in d.projections]
    return lines


def sweep_lines(path):
    s = SweepFile(path)
    return [f"{path}: sweep, {s.n_points} points, axes {', '.join(s.axes)}, metrics of "
            f"{', '.join(s.metrics)}"]


def fit_lines(path):
    fit = read_fit(path)
    return [f"{path}: fit of {fit.attributes.get('dataset', '?')} network "
            f"{fit.attributes.get('network', '?')}, {len(fit.loss)} iterations"]


def summary_lines(path):
    return {"run": run_lines, "rate_dataset": rate_dataset_lines,
            "spiking_dataset": spiking_dataset_lines, "sweep": sweep_lines,
            "fit": fit_lines}[file_kind(path)](path)
