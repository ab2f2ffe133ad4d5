#!/usr/bin/python3
"""Smoke test of the benchmark drivers (CTest label "benchmark"): each script runs end to end on
tiny networks and produces well-formed records and plots. No timing is asserted (a timed
assertion is not a test); the checks are on counts that the engine and the scripts must agree on.

    test_bench_drivers.py --binary SPIKEWEAVE --source-dir DIR --work-dir DIR [--part drivers|compare]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

PY = "/usr/bin/python3"
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message, flush=True)


def run(cmd, expect_ok=True, **kw):
    print("+", " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if expect_ok and proc.returncode != 0:
        print(proc.stdout, proc.stderr)
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return proc


def records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def is_png(path):
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_run_bench_and_plots(a, bench, work):
    jsonl = os.path.join(work, "bench.jsonl")
    base = [PY, os.path.join(bench, "run_bench.py"), "--binary", a.binary, "--jsonl", jsonl,
            "--work-dir", work]
    # Strong series of the static network on 1 and 2 ranks, weak series of the plastic one.
    run(base + ["hpc_benchmark", "--scale", "0.01", "--t-ms", "20", "--series", "strong",
                "--ranks-list", "1,2"])
    run(base + ["hpc_benchmark_plastic", "--scale", "0.01", "--t-ms", "20", "--series", "weak",
                "--ranks-list", "1,2"])
    rs = records(jsonl)
    check(len(rs) == 4, f"expected 4 records, got {len(rs)}")
    required = ["name", "git_commit", "backend", "ranks", "threads", "neurons_per_rank",
                "synapses_per_rank", "build_seconds", "phase_seconds", "real_time_factor",
                "events_per_second", "peak_rss_bytes_sum", "bytes_per_synapse", "oversubscribed"]
    for r in rs:
        missing = [k for k in required if k not in r]
        check(not missing, f"{r.get('name')}: missing keys {missing}")
        # hpc_benchmark: every neuron has 9000 + 2250 incoming synapses at any scale.
        check(r["synapses"] == r["neurons"] * 11250,
              f"{r['name']}: {r['synapses']} synapses for {r['neurons']} neurons, expected x 11250")
        check(set(r["phase_seconds"]) >= {"update", "deliver", "exchange", "plasticity", "io"},
              f"{r['name']}: phases {sorted(r['phase_seconds'])}")
        check(r["t_sim_ms"] == 20.0, f"{r['name']}: simulated {r['t_sim_ms']} ms, asked for 20")
        # Oversubscribed means more ranks x threads than cores, as run_bench.py decides it.
        busy = r["ranks"] * r.get("threads", 1)
        check(r["oversubscribed"] == (busy > (os.cpu_count() or 1)),
              f"{r['name']}: oversubscribed flag {r['oversubscribed']} with {r['ranks']} ranks x "
              f"{r.get('threads', 1)} threads")
        check(r["synaptic_events"] > 0 and r["spikes"] > 0, f"{r['name']}: no activity")
    strong = [r for r in rs if r["series"] == "strong"]
    check([r["neurons"] for r in strong] == [113, 113],  # 90 + 22.5 rounded half up
          f"strong series sizes {[r['neurons'] for r in strong]}")
    # Same network, same seed: the spike count does not depend on the number of ranks.
    check(len({r["spikes"] for r in strong}) == 1,
          f"strong series spike counts differ over ranks: {[r['spikes'] for r in strong]}")
    weak = [r for r in rs if r["series"] == "weak"]
    check([r["neurons_per_rank"] for r in weak] == [weak[0]["neurons_per_rank"]] * 2,
          f"weak series neurons per rank {[r['neurons_per_rank'] for r in weak]}")
    check(weak[1]["neurons"] == 2 * weak[0]["neurons"], "weak series does not double the network")
    check(len({r["name"] for r in rs}) == 4, "run names are not distinct")
    plots = os.path.join(work, "plots")
    out = run([PY, os.path.join(bench, "plot_bench.py"), jsonl, "--out-dir", plots]).stdout.split()
    expected = {f"{n}_{s}_{k}.png" for n, s in (("hpc_benchmark", "strong"),
                                               ("hpc_benchmark_plastic", "weak"))
                for k in ("scaling", "phases")}
    check({os.path.basename(p) for p in out} == expected, f"plots written: {out}")
    for p in out:
        check(os.path.exists(p) and is_png(p), f"{p} is not a PNG file")
    # Bad input: a clear message and a non-zero exit, no record appended.
    bad = run(base + ["no_such_network"], expect_ok=False)
    check(bad.returncode != 0 and "no_such_network" in bad.stderr, f"unknown network: {bad.stderr}")
    bad = run(base + ["coba", "--scale", "2"], expect_ok=False)
    check(bad.returncode != 0 and "--scale" in bad.stderr, f"--scale on coba: {bad.stderr}")
    check(len(records(jsonl)) == 4, "a failed run appended a record")


def test_microcircuit(a, bench, work):
    gen = os.path.join(bench, "networks", "microcircuit.py")
    # Full-scale numbers of the generator (no simulation): 77,169 neurons, about 2.99e8 synapses.
    text = run([PY, gen, "--n-scaling", "1", "--k-scaling", "1"]).stdout
    header = [line for line in text.splitlines() if line.startswith("# N_scaling")][0]
    check("77169 neurons" in header, header)
    n_syn = int(header.split(",")[-1].split()[0])
    check(abs(n_syn - 2.99e8) / 2.99e8 < 0.005, f"full-scale synapses {n_syn}")
    check("87.8085 pA" in text, "PSC amplitude of a 0.15 mV PSP is not 87.81 pA")
    bad = run([PY, gen, "--n-scaling", "0"], expect_ok=False)
    check(bad.returncode != 0 and "--n-scaling" in bad.stderr, f"bad scaling: {bad.stderr}")
    jsonl = os.path.join(work, "mc.jsonl")
    kept = os.path.join(work, "mc_runs")
    run([PY, os.path.join(bench, "run_bench.py"), "microcircuit", "--scale", "0.02", "--k-scaling",
         "0.05", "--t-ms", "700", "--binary", a.binary, "--jsonl", jsonl, "--work-dir", work,
         "--keep-output", kept])
    (r,) = records(jsonl)
    check(r["neurons"] == sum(int(round(n * 0.02)) for n in
                              [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]),
          f"microcircuit neurons {r['neurons']}")
    h5 = os.path.join(kept, r["name"] + ".h5")
    summary = os.path.join(work, "mc_summary.json")
    out = run([PY, os.path.join(bench, "microcircuit_analysis.py"), h5, "--out-dir", work,
               "--prefix", "mc", "--json", summary]).stdout
    s = json.load(open(summary))
    check([p["population"] for p in s["populations"]] ==
          ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"], "populations")
    # The network is active: every population fires (a silent or runaway network would show
    # here even at this tiny size; the rate comparison itself is in RESULTS.md).
    for p in s["populations"]:
        check(0.05 < p["rate_hz"] < 100.0, f"{p['population']} rate {p['rate_hz']}")
    for name in ("mc_rates.png", "mc_raster.png"):
        check(is_png(os.path.join(work, name)), f"{name} missing")
    check("| L23E |" in out, "no Markdown table")


def test_compare(a, bench, work):
    try:
        subprocess.run([PY, "-c", "import brian2"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        print("brian2 is not installed (python3-brian): skipping the comparison smoke test")
        return 77
    jsonl = os.path.join(work, "compare.jsonl")
    out = run([PY, os.path.join(bench, "compare", "compare.py"), "coba", "--reps", "2", "--t-ms",
               "50", "--scale", "0.1", "--binary", a.binary, "--jsonl", jsonl, "--work-dir",
               os.path.join(work, "compare")]).stdout
    rs = records(jsonl)
    check(len(rs) == 4, f"expected 4 comparison records, got {len(rs)}")
    check(sorted(r["simulator"].split()[0] for r in rs) == ["Brian2"] * 2 + ["SpikeWeave"] * 2,
          "simulators")
    for r in rs:
        check(r["sizes"] == {"E": 320, "I": 80}, f"{r['simulator']} sizes {r['sizes']}")
        # p = 0.02 of 400 x 400 pairs: 3200 expected, sd 56; 6 sd.
        check(abs(r["synapses"] - 3200) < 340, f"{r['simulator']}: {r['synapses']} synapses")
    check("ratio Brian2/SpikeWeave" in out, "no summary line")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--part", choices=["drivers", "compare"], default="drivers")
    a = ap.parse_args()
    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    bench = os.path.join(a.source_dir, "benchmarks")
    work = os.path.join(a.work_dir, a.part)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    code = 0
    if a.part == "drivers":
        test_run_bench_and_plots(a, bench, work)
        test_microcircuit(a, bench, work)
    else:
        code = test_compare(a, bench, work)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        return 1
    print("all checks passed")
    return code


if __name__ == "__main__":
    sys.exit(main())
