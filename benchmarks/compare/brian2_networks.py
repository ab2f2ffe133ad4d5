#!/usr/bin/python3
"""Brian2 (2.5, Debian python3-brian) C++ standalone versions of the SpikeWeave comparison networks.

    brian2_networks.py coba|brunel|adex_coba --dir DIR [--t-ms 1000] [--threads 1] [--scale 1.0]
                       [--seed 1] [--integrator euler|exponential_euler|gsl_rkf45|rk4] [--run]

Generates the standalone project in DIR and compiles it (timed); with --run also runs it once.
compare.py then runs DIR/main itself, alternating with SpikeWeave. The generated main writes
  results/sw_build_seconds.txt  seconds from program start to the start of the run loop
                                (array allocation, initial values, synapse creation),
  results/sw_spikes.txt         spikes of every neuron group (E, I),
and Brian2 itself writes results/last_run_info.txt (the run loop's wall time).
DIR/sw_meta.json records code-generation + compile seconds, the network sizes and the versions.

COBA (Vogels & Abbott 2005, Brette et al. 2007): the network of benchmarks/networks/coba.toml,
written in conductances (C 200 pF, g_L 10 nS, E_L -60 mV, V_th -50 mV, reset -60 mV, 5 ms
refractory, tau_e 5 ms, tau_i 10 ms, E_e 0 mV, E_i -80 mV, 200 pA drive, 6 / 67 nS weights,
p = 0.02, V0 ~ N(-55, 5) mV). Brian2's forward-Euler scheme ("euler", default, the same as
SpikeWeave's integrator = "euler") or "exponential_euler". Synapses act at the next step (no
delay), as in Brian2's example and SpikeWeave's delay_ms = dt.

AdEx COBA: benchmarks/networks/adex_coba.toml, the COBA network with NEST's aeif_cond_exp
dynamics (V capped at V_peak = 0 mV inside the exponential as NEST does, threshold V_peak, reset
V_r and w += b, V clamped for 5 ms; E: a = 2 nS, b = 20 pA, tau_w = 100 ms; I: no adaptation),
integrated by GSL's adaptive rkf45 ("gsl_rkf45", default for this network: the scheme of NEST
and SpikeWeave; absolute error 1e-6 mV, nS and pA per variable, where NEST and SpikeWeave bound
1e-6 (1 + h |y'|)), or "rk4" (fixed step). Brian2 detects the spike at the end of the 0.1 ms step,
SpikeWeave inside it (as NEST), so single trajectories differ; rates compare.

Brunel (2000) model A: examples/brunel.toml (NE 10000, NI 2500, CE 1000, CI 250, J 0.1 mV,
g 5, D 1.5 ms, tau_m 20 ms, theta 20 mV, reset 10 mV, 2 ms refractory during which inputs are
discarded, as in NEST and SpikeWeave), fixed in-degree drawn with Brian2's sample(), external
drive as PoissonInput (CE inputs at eta nu_thr = 20 Hz each, i.e. one 20 kHz train, weight J).
Brian2's synaptic delay is D - dt: the same effective delay as SpikeWeave's D (see below).
--scale multiplies the neuron numbers (the in-degrees stay), for quick smoke runs.
"""
import argparse
import json
import os
import sys
import time

TIMER_START = """
timespec _sw_t0; clock_gettime(CLOCK_MONOTONIC, &_sw_t0);
"""
TIMER_STOP = """
{
  timespec _sw_t1; clock_gettime(CLOCK_MONOTONIC, &_sw_t1);
  std::ofstream _sw_f("results/sw_build_seconds.txt");
  _sw_f.precision(9);
  _sw_f << (_sw_t1.tv_sec - _sw_t0.tv_sec) + 1e-9 * (_sw_t1.tv_nsec - _sw_t0.tv_nsec) << std::endl;
}
"""


