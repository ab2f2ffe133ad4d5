"""The STDP window measured with spike pairs, written once in PyNN: run it on SpikeWeave or on
Brian2 and compare with the closed form of PyNN's additive pair rule.

    PYTHONPATH=$PWD/build/python /usr/bin/python3 examples/pynn/stdp_window.py spikeweave
    /usr/bin/python3 examples/pynn/stdp_window.py brian2 [--plot stdp.png]

One postsynaptic neuron is made to fire at fixed times by a strong input; 41 presynaptic
sources each fire once per pairing at a fixed offset from those times (-50 ms to +50 ms), through
plastic synapses too weak to affect the postsynaptic neuron. Pairings are 250 ms apart, ten of
them, so that pairs do not interact (tau = 20 ms). The weight change of each synapse against
its offset is the STDP window: A+ w_max exp(-dt / tau+) per pairing for dt > 0, -A- w_max
exp(dt / tau-) for dt < 0.

The one line that differs between the backends: where the synaptic delay sits for STDP.
SpikeWeave (like NEST) supports only dendritic delays (dendritic_delay_fraction = 1, PyNN's
default), pyNN.brian2 only axonal ones (0); with the minimal delay of one step the windows
differ by a shift of 2 dt = 0.2 ms.
"""
import argparse
import math

import numpy as np

PAIRINGS, PERIOD_MS, FIRST_MS = 10, 250.0, 100.0
OFFSETS_MS = np.linspace(-50.0, 50.0, 41)   # t_post - t_pre
TAU_PLUS_MS, TAU_MINUS_MS, A_PLUS, A_MINUS = 20.0, 20.0, 0.01, 0.012
W_MAX, W0 = 0.01, 0.005   # nA: too weak to move the postsynaptic neuron


def backend(name):
    if name == "spikeweave":
        import spikeweave.pynn as sim
    elif name == "brian2":
        import brian2
        import pyNN.brian2 as sim
        brian2.prefs.codegen.target = "numpy"
    else:
        raise SystemExit(f"unknown backend {name!r}: spikeweave or brian2")
    return sim


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("backend", choices=["spikeweave", "brian2"])
    parser.add_argument("--plot", help="write the window to this image file")
    args = parser.parse_args()
    sim = backend(args.backend)
    dt = 0.1
    sim.setup(timestep=dt, min_delay=dt)

    post_times = FIRST_MS + PERIOD_MS * np.arange(PAIRINGS)
    # a 40 nA, 0.5 ms current pulse: one spike at once, over before the 5 ms refractory period
    post = sim.Population(1, sim.IF_curr_exp(tau_syn_E=0.5, tau_refrac=5.0), label="post")
    driver = sim.Population(1, sim.SpikeSourceArray(spike_times=post_times - dt), label="driver")
    sim.Projection(driver, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=40.0, delay=dt))
    # after the pairings every source fires once more, 250 ms later: event-driven rules (as
    # SpikeWeave's and NEST's) apply a facilitation at the synapse's next presynaptic spike, and
    # this spike's own depression, A- exp(-250 ms / tau-) ~ 4e-6 A-, is negligible
    t_flush = FIRST_MS + PERIOD_MS * PAIRINGS
    pre_times = [sim.Sequence(np.append(post_times - offset, t_flush)) for offset in OFFSETS_MS]
    pre = sim.Population(len(OFFSETS_MS), sim.SpikeSourceArray(spike_times=pre_times),
                         label="pre")
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=TAU_PLUS_MS, tau_minus=TAU_MINUS_MS,
                                            A_plus=A_PLUS, A_minus=A_MINUS),
        weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=W_MAX),
        weight=W0, delay=dt,
        dendritic_delay_fraction=0.0 if args.backend == "brian2" else 1.0)
    plastic = sim.Projection(pre, post, sim.AllToAllConnector(), stdp, receptor_type="excitatory")
    post.record("spikes")
    sim.run(t_flush + 1.0)
    weights = plastic.get("weight", format="array")[:, 0]
    fired = post.get_data().segments[0].spiketrains[0].times.magnitude
    sim.end()

    lag = float(np.mean(fired - post_times)) if len(fired) == PAIRINGS else float("nan")
    print(f"post fired {len(fired)} times, {lag:.2f} ms after the nominal times")
    print(" t_post - t_pre [ms]   dw per pairing [pA]   closed form [pA]")
    # the synapse sees the post spike after the delay (dendritic) or the pre spike (axonal)
    seen_ms = dt if args.backend == "spikeweave" else -dt
    for offset, w in zip(OFFSETS_MS, weights):
        dt_ms = offset + lag + seen_ms
        expected = (A_PLUS * W_MAX * math.exp(-dt_ms / TAU_PLUS_MS) if dt_ms > 0
                    else -A_MINUS * W_MAX * math.exp(dt_ms / TAU_MINUS_MS))
        print(f"{dt_ms:18.1f} {1000 * (w - W0) / PAIRINGS:20.4f} {1000 * expected:18.4f}")
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5, 3))
        ax.plot(OFFSETS_MS + lag, 1000 * (weights - W0) / PAIRINGS, "o", label=args.backend)
        ax.set_xlabel("t_post - t_pre [ms]")
        ax.set_ylabel("dw per pairing [pA]")
        ax.axhline(0, color="grey", lw=0.5)
        ax.legend()
        fig.savefig(args.plot, dpi=120, bbox_inches="tight")


if __name__ == "__main__":
    main()
