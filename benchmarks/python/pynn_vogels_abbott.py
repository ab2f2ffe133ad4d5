#!/usr/bin/env python3
"""The Vogels-Abbott benchmark through PyNN: spikeweave.pynn against pyNN.brian2, the same
script (examples/pynn/vogels_abbott.py) on both, alternating the backends in every repeat.

Whole-script time: wall seconds of the child process (interpreter start, imports, building the
network, the run, the statistics); simulation time: the script's own `sim.run()` seconds; CPU
seconds of the child (user + system). The load average (`uptime`) is taken before and after
each run: the machine is shared.

    PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/python/pynn_vogels_abbott.py \\
        [--benchmark COBA] [--scale 1.0] [--t-stop-ms 1000] [--repeats 3] \\
        [--brian2-codegen numpy] [--json out.jsonl]
"""
import argparse
import datetime
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "examples", "pynn", "vogels_abbott.py")


def load_average():
    return float(open("/proc/loadavg").read().split()[0])


def run_once(backend, args):
    command = [sys.executable, SCRIPT, backend, args.benchmark, "--scale", str(args.scale),
               "--t-stop-ms", str(args.t_stop_ms), "--seed", "1",
               "--brian2-codegen", args.brian2_codegen]
    load_before = load_average()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    simulate = float(re.search(r"simulate ([0-9.]+) s", result.stdout).group(1))
    rates = re.findall(r"(exc|inh): rate ([0-9.]+) Hz, CV ([0-9.na]+)", result.stdout)
    return {"backend": backend, "wall_s": wall, "simulate_s": simulate,
            "cpu_s": (cpu_after.ru_utime - cpu_before.ru_utime
                      + cpu_after.ru_stime - cpu_before.ru_stime),
            "load_before": load_before, "load_after": load_average(),
            "rates_hz": {p: float(r) for p, r, _ in rates},
            "cv": {p: float(c) for p, _, c in rates}}


def commit():
    try:
        return subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--benchmark", default="COBA", choices=["COBA", "CUBA"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--t-stop-ms", type=float, default=1000.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--brian2-codegen", default="numpy", choices=["numpy", "cython"])
    parser.add_argument("--json", help="append one JSON record per run to this file")
    args = parser.parse_args()
    runs = []
    for repeat in range(args.repeats):
        order = ["spikeweave", "brian2"] if repeat % 2 == 0 else ["brian2", "spikeweave"]
        for backend in order:
            record = run_once(backend, args)
            record.update(repeat=repeat, benchmark=args.benchmark, scale=args.scale,
                          t_stop_ms=args.t_stop_ms, brian2_codegen=args.brian2_codegen,
                          commit=commit(), date=datetime.date.today().isoformat())
            runs.append(record)
            print(json.dumps(record), flush=True)
            if args.json:
                with open(args.json, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")

    def summary(backend, key):
        values = [r[key] for r in runs if r["backend"] == backend]
        return statistics.median(values), min(values), max(values)
    print(f"\n{args.benchmark}, scale {args.scale}, {args.t_stop_ms:g} ms, {args.repeats} "
          f"repeats, Brian2 {args.brian2_codegen}: median [min, max]")
    print("| backend | whole script s | simulation s | CPU s | load avg |")
    print("|---|---|---|---|---|")
    for backend in ("spikeweave", "brian2"):
        loads = [r[k] for r in runs if r["backend"] == backend
                 for k in ("load_before", "load_after")]
        cells = [f"{m:.3g} [{lo:.3g}, {hi:.3g}]" for m, lo, hi in
                 (summary(backend, "wall_s"), summary(backend, "simulate_s"))]
        print(f"| {backend} | {cells[0]} | {cells[1]} | {summary(backend, 'cpu_s')[0]:.3g} | "
              f"{min(loads):.1f}-{max(loads):.1f} |")
    for key, name in (("wall_s", "whole script"), ("simulate_s", "simulation")):
        ratio = summary("brian2", key)[0] / summary("spikeweave", key)[0]
        print(f"{name}: Brian2 / SpikeWeave = {ratio:.1f}x (medians)")


if __name__ == "__main__":
    main()
