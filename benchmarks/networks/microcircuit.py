#!/usr/bin/python3
"""Writes the Potjans & Diesmann (2014) cortical microcircuit as a SpikeWeave TOML network.

    microcircuit.py [--n-scaling 0.1] [--k-scaling 0.1] [--drive poisson|dc] [--v0 optimized|original]
                    [--t-ms 1500] [--seed 55] [--record all|none] [--output-h5 out/microcircuit.h5]
                    [-o microcircuit.toml]

Every number comes from ../shared/reference/microcircuit.md (and NEST's microcircuit example,
which that page summarises):
- 8 populations of lif_psc_exp neurons; sizes N_full * N_scaling (rounded);
- recurrent synapses drawn as fixed_total_number with multapses and autapses allowed, with
  K = ln(1 - p) / ln(1 - 1 / (N_pre N_post)) at full scale, times N_scaling * K_scaling;
- weights: 0.15 mV PSP = 87.81 pA, inhibitory x -4, L4E -> L23E x 2, normal with relative
  sd 0.1, sign kept (excitatory >= 0, inhibitory <= 0) by redrawing;
- delays: normal, excitatory 1.5 +- 0.75 ms, inhibitory 0.75 +- 0.375 ms, redrawn below dt
  (and above mean + 8 sd, which no draw is expected to reach);
- drive: one Poisson train of K_ext * 8 Hz per neuron (weight 87.81 pA), or the equivalent DC;
- down-scaling: weights x 1/sqrt(K_scaling) and a DC per population of
  0.001 tau_syn (1 - sqrt(K_scaling)) (recurrent + external input of the full network), which
  keeps mean and variance of the input (van Albada et al. 2015).
Full scale is --n-scaling 1 --k-scaling 1 (77,169 neurons, about 3.0e8 synapses). The defaults
(0.1, 0.1) are NEST's example; run_bench.py's --k-scaling defaults to 1.
Down-scaling N alone (--k-scaling 1) keeps the in-degrees but multiplies every connection
probability, hence the shared input and the pairwise correlations, by 1 / N_scaling: at
N_scaling 0.1 the network synchronises and rates deviate from the full-scale ones by up to 2.5x
(measured, benchmarks/RESULTS.md, "Cortical microcircuit"; van Albada, Helias & Diesmann 2015, PLoS Comput
Biol 11:e1004490). Scale N and K together for a small network with full-scale statistics.
"""
import argparse
import math
import sys

POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
N_FULL = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
FULL_MEAN_RATES_HZ = [0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
# Connection probabilities, row = target, column = source.
CONN_PROBS = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
]
# "optimized" initial membrane potentials (mean, sd) [mV]: no start-up transient.
V0_OPTIMIZED = [(-68.28, 5.36), (-63.16, 4.57), (-63.33, 4.74), (-63.45, 4.94),
                (-63.11, 4.94), (-61.66, 4.55), (-66.72, 5.46), (-61.43, 4.48)]
V0_ORIGINAL = (-58.0, 10.0)

NEURON = dict(e_l_mv=-65.0, v_th_mv=-50.0, v_reset_mv=-65.0, c_m_pf=250.0, tau_m_ms=10.0,
              tau_syn_ex_ms=0.5, tau_syn_in_ms=0.5, t_ref_ms=2.0)
PSP_MEAN_MV = 0.15
G = -4.0
BG_RATE_HZ = 8.0
WEIGHT_REL_SD = 0.1
DELAY_EXC_MS, DELAY_INH_MS, DELAY_REL_SD = 1.5, 0.75, 0.5
DT_MS = 0.1


def psc_over_psp(tau_m, tau_s, c_m):
    """PSC amplitude [pA] that gives a 1 mV peak PSP for exponential PSCs (585.39 pA/mV)."""
    f = (tau_m / tau_s) ** (1.0 / (tau_s - tau_m))
    return 1.0 / (tau_m * tau_s / (c_m * (tau_s - tau_m)) * (f ** tau_m - f ** tau_s))


def full_synapse_numbers():
    """K[target][source] of the full-scale network (random pairs drawn with replacement)."""
    k = [[0.0] * 8 for _ in range(8)]
    for t in range(8):
        for s in range(8):
            p = CONN_PROBS[t][s]
            prod = float(N_FULL[s]) * N_FULL[t]
            k[t][s] = math.log(1.0 - p) / math.log((prod - 1.0) / prod) if p > 0 else 0.0
    return k


def derive(n_scaling, k_scaling, drive):
    """Sizes, synapse numbers, weights and DC amplitudes of the scaled network (NEST's recipe)."""
    psc = psc_over_psp(NEURON["tau_m_ms"], NEURON["tau_syn_ex_ms"], NEURON["c_m_pf"])
    w_exc = PSP_MEAN_MV * psc  # 87.81 pA
    w = [[w_exc * (G if s % 2 == 1 else 1.0) for s in range(8)] for _ in range(8)]
    w[0][2] *= 2.0  # L4E -> L23E doubled
    k_full = full_synapse_numbers()
    sizes = [int(round(n * n_scaling)) for n in N_FULL]
    synapses = [[int(round(k_full[t][s] * n_scaling * k_scaling)) for s in range(8)] for t in range(8)]
    ext_indegree = [int(round(k * k_scaling)) for k in K_EXT]
    tau_syn = NEURON["tau_syn_ex_ms"]
    dc = [0.0] * 8
    if drive == "dc":
        dc = [BG_RATE_HZ * K_EXT[t] * 0.001 * tau_syn * w_exc for t in range(8)]
    w_ext = w_exc
    if k_scaling != 1.0:
        for t in range(8):
            indegree = [k_full[t][s] / N_FULL[t] for s in range(8)]
            input_rec = sum(w[t][s] * indegree[s] * FULL_MEAN_RATES_HZ[s] for s in range(8))
            dc[t] += 0.001 * tau_syn * (1.0 - math.sqrt(k_scaling)) * input_rec
            if drive == "poisson":
                dc[t] += 0.001 * tau_syn * (1.0 - math.sqrt(k_scaling)) * w_exc * K_EXT[t] * BG_RATE_HZ
        w = [[x / math.sqrt(k_scaling) for x in row] for row in w]
        w_ext = w_exc / math.sqrt(k_scaling)
    return dict(sizes=sizes, synapses=synapses, weights=w, ext_indegree=ext_indegree,
                w_ext=w_ext, dc=dc, psc_over_psp=psc)


