#!/usr/bin/python3
"""Side-by-side SpikeWeave vs Brian2 (C++ standalone) on the same network, the same machine, the
same session: runs alternate (SpikeWeave first in even repetitions, Brian2 first in odd ones) so
that the shared machine's noise hits both alike.

    compare.py coba|brunel|adex_coba [--reps 5] [--t-ms 1000] [--scale 1.0] [--threads 1]
               [--integrator euler|exponential_euler|rk4|gsl_rkf45]
               [--binary build-bench/bin/spikeweave]
               [--seed 1 (Brian2's)] [--sw-seed S (SpikeWeave's simulation.seed)]
               [--jsonl benchmarks/results/compare.jsonl] [--work-dir DIR]

Networks: coba = benchmarks/networks/coba.toml (SpikeWeave with params.integrator set to
--integrator, Brian2 with the same scheme); brunel = examples/brunel.toml; adex_coba =
benchmarks/networks/adex_coba.toml (SpikeWeave with --sw-integrator: its adaptive RKF45, the
default, or rk4; Brian2 with --integrator: gsl_rkf45, the same scheme, where Brian2's standalone
mode compiles it, else rk4 at the fixed 0.1 ms step). Both sides run one
process and one thread (Brian2: openmp_threads = 0) unless --threads says otherwise.

Per repetition and simulator it appends a JSON record: simulation seconds (SpikeWeave: the
time loop, /provenance/counters/simulate_seconds; Brian2: its run loop, last_run_info.txt),
build seconds (SpikeWeave: network construction; Brian2: main() from start to the run loop:
allocation, initial values, synapse creation), process wall and CPU seconds (CPU time is less
disturbed by other users of a shared machine), spikes and mean rate per population, synapses. Brian2's code generation and compilation (once, before the repetitions)
is reported separately. The summary gives medians, the ratios Brian2 / SpikeWeave of simulation
and build time (> 1: SpikeWeave faster), and the relative difference of the mean rates.
Both networks are chaotic and their connectivity is random, so one seed's mean rate varies by
several percent (COBA: sd ~5% over seeds); compare rates as means over seeds (--seed/--sw-seed,
one compare.py call per seed).
"""
import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
SOURCE_DIR = os.path.dirname(BENCH)
NETWORKS = {
    "coba": (os.path.join(BENCH, "networks", "coba.toml"), [("E", 3200), ("I", 800)]),
    "brunel": (os.path.join(SOURCE_DIR, "examples", "brunel.toml"), [("exc", 10000), ("inh", 2500)]),
    "adex_coba": (os.path.join(BENCH, "networks", "adex_coba.toml"), [("E", 3200), ("I", 800)]),
}


def default_binary():
    for build in ("build-bench", "build"):
        path = os.path.join(SOURCE_DIR, build, "bin", "spikeweave")
        if os.path.exists(path):
            return path
    return shutil.which("spikeweave") or "spikeweave"


