"""The digits feature layer of `spikeweave task digits` (examples/diehl_cook_digits.toml) in
Brian2, for the throughput comparison of benchmarks/RESULTS.md ("Task pipeline").

Same layer as the shipped example: 64 Poisson inputs (pixel 0..16 -> 0..63.75 Hz), N
lif_cond_exp_adaptive excitatory neurons (C 1000 pF, g_L 10 nS, theta += theta_plus per spike,
decaying with tau_theta), N lif_cond_exp interneurons, input -> E all-to-all with pair STDP in
NEST's stdp_synapse form (multiplicative, all-to-all pairing: facilitation
w/w_max += lambda (1 - w/w_max) K+ at a post spike, depression w/w_max -= alpha lambda (w/w_max)
K- at a pre spike) and the incoming weights of each E neuron scaled to 300 nS after every
presentation, E -> I one-to-one (104 nS), I -> E to every E neuron but the interneuron's own
(-170 nS), 1 ms delays, dt 0.5 ms, 350 ms shown + 150 ms rest per image; exponential Euler
(spikeweave's default for lif_cond_exp; forward Euler diverges under the summed inhibition).

What it measures: images per second of wall time for a training run (plastic) and an inference
run (weights frozen, thresholds frozen, inputs at 4x rate as the pipeline's response runs), each
including Brian2's code generation and compilation for that run (spikeweave's figures include its
start-up and output too; run it twice: the second run finds the compiled Cython code in its
cache, and RESULTS.md compares those). The rates of all images are one TimedArray, so each
phase is a single `run` call; the normalisation is a network_operation (numpy) every
presentation. It reports no accuracy: the point is the cost of simulating the same layer, not a
second implementation of the pipeline.

    /usr/bin/python3 benchmarks/digits/brian2_diehl_cook.py --n-exc 200 --train 300 --infer 300
Debian's python3-brian (2.5.1); the default target is cython (falls back to numpy with
--target numpy).
"""
import argparse
import json
import os
import platform
import time

import numpy as np


THETA = {"plus_mv": 0.5, "tau_ms": 1e7}  # training values (main() sets them from the options)


def build(b2, n_exc, images, rate_scale_hz, present_ms, rest_ms, plastic, weights, theta_mv):
    ms, mV, nS, pF, Hz = b2.ms, b2.mV, b2.nS, b2.pF, b2.Hz
    period_ms = present_ms + rest_ms
    n_images = len(images)
    rows = []
    for x in images:
        rows.append(x * rate_scale_hz)
        rows.append(np.zeros_like(x))
    # A TimedArray with one entry per half-period granule: 350 ms on, 150 ms off, on a 50 ms grid.
    granule_ms = 50.0
    on, off = int(present_ms / granule_ms), int(rest_ms / granule_ms)
    table = np.concatenate([np.repeat(r[None, :], on if k % 2 == 0 else off, axis=0)
                            for k, r in enumerate(rows)])
    image_rates = b2.TimedArray(table * Hz, dt=granule_ms * ms)
    inputs = b2.PoissonGroup(64, rates="image_rates(t, i)",
                            namespace={"image_rates": image_rates})

    exc_eqs = """
    dv/dt = (g_l*(e_l - v) + g_ex*(0*mV - v) + g_in*(-100*mV - v)) / c_m : volt (unless refractory)
    dg_ex/dt = -g_ex / (1*ms) : siemens
    dg_in/dt = -g_in / (2*ms) : siemens
    dtheta/dt = -theta / tau_theta : volt
    """
    namespace = {"g_l": 10 * nS, "e_l": -65 * mV, "c_m": 1000 * pF,
                 "tau_theta": (THETA["tau_ms"] if plastic else 1e12) * ms,
                 "theta_plus": (THETA["plus_mv"] if plastic else 0.0) * mV}
    exc = b2.NeuronGroup(n_exc, exc_eqs, threshold="v > -52*mV + theta",
                         reset="v = -65*mV; theta += theta_plus", refractory=5 * ms,
                         method="exponential_euler", namespace=namespace)
    exc.v = -65 * mV
    exc.theta = theta_mv * mV
    inh_eqs = """
    dv/dt = (10*nS*(-60*mV - v) + g_ex*(-v) + g_in*(-85*mV - v)) / (100*pF) : volt (unless refractory)
    dg_ex/dt = -g_ex / (1*ms) : siemens
    dg_in/dt = -g_in / (2*ms) : siemens
    """
    inh = b2.NeuronGroup(n_exc, inh_eqs, threshold="v > -40*mV", reset="v = -45*mV",
                         refractory=2 * ms, method="exponential_euler")
    inh.v = -60 * mV

    if plastic:
        stdp = b2.Synapses(
            inputs, exc,
            """w : siemens
               dkplus/dt = -kplus / (20*ms) : 1 (event-driven)
               dkminus/dt = -kminus / (20*ms) : 1 (event-driven)""",
            on_pre="""g_ex_post += w
                      w = clip(w - 1.1*0.01*w*kminus, 0*nS, 30*nS)
                      kplus += 1""",
            on_post="""w = clip(w + 0.01*(30*nS - w)*kplus, 0*nS, 30*nS)
                       kminus += 1""",
            delay=1 * ms)
    else:
        stdp = b2.Synapses(inputs, exc, "w : siemens", on_pre="g_ex_post += w", delay=1 * ms)
    stdp.connect()
    stdp.w = weights.ravel() * nS  # connect() orders synapses source-major: W[i, j]

    ei = b2.Synapses(exc, inh, on_pre="g_ex_post += 104*nS", delay=1 * ms)
    ei.connect(j="i")
    ie = b2.Synapses(inh, exc, on_pre="g_in_post += 170*nS", delay=1 * ms)
    ie.connect(condition="i != j")

    objects = [inputs, exc, inh, stdp, ei, ie]
    if plastic:
        def normalise():
            w = np.asarray(stdp.w_[:]).reshape(64, n_exc)
            stdp.w_[:] = (w * (300e-9 / w.sum(axis=0))).ravel()
        objects.append(b2.NetworkOperation(normalise, dt=period_ms * ms))
    monitor = b2.SpikeMonitor(exc)
    objects.append(monitor)
    net = b2.Network(*objects)
    return net, n_images * period_ms * ms, monitor


