"""The report of a run file: summary, then per population, per recorded projection and per
membrane report. Every population is read in one streaming pass (spikeweave.streaming)."""
from .. import analysis
from ..run_file import RunFile
from . import html as h
from .network_summary import parse_config, population_rows, projection_rows
from .run_figures import membrane_section, population_section, projection_section
from .svg import phase_bar_svg


def run_report(path, options):
    """The HTML text of a run file's report."""
    run = RunFile(path)
    p = run.provenance
    parts = [summary_section(run)]
    notes = []
    populations = []
    if not run.populations:
        notes.append(h.note("No spikes were recorded in this run (no [[record]] spikes = ...): "
                            "there is no raster or rate to show.", "no-spikes"))
    for index, info in enumerate(run.populations):
        populations.append(population_section(run, info, index, options))
    if not run.weight_projections:
        notes.append(h.note("No weights were recorded in this run (add weights = { projection = "
                            "..., every_ms = ... } to a [[record]] table to see their "
                            "evolution).", "no-weights"))
    if not run.reports:
        notes.append(h.note("No membrane potentials were recorded in this run (v_m = { population"
                            " = ..., node_ids = [...] } in a [[record]] table).", "no-reports"))
    parts.extend(notes)
    parts.append(h.section("Populations", populations or [h.paragraph("None recorded.")],
                           anchor="populations"))
    if run.weight_projections:
        parts.append(h.section("Synapses", [projection_section(run, info, options)
                                            for info in run.weight_projections],
                               anchor="synapses"))
    if run.reports:
        parts.append(h.section("Membrane potentials", [membrane_section(run, name)
                                                       for name in run.reports],
                               anchor="membrane"))
    subtitle = (f"{run.path}: SpikeWeave {p.version} (commit {p.git_commit}), {p.ranks} rank(s), "
                f"{p.backend} backend, {p.t_stop_ms:g} ms simulated.")
    return h.page("SpikeWeave run report", parts, subtitle)


def summary_section(run):
    p, c = run.provenance, run.provenance.counters
    simulate = float(c.get("simulate_seconds", 0.0))
    rows = [("file", run.path), ("SpikeWeave version", f"{p.version} (commit {p.git_commit})"),
            ("ranks", h.fmt(p.ranks)), ("backend", p.backend), ("dt (ms)", h.fmt(p.dt_ms)),
            ("simulated time (ms)", h.fmt(p.t_stop_ms)), ("seed", str(p.seed))]
    for key, label in (("neurons", "neurons"), ("synapses", "synapses"), ("spikes", "spikes"),
                       ("synaptic_events", "synaptic events")):
        if key in c:
            rows.append((label, h.fmt(int(c[key]))))
    if "build_seconds" in c:
        rows.append(("build time (s)", h.fmt(float(c["build_seconds"]))))
    if simulate > 0:
        rows.append(("simulation time (s)", h.fmt(simulate)))
        rows.append(("real-time factor (wall / model time)",
                     h.fmt(simulate / (p.t_stop_ms * 1e-3))))
    if "peak_rss_bytes_max_rank" in c:
        rows.append(("peak memory of the largest rank (MiB)",
                     h.fmt(float(c["peak_rss_bytes_max_rank"]) / 2**20)))
    recorded = [(i.name, h.fmt(i.n_nodes), h.fmt(i.n_spikes),
                 h.fmt(analysis.mean_rate(i.n_spikes, i.n_nodes, p.t_stop_ms)))
                for i in run.populations]
    right = network_tables(run)
    if recorded:
        right.append(h.section("Recorded spikes", [h.table(
            ("population", "neurons", "spikes", "mean rate (Hz)"), recorded)], level=3))
    parts = [h.row([h.table(("quantity", "value"), rows, name_columns=2)], right)]
    if p.phase_seconds:
        parts.append(h.section("Time per phase (max over ranks)", [
            h.svg_figure(phase_bar_svg(p.phase_seconds), "Wall-clock seconds of each phase of "
                         "the simulation; hover a bar for its value.")], level=3))
    parts.append(h.collapsible("Configuration (TOML) of this run", p.config_toml))
    parts.append(h.collapsible("Command line and provenance", "\n".join(
        [p.command_line] + [f"{k} = {v}" for k, v in p.attributes.items()
                            if k not in ("config_toml", "command_line")])))
    return h.section("Summary", parts, anchor="summary")


def network_tables(run):
    config = parse_config(run.provenance.config_toml)
    if config is None:
        return []
    parts = [h.section("Network", [h.table(("population", "size", "model"),
                                           population_rows(config))], level=3)]
    projections = projection_rows(config)
    if projections:
        parts.append(h.table(("projection", "source -> target", "connection", "plasticity"),
                             projections, name_columns=4))
    return parts

