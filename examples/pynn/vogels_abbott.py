"""Vogels & Abbott (2005) benchmark networks (Brette et al. 2007, benchmarks 1 and 2), written
once in PyNN: run it on SpikeWeave or on Brian2.

    /usr/bin/python3 examples/pynn/vogels_abbott.py spikeweave COBA
    /usr/bin/python3 examples/pynn/vogels_abbott.py brian2 CUBA --scale 0.1 --seed 3

4000 neurons (80 % excitatory), 2 % connection probability, delay 0.2 ms, an
initial 50 ms of Poisson input to kick off self-sustained activity; COBA: conductance jumps of
4 nS / 51 nS; CUBA: currents of those conductances times the driving force at -60 mV, as
PyNN's examples/VAbenchmarks.py.
--scale shrinks the network and raises the connection probability by 1/scale so that every
neuron keeps its number of inputs (80); scaled-down networks do not sustain their activity, so
--drive-hz gives every neuron its own Poisson input through an excitatory synapse.
"""
import argparse
import time

import numpy as np


def backend(name, brian2_codegen="numpy"):
    if name == "spikeweave":
        import spikeweave.pynn as sim
    elif name == "brian2":
        import brian2
        import pyNN.brian2 as sim
        brian2.prefs.codegen.target = brian2_codegen   # numpy: no compiler run
    else:
        raise SystemExit(f"unknown backend {name!r}: spikeweave or brian2")
    return sim


PROJECTIONS = []   # the recurrent projections of the last build


def build(sim, benchmark, scale=1.0, seed=1, dt_ms=0.1, drive_hz=0.0):
    n_total = int(round(4000 * scale))
    n_exc = int(round(0.8 * n_total))
    p_connect = min(1.0, 0.02 / scale)
    sim.setup(timestep=dt_ms, min_delay=dt_ms, seed=seed)
    PROJECTIONS.clear()
    rng = sim.NumpyRNG(seed=seed)   # pyNN.brian2 draws from it; SpikeWeave uses setup's seed
    common = dict(cm=0.2, tau_m=20.0, v_rest=-60.0, v_thresh=-50.0, v_reset=-60.0,
                  tau_refrac=5.0, i_offset=0.0)
    if benchmark == "COBA":
        def celltype():
            return sim.IF_cond_exp(tau_syn_E=5.0, tau_syn_I=10.0, e_rev_E=0.0, e_rev_I=-80.0,
                                   **common)
        w_exc, w_inh = 4e-3, 51e-3           # uS
    else:
        def celltype():
            return sim.IF_curr_exp(tau_syn_E=5.0, tau_syn_I=10.0, **common)
        # PyNN's VAbenchmarks.py: the COBA conductances (4 nS, 51 nS) times the driving force
        # at the mean membrane potential -60 mV (reversal 0 and -80 mV), as currents [nA]
        w_exc, w_inh = 1e-3 * 4.0 * (0.0 + 60.0), 1e-3 * 51.0 * (-80.0 + 60.0)
    exc = sim.Population(n_exc, celltype(), label="exc")
    inh = sim.Population(n_total - n_exc, celltype(), label="inh")
    for population in (exc, inh):
        population.initialize(v=sim.RandomDistribution("uniform", (-60.0, -50.0), rng=rng))
    delay = 0.2
    for source, weight, receptor in ((exc, w_exc, "excitatory"), (inh, w_inh, "inhibitory")):
        for target in (exc, inh):
            # one generator per projection: PyNN's connectors draw each projection's matrix
            # column by column from the start of the generator's sequence when it is shared
            # (parallel_safe), which would give correlated projections in pyNN.brian2
            projection_rng = sim.NumpyRNG(seed=seed * 100 + len(PROJECTIONS) + 1)
            connector = sim.FixedProbabilityConnector(p_connect, rng=projection_rng)
            PROJECTIONS.append(sim.Projection(source, target, connector,
                                              sim.StaticSynapse(weight=weight, delay=delay),
                                              receptor_type=receptor))
    # 50 ms of Poisson drive to start the activity (as in PyNN's VAbenchmarks.py)
    drive = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0, start=0.0, duration=50.0),
                           label="drive")
    for target in (exc, inh):
        sim.Projection(drive, target, sim.FixedProbabilityConnector(0.01, rng=rng),
                       sim.StaticSynapse(weight=0.1, delay=delay), receptor_type="excitatory")
    if drive_hz > 0:
        # scaled-down networks do not sustain their activity: an independent Poisson train per
        # neuron through an excitatory synapse keeps them in a stationary state instead
        for target in (exc, inh):
            noise = sim.Population(target.size, sim.SpikeSourcePoisson(rate=drive_hz),
                                   label=f"noise_{target.label}")
            sim.Projection(noise, target, sim.OneToOneConnector(),
                           sim.StaticSynapse(weight=w_exc, delay=delay),
                           receptor_type="excitatory")
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
    parser.add_argument("--drive-hz", type=float, default=0.0,
                        help="an independent Poisson input per neuron at this rate (for "
                             "scaled-down networks, which do not sustain their activity)")
    parser.add_argument("--brian2-codegen", default="numpy", choices=["numpy", "cython"],
                        help="Brian2's code generation target (cython compiles C++ first)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    sim = backend(args.backend, args.brian2_codegen)
    exc, inh = build(sim, args.benchmark, args.scale, args.seed, drive_hz=args.drive_hz)
    t1 = time.perf_counter()
    sim.run(args.t_stop_ms)
    t2 = time.perf_counter()
    for population in (exc, inh):
        rate, cv = statistics(population, 100.0, args.t_stop_ms)
        print(f"{population.label}: rate {rate:.2f} Hz, CV {cv:.3f}")
    sim.end()
    total = time.perf_counter() - t0
    print(f"build {t1 - t0:.2f} s, simulate {t2 - t1:.2f} s, total {total:.2f} s")


if __name__ == "__main__":
    main()