def timed_run(b2, n_exc, images, rate_scale_hz, plastic, weights, theta_mv, present_ms,
              rest_ms, seed):
    b2.start_scope()
    b2.seed(seed)
    start = time.perf_counter()
    net, duration, monitor = build(b2, n_exc, images, rate_scale_hz, present_ms, rest_ms,
                                   plastic, weights, theta_mv)
    net.run(duration)
    seconds = time.perf_counter() - start
    return seconds, int(monitor.num_spikes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-exc", type=int, default=200)
    parser.add_argument("--train", type=int, default=300, help="training presentations")
    parser.add_argument("--infer", type=int, default=300, help="inference presentations")
    parser.add_argument("--present-ms", type=float, default=350.0)
    parser.add_argument("--rest-ms", type=float, default=150.0)
    parser.add_argument("--target", default="cython", choices=["cython", "numpy"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default=None, help="append the result as one JSON line here")
    parser.add_argument("--layer-from", default=None,
                        help="a `spikeweave task digits` output folder: the inference run uses its "
                        "learned weights (weights_stdp.npy) and thresholds (theta_stdp.npy), so "
                        "both simulators answer the same frozen layer")
    parser.add_argument("--theta-plus-mv", type=float, default=0.5)
    parser.add_argument("--tau-theta-ms", type=float, default=1e7)
    args = parser.parse_args()
    import brian2 as b2
    from sklearn.datasets import load_digits
    THETA.update(plus_mv=args.theta_plus_mv, tau_ms=args.tau_theta_ms)
    b2.prefs.codegen.target = args.target
    b2.defaultclock.dt = 0.5 * b2.ms
    x = load_digits().data / 16.0
    rng = np.random.default_rng(args.seed)
    w0 = rng.uniform(0.0, 9.4, size=(64, args.n_exc))
    w0 *= 300.0 / w0.sum(axis=0)
    rate_hz = 63.75
    train_s, train_spikes = timed_run(b2, args.n_exc, x[rng.permutation(1437)[:args.train]],
                                      rate_hz, True, w0, np.zeros(args.n_exc), args.present_ms,
                                      args.rest_ms, args.seed)
    w_frozen, theta_frozen = w0, np.full(args.n_exc, 20.0)
    if args.layer_from:
        w_frozen = np.load(os.path.join(args.layer_from, "weights_stdp.npy"))
        theta_frozen = np.load(os.path.join(args.layer_from, "theta_stdp.npy"))
    infer_s, infer_spikes = timed_run(b2, args.n_exc, x[:args.infer], 4 * rate_hz, False,
                                      w_frozen, theta_frozen, args.present_ms, args.rest_ms,
                                      args.seed)
    result = {"simulator": f"brian2 {b2.__version__} ({args.target})", "n_exc": args.n_exc,
              "train_images": args.train, "infer_images": args.infer,
              "train_seconds": train_s, "infer_seconds": infer_s,
              "train_images_per_s": args.train / train_s,
              "infer_images_per_s": args.infer / infer_s,
              "train_spikes_per_image": train_spikes / args.train,
              "infer_spikes_per_image": infer_spikes / args.infer,
              "load_average": os.getloadavg(),
              "machine": platform.processor() or platform.machine(),
              "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    print(json.dumps(result))
    if args.json:
        with open(args.json, "a") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
