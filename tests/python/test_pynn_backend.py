"""spikeweave.pynn on its own (no Brian2): STDP weight changes for fixed spike pairs against the
closed form, the connection statistics of every connector, recording, reset, and the
NotImplementedError cases."""
import math
import sys

import numpy as np

from pynn_helpers import spikeweave_backend

sim = spikeweave_backend()
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def stdp_closed_form(pre_ms, post_ms, delay_ms, w0, w_max, a_plus, a_minus, tau_plus,
                     tau_minus, multiplicative):
    """PyNN's all-to-all pair rule with the delay dendritic (dendritic_delay_fraction = 1):
    the synapse sees a pre spike at t_pre and a post spike at t_post + d; facilitation at each
    post spike by A+ K+, depression at each pre spike by A- K-, K the sums of exponentials of
    the earlier spikes of the other side; additive steps scale with w_max, multiplicative ones
    with w_max - w (facilitation) and w (depression); w stays in [0, w_max]."""
    events = sorted([(t, "pre") for t in pre_ms] + [(t + delay_ms, "post") for t in post_ms])
    w = w0
    for t, kind in events:
        if kind == "post":
            k = sum(math.exp(-(t - p) / tau_plus) for p in pre_ms if p <= t)
            w += a_plus * (w_max - w if multiplicative else w_max) * k
        else:
            k = sum(math.exp(-(t - q - delay_ms) / tau_minus) for q in post_ms
                    if q + delay_ms < t)
            w -= a_minus * (w if multiplicative else w_max) * k
        w = min(max(w, 0.0), w_max)
    return w


def test_stdp():
    sim.setup(timestep=0.1, seed=3)
    post = sim.Population(1, sim.IF_curr_exp(), label="post")
    driver = sim.Population(1, sim.SpikeSourceArray(spike_times=[30.0]), label="driver")
    sim.Projection(driver, post, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=20.0, delay=0.1))   # 20 nA: fires at once
    # pre A fires before the post spike (potentiation), pre B after it (depression); both fire
    # again late so that the engine applies the pending facilitation (event-driven, at pre spikes)
    pre_times = {"A": [20.0, 400.0], "B": [45.0, 400.0]}
    delay, w_max, w0 = 1.0, 0.01, 0.005
    timing = dict(tau_plus=20.0, tau_minus=15.0, A_plus=0.05, A_minus=0.06)
    projections = {}
    for name, times in pre_times.items():
        pre = sim.Population(1, sim.SpikeSourceArray(spike_times=times), label=f"pre{name}")
        for rule, dependence in (("add", sim.AdditiveWeightDependence),
                                 ("mul", sim.MultiplicativeWeightDependence)):
            stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(**timing),
                                     weight_dependence=dependence(w_min=0.0, w_max=w_max),
                                     weight=w0, delay=delay)
            projections[name, rule] = sim.Projection(pre, post, sim.AllToAllConnector(), stdp)
    projections["A", "add"].record("weight", sampling_interval=100.0)   # SpikeWeave extension
    post.record("spikes")
    sim.run(500.0)
    post_spikes = post.get_data().segments[0].spiketrains[0].times.magnitude.tolist()
    check(len(post_spikes) >= 1, f"STDP: the post neuron fires ({post_spikes})")
    signal = projections["A", "add"].get_data().segments[0].analogsignals[0]
    final = projections["A", "add"].get("weight", format="array")[0, 0]
    check(signal.shape[1] == 1 and abs(float(signal[-1, 0]) - final) < 1e-12
          and abs(float(signal[0, 0]) - w0) < 1e-9 and float(signal.sampling_period) == 100.0,
          f"recorded weights: {signal.shape[0]} samples every 100 ms from w0 to get('weight')")
    for (name, rule), prj in projections.items():
        w = prj.get("weight", format="array")[0, 0]
        expected = stdp_closed_form(pre_times[name], post_spikes, delay, w0, w_max,
                                    timing["A_plus"], timing["A_minus"], timing["tau_plus"],
                                    timing["tau_minus"], rule == "mul")
        # weights are stored as float32 by the engine (weight_type = "float"): 1e-6 relative
        check(abs(w - expected) <= 1e-6 * w_max and abs(w - w0) > 1e-4 * w_max,
              f"STDP {rule} pre {name}: w {w:.9f} == closed form {expected:.9f} (w0 {w0})")