def num(x):
    return repr(float(x))


def inline(d):
    return "{ " + ", ".join(f"{k} = {num(v)}" for k, v in d.items()) + " }"


def write_toml(args, out):
    d = derive(args.n_scaling, args.k_scaling, args.drive)
    total_neurons = sum(d["sizes"])
    total_synapses = sum(sum(r) for r in d["synapses"])
    w = out.write
    w("# Potjans & Diesmann (2014) cortical microcircuit, generated by\n")
    w(f"# benchmarks/networks/microcircuit.py {' '.join(sys.argv[1:])}\n")
    w(f"# N_scaling = {args.n_scaling}, K_scaling = {args.k_scaling}, drive = {args.drive}, "
      f"V0 = {args.v0}: {total_neurons} neurons, {total_synapses} recurrent synapses.\n")
    w(f"# 0.15 mV PSP = {d['psc_over_psp'] * PSP_MEAN_MV:.4f} pA; see ../shared/reference/microcircuit.md.\n\n")
    w("[simulation]\n")
    w(f"dt_ms = {DT_MS}\nt_stop_ms = {num(args.t_ms)}\nseed = {args.seed}\n")
    w(f"output = \"{args.output_h5}\"\n\n")
    for p, name in enumerate(POPULATIONS):
        mean, sd = V0_OPTIMIZED[p] if args.v0 == "optimized" else V0_ORIGINAL
        w("[[population]]\n")
        w(f"name = \"{name}\"\nsize = {d['sizes'][p]}\nmodel = \"lif_psc_exp\"\n")
        w(f"params = {inline(NEURON)}\n")
        w(f"init = {{ v_m_mv = {{ normal = [{num(mean)}, {num(sd)}] }} }}\n\n")
    for t in range(8):
        for s in range(8):
            n = d["synapses"][t][s]
            if n == 0:
                continue
            mean = d["weights"][t][s]
            sd = abs(mean) * WEIGHT_REL_SD
            # Sign-keeping: excitatory weights >= 0, inhibitory <= 0 (redrawn, as NEST).
            bound = "min = 0.0" if mean > 0 else "max = 0.0"
            delay = DELAY_EXC_MS if s % 2 == 0 else DELAY_INH_MS
            w("[[projection]]\n")
            w(f"name = \"{POPULATIONS[s]}_{POPULATIONS[t]}\"\n")
            w(f"source = \"{POPULATIONS[s]}\"\ntarget = \"{POPULATIONS[t]}\"\n")
            w(f"connect = {{ rule = \"fixed_total_number\", n = {n}, allow_autapses = true, "
              f"allow_multapses = true }}\n")
            w(f"weight_pa = {{ normal = [{num(mean)}, {num(sd)}], {bound}, bounds = \"redraw\" }}\n")
            # NEST redraws below dt only; the engine needs a finite maximum (it sizes the ring
            # buffers), so we put it 8 sd above the mean: P = 6e-16 per draw, i.e. no draw of
            # the 3e8 at full scale is expected to reach it, and the distribution is NEST's.
            sd = delay * DELAY_REL_SD
            w(f"delay_ms = {{ normal = [{num(delay)}, {num(sd)}], min = {DT_MS}, "
              f"max = {num(round(delay + 8 * sd, 4))}, bounds = \"redraw\" }}\n\n")
    for t, name in enumerate(POPULATIONS):
        if args.drive == "poisson":
            w("[[stimulus]]\nkind = \"poisson\"\n")
            w(f"target = \"{name}\"\nrate_hz = {num(BG_RATE_HZ * d['ext_indegree'][t])}\n")
            w(f"weight_pa = {num(d['w_ext'])}\n\n")
        if d["dc"][t] != 0.0:
            w("[[stimulus]]\nkind = \"dc\"\n")
            w(f"target = \"{name}\"\namplitude_pa = {num(d['dc'][t])}\n\n")
    if args.record == "all":
        w("[[record]]\nspikes = \"all\"\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-scaling", type=float, default=0.1, help="neuron-number scaling (1 = full)")
    ap.add_argument("--k-scaling", type=float, default=0.1, help="in-degree scaling (1 = full)")
    ap.add_argument("--drive", choices=["poisson", "dc"], default="poisson")
    ap.add_argument("--v0", choices=["optimized", "original"], default="optimized")
    ap.add_argument("--t-ms", type=float, default=1500.0, help="simulated time [ms] (500 warm-up + 1000)")
    ap.add_argument("--seed", type=int, default=55)
    ap.add_argument("--record", choices=["all", "none"], default="all")
    ap.add_argument("--output-h5", default="out/microcircuit.h5", help="simulation.output of the TOML")
    ap.add_argument("-o", "--output", help="TOML file to write (default: standard output)")
    args = ap.parse_args()
    if not (0 < args.n_scaling <= 1 and 0 < args.k_scaling <= 1):
        ap.error("--n-scaling and --k-scaling must be in (0, 1]")
    if args.output:
        with open(args.output, "w") as f:
            write_toml(args, f)
    else:
        write_toml(args, sys.stdout)


if __name__ == "__main__":
    main()
