"""`python3 -m spikeweave plot KIND FILE -o OUT`: one figure from a file, by name."""
from . import analysis, plots
from .dataset_files import RateDataset
from .errors import SpikeWeaveFileError
from .run_file import RunFile


def _populations(run, args):
    names = [args.population] if args.population else [p.name for p in run.populations]
    if not names:
        raise SpikeWeaveFileError(run.path, "no spikes were recorded in this run")
    return names


def _one_population(run, args):
    return _populations(run, args)[0]


def _projection(run, args):
    if args.projection:
        return args.projection
    if not run.weight_projections:
        raise SpikeWeaveFileError(run.path, "no weights were recorded in this run")
    return run.weight_projections[0].projection


def raster(args):
    run = RunFile(args.file)
    trains = [run.spikes(name) for name in _populations(run, args)]
    return plots.plot_raster(trains, run.t_stop_ms, args.max_neurons, args.bin_ms)


def rates(args):
    run = RunFile(args.file)
    name = _one_population(run, args)
    return plots.plot_rate_histogram(
        analysis.firing_rates(run.spike_counts(name), run.t_stop_ms), label=f"{name}: rates")


def cv(args):
    run = RunFile(args.file)
    name = _one_population(run, args)
    return plots.plot_cv_histogram(analysis.cv_isi(run.spikes(name).trains()),
                                   label=f"{name}: CV of ISI")


def population_rate(args):
    run = RunFile(args.file)
    name = _one_population(run, args)
    s = run.spikes(name)
    edges, rate = analysis.population_rate(s.times_ms, s.n_nodes, run.t_stop_ms, args.bin_ms)
    return plots.plot_population_rate(edges, rate, args.bin_ms, 2 * args.bin_ms,
                                      label=f"{name}: population rate")


def spectrum(args):
    run = RunFile(args.file)
    name = _one_population(run, args)
    s = run.spikes(name)
    bin_ms = max(run.provenance.dt_ms, 1.0)
    _, rate = analysis.population_rate(s.times_ms, s.n_nodes, run.t_stop_ms, bin_ms)
    freqs, power = analysis.power_spectrum(rate, bin_ms)
    return plots.plot_spectrum(freqs, power, label=f"{name}: population-rate spectrum")


def fano(args):
    run = RunFile(args.file)
    name = _one_population(run, args)
    trains = run.spikes(name).trains()
    return plots.plot_fano_histogram(analysis.fano_factors(trains, 100.0, run.t_stop_ms),
                                     label=f"{name}: Fano factors (100 ms)")


def weights(args):
    run = RunFile(args.file)
    return plots.plot_weight_evolution(run.weights(_projection(run, args)))


def weight_histogram(args):
    run = RunFile(args.file)
    return plots.plot_weight_histogram(run.weights(_projection(run, args)))


def synapse(args):
    from .report.run_figures import weight_column_of_largest_change
    run = RunFile(args.file)
    record = run.weights(_projection(run, args))
    column = args.synapse if args.synapse >= 0 else weight_column_of_largest_change(record.weight)
    return plots.plot_synapse_variables(record, column)


def membrane(args):
    run = RunFile(args.file)
    name = args.population or (run.reports[0] if run.reports else None)
    if name is None:
        raise SpikeWeaveFileError(run.path, "no membrane potentials were recorded in this run")
    return plots.plot_membrane(run.membrane(name))


def weight_matrix(args):
    net = RateDataset(args.file).network(args.network)
    return plots.plot_weight_matrix(net.W, title=f"W of network {net.index}")


def activity(args):
    net = RateDataset(args.file).network(args.network)
    return plots.plot_activity(net.activity[0], title=f"activity of network {net.index}")


def params(args):
    d = RateDataset(args.file)
    return plots.plot_parameter_distributions(d.params, d.param_columns)


PLOT_KINDS = {
    "raster": raster, "rates": rates, "cv": cv, "population-rate": population_rate,
    "spectrum": spectrum, "fano": fano, "weights": weights, "weight-histogram": weight_histogram,
    "synapse": synapse, "membrane": membrane, "weight-matrix": weight_matrix,
    "activity": activity, "params": params,
}


def plot_command(args):
    """Draws the figure `args.kind` of `args.file` into `args.output`; returns the path."""
    return plots.save(PLOT_KINDS[args.kind](args), args.output)