def test_connectors():
    sim.setup(timestep=0.1, seed=11)
    a = sim.Population(200, sim.IF_curr_exp(), label="a")
    b = sim.Population(150, sim.IF_cond_exp(), label="b")
    conn = {
        "all": sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.01)),
        "self": sim.Projection(a, a, sim.AllToAllConnector(allow_self_connections=False),
                               sim.StaticSynapse(weight=0.5)),
        "prob": sim.Projection(a, b, sim.FixedProbabilityConnector(0.1),
                               sim.StaticSynapse(weight=sim.RandomDistribution(
                                   "uniform", (0.01, 0.03)))),
        "pre": sim.Projection(a, b, sim.FixedNumberPreConnector(7),
                              sim.StaticSynapse(weight=0.01)),
        "post": sim.Projection(a, b, sim.FixedNumberPostConnector(5),
                               sim.StaticSynapse(weight=0.01)),
        "total": sim.Projection(a, b, sim.FixedTotalNumberConnector(1234),
                                sim.StaticSynapse(weight=0.01)),
        "inh": sim.Projection(a, b, sim.FixedNumberPreConnector(3),
                              sim.StaticSynapse(weight=0.005), receptor_type="inhibitory"),
    }
    w = {name: prj.get("weight", format="array") for name, prj in conn.items()}
    sizes = {name: len(prj) for name, prj in conn.items()}
    # views and lists cut the populations into several engine populations (segments), which
    # the in- and out-degree rules cannot span: a network of their own
    sim.setup(timestep=0.1, seed=12)
    a = sim.Population(200, sim.IF_curr_exp(), label="a")
    b = sim.Population(150, sim.IF_cond_exp(), label="b")
    conn["list"] = sim.Projection(a, b, sim.FromListConnector(
        [(0, 1, 0.01, 1.0), (3, 2, 0.02, 2.0), (3, 149, 0.03, 0.5), (199, 0, 0.04, 0.1)],
        column_names=["weight", "delay"]))
    conn["view"] = sim.Projection(a[10:50], b[[1, 5, 7]], sim.FixedProbabilityConnector(0.5),
                                  sim.StaticSynapse(weight=0.01))
    conn["one"] = sim.Projection(a[0:150], b, sim.OneToOneConnector(),
                                 sim.StaticSynapse(weight=0.02))
    listed = sorted(conn["list"].get(["weight", "delay"], format="list"))
    w.update({name: conn[name].get("weight", format="array") for name in ("list", "view", "one")})
    present = {name: ~np.isnan(x) for name, x in w.items()}
    check(present["all"].all() and np.allclose(w["all"], 0.01),
          "AllToAll: every pair, weight 0.01 uS back in PyNN units")
    check(sizes["self"] == 200 * 199 and not present["self"].diagonal().any(),
          "AllToAll(allow_self_connections=False): n (n - 1) synapses, no autapse")
    check(np.array_equal(present["one"], np.eye(150, dtype=bool)),
          "OneToOne on a view: exactly the diagonal")
    n_pairs, p = 200 * 150, 0.1
    count = int(present["prob"].sum())
    # binomial count: 5 standard deviations (a false alarm about 1 run in 1.7 million)
    check(abs(count - n_pairs * p) <= 5 * math.sqrt(n_pairs * p * (1 - p)),
          f"FixedProbability(0.1): {count} of {n_pairs} pairs, expected {n_pairs * p:.0f}")
    weights = w["prob"][present["prob"]]
    # uniform on [0.01, 0.03): mean 0.02, sd 0.0058, 5 standard errors of the mean
    check(weights.min() >= 0.01 and weights.max() < 0.03
          and abs(weights.mean() - 0.02) <= 5 * 0.02 / math.sqrt(12) / math.sqrt(count),
          f"RandomDistribution uniform weights in [0.01, 0.03), mean {weights.mean():.5f}")
    check((present["pre"].sum(axis=0) == 7).all(), "FixedNumberPre(7): 7 distinct sources each")
    check((present["post"].sum(axis=1) == 5).all(), "FixedNumberPost(5): 5 distinct targets each")
    check(sizes["total"] == 1234, f"FixedTotalNumber(1234): {sizes['total']} synapses")
    check(len(listed) == 4 and listed[0][:3] == (0, 1, 0.01)
          and abs(listed[-1][2] - 0.04) < 1e-12 and listed[1][3] == 2.0,
          f"FromList: the listed connections with their weights ({listed})")
    view = present["view"]
    check(view.shape == (40, 3) and abs(view.sum() - 60) <= 5 * math.sqrt(30),
          f"FixedProbability(0.5) between views a[10:50] and b[[1, 5, 7]]: a 40 x 3 matrix, "
          f"{view.sum()} of 120 pairs")
    check(np.allclose(w["inh"][present["inh"]], 0.005),
          "inhibitory conductance weights positive in PyNN (negative in the engine)")