def build(args):
    # Quiet the FutureWarnings of Debian's pythran/numpy pairing before brian2 imports them.
    import warnings

    warnings.simplefilter("ignore", FutureWarning)
    import brian2 as b2
    from brian2 import ms, mV, nS, pF, pA, second, Hz

    b2.set_device("cpp_standalone", directory=args.dir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    b2.prefs.logging.console_log_level = "WARNING"
    b2.defaultclock.dt = 0.1 * ms
    b2.seed(args.seed)
    b2.device.insert_code("before_start", TIMER_START)
    if args.network == "coba":
        n_e, n_i = int(round(3200 * args.scale)), int(round(800 * args.scale))
        C, gL, EL, VT, Vr = 200 * pF, 10 * nS, -60 * mV, -50 * mV, -60 * mV
        Ee, Ei, taue, taui, Ie = 0 * mV, -80 * mV, 5 * ms, 10 * ms, 200 * pA
        eqs = """
        dv/dt = (gL*(EL - v) + ge*(Ee - v) + gi*(Ei - v) + Ie) / C : volt (unless refractory)
        dge/dt = -ge / taue : siemens
        dgi/dt = -gi / taui : siemens
        """
        P = b2.NeuronGroup(n_e + n_i, eqs, threshold="v > VT", reset="v = Vr", refractory=5 * ms,
                           method=args.integrator, namespace=locals())
        P.v = "-55*mV + 5*mV*randn()"
        Pe, Pi = P[:n_e], P[n_e:]
        Ce = b2.Synapses(Pe, P, on_pre="ge += 6*nS")
        Ci = b2.Synapses(Pi, P, on_pre="gi += 67*nS")
        Ce.connect(p=0.02)
        Ci.connect(p=0.02)
        groups = [("E", Pe, 0, n_e), ("I", Pi, n_e, n_e + n_i)]
        mon = b2.SpikeMonitor(P)
        objects = [P, Ce, Ci, mon]
        sizes = {"E": n_e, "I": n_i}
    elif args.network == "adex_coba":
        n_e, n_i = int(round(3200 * args.scale)), int(round(800 * args.scale))
        C, gL, EL, VT, DeltaT, Vpeak, Vr = 200 * pF, 10 * nS, -60 * mV, -50 * mV, 2 * mV, 0 * mV, -60 * mV
        Ee, Ei, taue, taui, Ie, tauw = 0 * mV, -80 * mV, 5 * ms, 10 * ms, 200 * pA, 100 * ms
        eqs = """
        dv/dt = (gL*(EL - v) + gL*DeltaT*exp((clip(v, -1*volt, Vpeak) - VT)/DeltaT) + ge*(Ee - v)
                 + gi*(Ei - v) - w + Ie) / C : volt (unless refractory)
        dw/dt = (a*(clip(v, -1*volt, Vpeak) - EL) - w) / tauw : amp
        dge/dt = -ge / taue : siemens
        dgi/dt = -gi / taui : siemens
        a : siemens (constant)
        b : amp (constant)
        """
        options = {}
        if args.integrator.startswith("gsl"):
            options = {"absolute_error_per_variable": {"v": 1e-9 * b2.volt, "w": 1e-18 * b2.amp,
                                                       "ge": 1e-15 * b2.siemens,
                                                       "gi": 1e-15 * b2.siemens}}
        P = b2.NeuronGroup(n_e + n_i, eqs, threshold="v > Vpeak", reset="v = Vr; w += b",
                           refractory=5 * ms, method=args.integrator, method_options=options,
                           namespace=locals())
        P.v = "-55*mV + 5*mV*randn()"
        Pe, Pi = P[:n_e], P[n_e:]
        Pe.a, Pe.b = 2 * nS, 20 * pA
        Pi.a, Pi.b = 0 * nS, 0 * pA
        Ce = b2.Synapses(Pe, P, on_pre="ge += 6*nS")
        Ci = b2.Synapses(Pi, P, on_pre="gi += 67*nS")
        Ce.connect(p=0.02)
        Ci.connect(p=0.02)
        groups = [("E", Pe, 0, n_e), ("I", Pi, n_e, n_e + n_i)]
        mon = b2.SpikeMonitor(P)
        objects = [P, Ce, Ci, mon]
        sizes = {"E": n_e, "I": n_i}
    else:
        n_e, n_i = int(round(10000 * args.scale)), int(round(2500 * args.scale))
        c_e, c_i = 1000, 250
        tau, theta, v_r, J, g, D = 20 * ms, 20 * mV, 10 * mV, 0.1 * mV, 5.0, 1.5 * ms
        nu_thr = theta / (J * c_e * tau)
        eqs = "dv/dt = -v / tau : volt (unless refractory)"
        P = b2.NeuronGroup(n_e + n_i, eqs, threshold="v > theta", reset="v = v_r",
                           refractory=2 * ms, method="exact", namespace=locals())
        P.v = "20*mV*rand()"
        Pe, Pi = P[:n_e], P[n_e:]
        # Inputs arriving during the refractory period are discarded (Brunel 2000; NEST).
        # Brian2 applies a delayed spike after the threshold of the step it arrives in, so it
        # acts one step later than in NEST and SpikeWeave (where a spike of step s with delay d
        # is seen by the threshold of step s + d): D - dt gives the same effective delay.
        syn_delay = D - b2.defaultclock.dt
        Ce = b2.Synapses(Pe, P, on_pre="v_post += J * int(not_refractory_post)", delay=syn_delay,
                         namespace=locals())
        Ci = b2.Synapses(Pi, P, on_pre="v_post += -g * J * int(not_refractory_post)",
                         delay=syn_delay, namespace=locals())
        Ce.connect(i=f"k for k in sample(N_pre, size={min(c_e, n_e)})")
        Ci.connect(i=f"k for k in sample(N_pre, size={min(c_i, n_i)})")
        ext = b2.PoissonInput(P, "v", N=c_e, rate=2.0 * nu_thr, weight=f"J * int(not_refractory)")
        ext.namespace = {"J": J}
        mon = b2.SpikeMonitor(P)
        objects = [P, Ce, Ci, ext, mon]
        groups = [("exc", Pe, 0, n_e), ("inh", Pi, n_e, n_e + n_i)]
        sizes = {"exc": n_e, "inh": n_i}
    b2.device.insert_code("main", TIMER_STOP)
    net = b2.Network(*objects)
    net.run(args.t_ms * ms)
    # Spikes per group from the monitor's index array, after the run.
    mon_i = b2.device.get_array_name(mon.variables["i"], access_data=False)
    count_code = "{\n  std::ofstream _sw_s(\"results/sw_spikes.txt\");\n"
    for name, _, lo, hi in groups:
        count_code += (f"  {{ long c = 0; for (size_t k = 0; k < {mon_i}.size(); ++k) "
                       f"if ({mon_i}[k] >= {lo} && {mon_i}[k] < {hi}) ++c; "
                       f"_sw_s << \"{name} \" << c << std::endl; }}\n")
    for syn in (Ce, Ci):
        pre = b2.device.get_array_name(syn.variables["_synaptic_pre"], access_data=False)
        count_code += f"  _sw_s << \"synapses \" << {pre}.size() << std::endl;\n"
    count_code += "}\n"
    b2.device.insert_code("main", count_code)
    start = time.time()
    b2.device.build(directory=args.dir, compile=True, run=False)
    compile_s = time.time() - start
    meta = {"simulator": f"Brian2 {b2.__version__} C++ standalone", "network": args.network,
            "integrator": args.integrator if args.network != "brunel" else "exact",
            "threads": args.threads, "sizes": sizes, "t_ms": args.t_ms,
            "codegen_and_compile_seconds": compile_s}
    with open(os.path.join(args.dir, "sw_meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return meta


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("network", choices=["coba", "brunel", "adex_coba"])
    ap.add_argument("--dir", required=True, help="standalone project directory")
    ap.add_argument("--t-ms", type=float, default=1000.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--integrator", choices=["euler", "exponential_euler", "gsl_rkf45", "rk4"],
                    default="euler")
    ap.add_argument("--run", action="store_true", help="also run it once and print the results")
    args = ap.parse_args()
    meta = build(args)
    print(json.dumps(meta))
    if args.run:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from compare import run_brian2

        print(json.dumps(run_brian2(args.dir, meta)))


if __name__ == "__main__":
    main()
