#!/usr/bin/env python3
"""Neuron updates per second per core of each neuron model: one rank, 1e5 neurons, DC drive
(i_e_pa), no synapses, no recording, 1 s of biological time at dt = 0.1 ms (1e9 updates); the
models integrated by the adaptive RKF45 (aeif_cond_exp, hh_psc_alpha), some hundred times
dearer per update, run 50 ms (5e7 updates).
Runs the models alternately, `--repeats` rounds, and prints one JSON record per run and a
summary (median over rounds) of wall-clock updates/s and updates per CPU second of the process.

    benchmarks/models_dc.py build/bin/spikeweave [--repeats 3] [--out FILE.jsonl] [--models ...]
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time

N, T_MS, DT_MS = 100_000, 1000.0, 0.1
# Drives that make every model fire tonically (about 20-50 Hz).
MODELS = {
    "lif_psc_exp": "i_e_pa = 500.0",
    "lif_cond_exp": "i_e_pa = 400.0",
    "lif_psc_exp_adaptive": "i_e_pa = 500.0, theta_plus_mv = 0.05, b_pa = 10.0",
    "lif_cond_exp_adaptive": "i_e_pa = 400.0, theta_plus_mv = 0.05, b_pa = 10.0",
    "izhikevich": "i_e_pa = 10.0",
    "aeif_cond_exp": "i_e_pa = 800.0",
    "hh_psc_alpha": "i_e_pa = 1000.0",
}
# Biological time per model [ms] where it is not T_MS.
T_MS_OF = {"aeif_cond_exp": 50.0, "hh_psc_alpha": 50.0}


def network(model, params):
    t_ms = T_MS_OF.get(model, T_MS)
    return (f'[simulation]\ndt_ms = {DT_MS}\nt_stop_ms = {t_ms}\nseed = 1\noutput = ""\n'
            f'[[population]]\nname = "n"\nsize = {N}\nmodel = "{model}"\n'
            f"params = {{ {params} }}\n")


def run(binary, model, params, directory):
    path = os.path.join(directory, model + ".toml")
    with open(path, "w") as f:
        f.write(network(model, params))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([binary, "run", path], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    text = out.stdout + out.stderr
    # The real-time factor has more digits than the duration (which turns into "1 min 05 s").
    t_ms = T_MS_OF.get(model, T_MS)
    # The summary line is the last with a real-time factor (progress lines print estimates).
    sim_s = float(re.findall(r"real-time factor ([0-9.]+)", text)[-1]) * t_ms / 1000.0
    spikes = int(re.search(r"n\s+(\d+) spikes", text).group(1))
    updates = N * round(t_ms / DT_MS)
    return {
        "model": model, "neurons": N, "steps": round(t_ms / DT_MS), "simulation_s": sim_s,
        "process_wall_s": wall, "process_cpu_s": (after.ru_utime - before.ru_utime) +
        (after.ru_stime - before.ru_stime), "spikes": spikes,
        "updates_per_s": updates / sim_s, "loadavg": os.getloadavg(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out")
    parser.add_argument("--models", nargs="*", default=list(MODELS), choices=list(MODELS))
    args = parser.parse_args()
    version = subprocess.run([args.binary, "--version"], capture_output=True, text=True).stdout
    records = []
    with tempfile.TemporaryDirectory() as directory:
        for _ in range(args.repeats):
            for model in args.models:
                r = run(args.binary, model, MODELS[model], directory)
                r["version"] = version.strip()
                records.append(r)
                print(json.dumps(r), flush=True)
    if args.out:
        with open(args.out, "a") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")
    print("| model | updates/s (median) | ns/update | mean rate Hz |")
    for model in args.models:
        mine = [r for r in records if r["model"] == model]
        rate = statistics.median(r["updates_per_s"] for r in mine)
        hz = mine[0]["spikes"] / N / (T_MS_OF.get(model, T_MS) / 1000.0)
        print(f"| `{model}` | {rate / 1e6:.3g} M | {1e9 / rate:.2f} | {hz:.1f} |")


if __name__ == "__main__":
    main()
