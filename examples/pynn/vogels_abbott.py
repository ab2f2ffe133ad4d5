"""Vogels & Abbott (2005) benchmark networks (Brette et al. 2007, benchmarks 1 and 2), written
once in PyNN: run it on SpikeWeave or on Brian2.

    /usr/bin/python3 examples/pynn/vogels_abbott.py spikeweave COBA
    /usr/bin/python3 examples/pynn/vogels_abbott.py brian2 CUBA --scale 0.1 --seed 3

4000 neurons (80 % excitatory), 2 % connection probability, delay 0.2 ms (the time step), an
initial 50 ms of Poisson input to kick off self-sustained activity; COBA: conductance jumps of
4 nS / 51 nS; CUBA: currents with PSP sizes of 0.27 mV / -4.5 mV as in PyNN's VAbenchmarks.py.
--scale shrinks the network and raises the connection probability by 1/scale so that every
neuron keeps its number of inputs (the benchmark's dynamics need about 80 inputs per neuron).
"""
import argparse
import time

import numpy as np


def backend(name):
    if name == "spikeweave":
        import spikeweave.pynn as sim
    elif name == "brian2":
        import brian2
        import pyNN.brian2 as sim
        brian2.prefs.codegen.target = "numpy"   # no C++ compiler run
    else:
        raise SystemExit(f"unknown backend {name!r}: spikeweave or brian2")
    return sim


def build(sim, benchmark, scale=1.0, seed=1, dt_ms=0.1):
    n_total = int(round(4000 * scale))
    n_exc = int(round(0.8 * n_total))
    p_connect = min(1.0, 0.02 / scale)
    sim.setup(timestep=dt_ms, min_delay=dt_ms, seed=seed)
    rng = sim.NumpyRNG(seed=seed)   # pyNN.brian2 draws from it; SpikeWeave uses setup's seed
    common = dict(cm=0.2, tau_m=20.0, v_rest=-60.0, v_thresh=-50.0, v_reset=-60.0,
                  tau_refrac=5.0, i_offset=0.0)
    if benchmark == "COBA":
        celltype = sim.IF_cond_exp(tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0,
                                   **common)
        w_exc, w_inh = 4e-3, 51e-3           # uS
    else:
        celltype = sim.IF_curr_exp(tau_syn_E=5.0, tau_syn_I=10.0, **common)
        # PSP amplitudes 0.27 mV and -4.5 mV (Brette et al. 2007) as current jumps [nA]
        w_exc = 0.27 * common["cm"] / 5.0 * 1.0 / (np.exp(-np.log(4.0) / 3.0)
                                                   - np.exp(-4.0 * np.log(4.0) / 3.0)) \
            / (20.0 / 15.0)
        w_inh = -4.5 / 0.27 * w_exc
    exc = sim.Population(n_exc, celltype, label="exc")
    inh = sim.Population(n_total - n_exc, celltype, label="inh")
    for population in (exc, inh):
        population.initialize(v=sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
    connector = sim.FixedProbabilityConnector(p_connect, rng=rng)
    delay = dt_ms
    for source, weight, receptor in ((exc, w_exc, "excitatory"), (inh, w_inh, "inhibitory")):
        for target in (exc, inh):
            sim.Projection(source, target, connector,
                           sim.StaticSynapse(weight=weight, delay=delay),
                           receptor_type=receptor)
    # 50 ms of Poisson drive to start the activity (as in PyNN's VAbenchmarks.py)
    drive = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0, start=0.0, duration=50.0),
                           label="drive")
    for target in (exc, inh):
        sim.Projection(drive, target, sim.FixedProbabilityConnector(0.1, rng=rng),
                       sim.StaticSynapse(weight=10 * w_exc if benchmark == "CUBA" else 0.1,
                                         delay=delay), receptor_type="excitatory")
    exc.record("spikes")
    inh.record("spikes")
    return exc, inh


def statistics(population, t_start_ms, t_stop_ms):
    """Mean rate [Hz] and mean CV of ISI (trains with >= 3 spikes) after t_start_ms."""
    trains = [st.times.magnitude[st.times.magnitude >= t_start_ms]
              for st in population.get_data().segments[0].spiketrains]
    rate = sum(len(t) for t in trains) / (len(trains) * (t_stop_ms - t_start_ms) / 1000.0)
    cvs = [np.std(np.diff(t)) / np.mean(np.diff(t)) for t in trains if len(t) >= 3]
    return rate, (float(np.mean(cvs)) if cvs else float("nan"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("backend", choices=["spikeweave", "brian2"])
    parser.add_argument("benchmark", choices=["COBA", "CUBA"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--t-stop-ms", type=float, default=1000.0)
    args = parser.parse_args()
    t0 = time.perf_counter()
    sim = backend(args.backend)
    exc, inh = build(sim, args.benchmark, args.scale, args.seed)
    t1 = time.perf_counter()
    sim.run(args.t_stop_ms)
    t2 = time.perf_counter()
    for population in (exc, inh):
        rate, cv = statistics(population, 100.0, args.t_stop_ms)
        print(f"{population.label}: rate {rate:.2f} Hz, CV {cv:.3f}")
    sim.end()
    print(f"build {t1 - t0:.2f} s, simulate {t2 - t1:.2f} s, total {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
