"""Brunel (2000) in Python, notebook style: build the network as a dict, run it in steps, look
at it between steps, and plot with spikeweave.plots. No TOML file, no HDF5 file.

    PYTHONPATH=$PWD/build/python /usr/bin/python3 examples/pynn/brunel_notebook.py \
        [--scale 0.2] [--out out/brunel_notebook]

The network of examples/brunel.toml (the asynchronous irregular state: g = 5, eta = 2):
10,000 excitatory and 2,500 inhibitory lif_psc_delta neurons, 10 % in-degree, J = 0.1 mV,
delay 1.5 ms, each neuron driven by its own 20 kHz Poisson train. --scale shrinks the
populations but keeps the in-degrees (1000 and 250), which set the balance and the rates.
"""
import argparse
import os

import numpy as np

import spikeweave
from spikeweave import analysis, plots
from spikeweave.run_file import MembraneReport, SpikeTrains

# %% Parameters (Brunel 2000, model A; units in the names)
parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--scale", type=float, default=0.2)
parser.add_argument("--out", default="out/brunel_notebook")
args = parser.parse_args()

n_exc = int(10000 * args.scale)
n_inh = n_exc // 4
k_exc, k_inh = min(1000, n_exc - 1), min(250, n_inh - 1)
j_mv, g = 0.1, 5.0
neuron = {"tau_m_ms": 20.0, "c_m_pf": 250.0, "e_l_mv": 0.0, "v_th_mv": 20.0,
          "v_reset_mv": 10.0, "t_ref_ms": 2.0}
# eta = nu_ext / nu_thr = 2, nu_thr = theta / (J C_E tau_m) = 10 Hz per input, C_E = 1000
# inputs: one Poisson train of eta nu_thr C_E = 20 kHz per neuron
drive_hz = 2.0 * 20.0 / (j_mv * k_exc * 20.0) * 1000.0 * k_exc

# %% The network, as the dict a TOML file would give (README: Network configuration)
config = {
    "simulation": {"dt_ms": 0.1, "t_stop_ms": 1000.0, "seed": 2000},
    "population": [
        {"name": name, "size": size, "model": "lif_psc_delta", "params": neuron,
         "init": {"v_m_mv": {"uniform": [0.0, 20.0]}}}
        for name, size in (("exc", n_exc), ("inh", n_inh))],
    "projection": [
        {"source": source, "target": target,
         "connect": {"rule": "fixed_indegree", "indegree": k,
                     "allow_autapses": source != target},
         "weight_mv": w, "delay_ms": 1.5}
        for source, k, w in (("exc", k_exc, j_mv), ("inh", k_inh, -g * j_mv))
        for target in ("exc", "inh")],
    "stimulus": [{"kind": "poisson", "target": target, "rate_hz": drive_hz, "weight_mv": j_mv}
                 for target in ("exc", "inh")],
    "record": [{"spikes": ["exc", "inh"],
                "v_m": {"population": "exc", "node_ids": [0, 1, 2], "every_ms": 0.5}}],
}
sim = spikeweave.Simulation.from_dict(config)
print(f"{sim.populations} neurons, projections {sim.projections}")

# %% Run in steps of 100 ms, looking at the activity in between
for _ in range(10):
    before = sim.spike_counts()
    sim.run(100.0)
    after = sim.spike_counts()
    rates = {p: (after[p] - before[p]) / (size * 0.1)
             for p, size in sim.populations.items()}
    print(f"t = {sim.t_ms:6.0f} ms: " + ", ".join(f"{p} {r:5.1f} Hz" for p, r in rates.items()))

# %% Statistics and figures from the arrays in memory
os.makedirs(args.out, exist_ok=True)
trains = {p: SpikeTrains(p, size, *sim.spikes(p)) for p, size in sim.populations.items()}
for p, st in trains.items():
    cvs = analysis.cv_isi(st.trains())
    print(f"{p}: mean rate {analysis.mean_rate(len(st.times_ms), st.n_nodes, sim.t_ms):.2f} Hz, "
          f"mean CV of ISI {np.mean(cvs):.2f}")
plots.save(plots.plot_raster(list(trains.values()), sim.t_ms), f"{args.out}/raster.png")
edges, rate = analysis.population_rate(trains["exc"].times_ms, n_exc, sim.t_ms, bin_ms=1.0)
plots.save(plots.plot_population_rate(edges, rate, 1.0, sigma_ms=5.0), f"{args.out}/rate.png")
membrane = sim.membrane("exc")
plots.save(plots.plot_membrane(MembraneReport("exc", membrane.node_ids, membrane.times_ms,
                                              membrane.v_mv)), f"{args.out}/membrane.png")
print(f"figures in {args.out}/: raster.png, rate.png, membrane.png")