def test_recording_and_reset():
    sim.setup(timestep=0.1, seed=5)
    cells = sim.Population(20, sim.IF_curr_exp(i_offset=1.2), label="cells")
    noise = sim.Population(20, sim.SpikeSourcePoisson(rate=200.0), label="noise")
    sim.Projection(noise, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.3))
    cells.record(["spikes", "v"], sampling_interval=0.5)
    sim.run(60.0)
    sim.run(40.0)
    first = cells.get_data().segments[0]
    v = first.analogsignals[0]
    check(v.shape == (201, 20) and float(v.sampling_period) == 0.5,
          f"v sampled every 0.5 ms over 100 ms, t = 0 included ({v.shape})")
    check(np.allclose(np.asarray(v)[0], -65.0), "first sample is the initial v (-65 mV)")
    counts = [len(st) for st in first.spiketrains]
    check(sum(counts) > 0, f"spikes recorded ({sum(counts)})")
    sim.reset()
    cells.set(tau_m=15.0)   # allowed after reset: the next run rebuilds the network
    sim.reset()
    cells.set(tau_m=20.0)
    sim.run(100.0)
    data = cells.get_data()
    second = data.segments[-1]
    check(len(data.segments) == 2, "reset starts a new segment")
    same = all(np.array_equal(a.magnitude, b.magnitude)
               for a, b in zip(first.spiketrains, second.spiketrains))
    check(same, "after reset the same network gives the same spikes (same seed)")
    sim.run(10.0)
    try:
        cells.set(tau_m=10.0)
        check(False, "set() after a run raises NotImplementedError")
    except NotImplementedError as error:
        check("reset" in str(error), f"set() after a run raises NotImplementedError ({error})")


def raises(what, function):
    try:
        function()
    except NotImplementedError as error:
        check(True, f"{what} raises NotImplementedError: {error}")
        return
    check(False, f"{what} raises NotImplementedError")


def test_not_implemented():
    sim.setup(timestep=0.1)
    a = sim.Population(10, sim.IF_curr_exp(), label="a")
    b = sim.Population(10, sim.IF_curr_exp(), label="b")
    raises("HH_cond_exp", lambda: sim.HH_cond_exp())
    raises("Izhikevich", lambda: sim.Izhikevich())
    raises("IF_cond_alpha", lambda: sim.IF_cond_alpha())
    raises("ACSource", lambda: sim.ACSource())
    raises("TsodyksMarkramSynapse", lambda: sim.TsodyksMarkramSynapse())
    raises("DistanceDependentProbabilityConnector", lambda: sim.Projection(
        a, b, sim.DistanceDependentProbabilityConnector("d < 1")))
    raises("STDP with axonal delays", lambda: sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(), weight_dependence=sim.AdditiveWeightDependence(),
        dendritic_delay_fraction=0.0))
    raises("recording gsyn_exc", lambda: sim.Population(
        2, sim.IF_cond_exp(), label="c").record("gsyn_exc"))
    raises("a lognormal weight", lambda: (sim.Projection(a, b, sim.AllToAllConnector(),
           sim.StaticSynapse(weight=sim.RandomDistribution("lognormal", (0.0, 1.0)))),
           sim.run(1.0)))
    sim.setup(timestep=0.1)
    a = sim.Population(10, sim.IF_curr_exp(), label="a")
    b = sim.Population(10, sim.IF_curr_exp(), label="b")
    stdp = sim.STDPMechanism(timing_dependence=sim.SpikePairRule(),
                             weight_dependence=sim.AdditiveWeightDependence(w_min=0.1))
    sim.Projection(a, b, sim.AllToAllConnector(), stdp)
    raises("STDP with w_min != 0", lambda: sim.run(1.0))
    sim.setup(timestep=0.1)
    a = sim.Population(10, sim.IF_curr_exp(), label="a")
    b = sim.Population(10, sim.IF_curr_exp(), label="b")
    sim.Projection(a + b, b, sim.FixedNumberPreConnector(3))
    raises("FixedNumberPre from an Assembly of two populations", lambda: sim.run(1.0))
    sim.setup(timestep=0.1)
    varied = sim.Population(3000, sim.IF_curr_exp(
        tau_m=sim.RandomDistribution("uniform", (10.0, 20.0))), label="varied")
    sim.Projection(varied, varied, sim.FixedProbabilityConnector(0.1))
    raises("3000 neurons with 3000 different tau_m projecting onto themselves (9 million "
           "engine projections)", lambda: sim.run(1.0))
    sim.setup(timestep=0.1)
    sim.Population(1, sim.SpikeSourceArray(spike_times=[0.0, 5.0]), label="early")
    raises("a SpikeSourceArray spike before the end of the first step", lambda: sim.run(1.0))
    sim.setup(timestep=0.1)
    a = sim.Population(10, sim.IF_curr_exp(), label="a")
    sim.run(1.0)
    raises("a Population after a run", lambda: sim.Population(3, sim.IF_curr_exp()))


test_stdp()
test_connectors()
test_recording_and_reset()
test_not_implemented()
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