def cpu_children():
    """User + system CPU seconds of all finished child processes so far."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime


def run_spikeweave(args, workdir):
    import h5py

    toml, pops = NETWORKS[args.network]
    out = os.path.join(workdir, "sw.h5")
    cmd = [args.binary, "run", toml, "--output", out, "--quiet", "--overwrite",
           "--set", f"simulation.t_stop_ms={args.t_ms!r}"]
    for i, (_, size) in enumerate(pops):
        cmd += ["--set", f"population[{i}].size={int(round(size * args.scale))}"]
        if args.network == "coba":
            cmd += ["--set", f"population[{i}].params.integrator=\"{args.integrator}\""]
        if args.network == "adex_coba":
            cmd += ["--set", f"population[{i}].params.integrator=\"{args.sw_integrator}\""]
    if args.sw_seed is not None:
        cmd += ["--set", f"simulation.seed={args.sw_seed}"]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    start, cpu0 = time.time(), cpu_children()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall, cpu = time.time() - start, cpu_children() - cpu0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"compare.py: spikeweave failed: {' '.join(cmd)}")
    with h5py.File(out, "r") as f:
        c = {k: float(v) for k, v in f["provenance/counters"].attrs.items()}
        commit = f["provenance"].attrs["git_commit"]
        commit = commit.decode() if isinstance(commit, bytes) else str(commit)
        spikes = {name: int(f[f"spikes/{name}/node_ids"].shape[0]) for name, _ in pops}
    sizes = {name: int(round(size * args.scale)) for name, size in pops}
    return {"simulator": "SpikeWeave", "git_commit": commit, "build_seconds": c["build_seconds"],
            "simulate_seconds": c["simulate_seconds"], "wall_seconds": wall, "cpu_seconds": cpu, "spikes": spikes,
            "sizes": sizes, "synapses": int(c["synapses"]), "command": " ".join(cmd)}


def run_brian2(directory, meta):
    main = os.path.join(directory, "main")
    start, cpu0 = time.time(), cpu_children()
    proc = subprocess.run([main], cwd=directory, capture_output=True, text=True)
    wall, cpu = time.time() - start, cpu_children() - cpu0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"compare.py: Brian2's {main} failed")
    results = os.path.join(directory, "results")
    with open(os.path.join(results, "last_run_info.txt")) as f:
        sim = float(f.read().split()[0])
    with open(os.path.join(results, "sw_build_seconds.txt")) as f:
        build = float(f.read().split()[0])
    spikes, synapses = {}, 0
    with open(os.path.join(results, "sw_spikes.txt")) as f:
        for line in f:
            key, value = line.split()
            if key == "synapses":
                synapses += int(value)
            else:
                spikes[key] = int(value)
    return {"simulator": meta["simulator"], "build_seconds": build, "simulate_seconds": sim,
            "wall_seconds": wall, "cpu_seconds": cpu, "spikes": spikes, "sizes": meta["sizes"],
            "synapses": synapses,
            "codegen_and_compile_seconds": meta["codegen_and_compile_seconds"],
            "command": main}


def rates(r, t_ms):
    return {k: r["spikes"][k] / (r["sizes"][k] * t_ms * 1e-3) for k in r["spikes"]}


def mean_rate(r, t_ms):
    return sum(r["spikes"].values()) / (sum(r["sizes"].values()) * t_ms * 1e-3)


def summarise(records, t_ms):
    sw = [r for r in records if r["simulator"] == "SpikeWeave"]
    b2 = [r for r in records if r["simulator"] != "SpikeWeave"]

    def med(rs, key):
        return statistics.median(r[key] for r in rs)

    def span(rs, key):
        v = sorted(r[key] for r in rs)
        return f"{v[0]:.3f} / {statistics.median(v):.3f} / {v[-1]:.3f}"

    lines = []
    for label, rs in (("SpikeWeave", sw), (b2[0]["simulator"] if b2 else "Brian2", b2)):
        if not rs:
            continue
        pr = {k: statistics.median(rates(r, t_ms)[k] for r in rs) for k in rs[0]["spikes"]}
        lines.append(f"{label}: sim s (min/median/max) {span(rs, 'simulate_seconds')}, build s "
                     f"{span(rs, 'build_seconds')}, process CPU s {span(rs, 'cpu_seconds')}, "
                     f"{rs[0]['synapses']} synapses, mean rate "
                     f"{statistics.median(mean_rate(r, t_ms) for r in rs):.3f} Hz ("
                     + ", ".join(f"{k} {v:.3f}" for k, v in pr.items()) + " Hz)")
    if sw and b2:
        sim_ratio = med(b2, "simulate_seconds") / med(sw, "simulate_seconds")
        build_ratio = med(b2, "build_seconds") / med(sw, "build_seconds")
        pair = [b["simulate_seconds"] / s["simulate_seconds"] for s, b in zip(sw, b2)]
        min_ratio = min(r["simulate_seconds"] for r in b2) / min(r["simulate_seconds"] for r in sw)
        cpu_ratio = med(b2, "cpu_seconds") / med(sw, "cpu_seconds")
        r_sw = statistics.median(mean_rate(r, t_ms) for r in sw)
        r_b2 = statistics.median(mean_rate(r, t_ms) for r in b2)
        lines.append(f"ratio Brian2/SpikeWeave: simulation {sim_ratio:.2f} (per pair: "
                     + ", ".join(f"{x:.2f}" for x in pair) + f"; of the minima {min_ratio:.2f}), "
                     f"build {build_ratio:.2f}, whole-process CPU time {cpu_ratio:.2f}; "
                     f"mean rate difference {(r_sw - r_b2) / r_b2 * 100:+.2f}%; Brian2 code "
                     f"generation + compile {b2[0]['codegen_and_compile_seconds']:.1f} s (once)")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("network", choices=sorted(NETWORKS))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--t-ms", type=float, default=1000.0)
    ap.add_argument("--scale", type=float, default=1.0, help="neuron numbers x scale (smoke runs)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--integrator", choices=["euler", "exponential_euler", "rk4", "gsl_rkf45"],
                    default="euler")
    ap.add_argument("--sw-integrator", choices=["rkf45", "rk4"], default="rkf45",
                    help="adex_coba: SpikeWeave's aeif_cond_exp integrator")
    ap.add_argument("--seed", type=int, default=1, help="Brian2's seed")
    ap.add_argument("--sw-seed", type=int, help="SpikeWeave's simulation.seed (default: the TOML's)")
    ap.add_argument("--binary", default=default_binary())
    ap.add_argument("--jsonl", default=os.path.join(BENCH, "results", "compare.jsonl"))
    ap.add_argument("--work-dir", help="keeps the Brian2 project here (default: a temporary dir)")
    args = ap.parse_args(argv)
    if args.reps < 1:
        ap.error("--reps must be >= 1")
    workdir = args.work_dir or tempfile.mkdtemp(prefix=f"swcompare-{args.network}-")
    os.makedirs(workdir, exist_ok=True)
    b2dir = os.path.join(workdir, f"brian2_{args.network}")
    cmd = [sys.executable, os.path.join(HERE, "brian2_networks.py"), args.network, "--dir", b2dir,
           "--t-ms", repr(args.t_ms), "--threads", str(args.threads), "--scale", repr(args.scale),
           "--seed", str(args.seed), "--integrator", args.integrator]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("compare.py: building the Brian2 project failed")
    meta = json.loads(proc.stdout.strip().splitlines()[-1])
    records = []
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    os.makedirs(os.path.dirname(os.path.abspath(args.jsonl)), exist_ok=True)
    for rep in range(args.reps):
        order = ["sw", "b2"] if rep % 2 == 0 else ["b2", "sw"]
        for which in order:
            r = run_spikeweave(args, workdir) if which == "sw" else run_brian2(b2dir, meta)
            r.update({"network": args.network, "rep": rep, "t_ms": args.t_ms, "scale": args.scale,
                      "seed": (args.seed if which == "b2" else args.sw_seed),
                      "threads": args.threads, "date": stamp, "host": platform.node(),
                      "integrator": {"coba": args.integrator, "brunel": "exact",
                                     "adex_coba": f"SpikeWeave {args.sw_integrator}, "
                                                  f"Brian2 {args.integrator}"}[
                                         args.network],
                      "rates_hz": rates(r, args.t_ms), "mean_rate_hz": mean_rate(r, args.t_ms)})
            records.append(r)
            with open(args.jsonl, "a") as f:
                f.write(json.dumps(r) + "\n")
            print(f"rep {rep} {r['simulator']}: sim {r['simulate_seconds']:.3f} s, build "
                  f"{r['build_seconds']:.3f} s, mean rate {r['mean_rate_hz']:.3f} Hz", flush=True)
    records.sort(key=lambda r: (r["simulator"] != "SpikeWeave", r["rep"]))
    print(summarise(records, args.t_ms))
    if not args.work_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
