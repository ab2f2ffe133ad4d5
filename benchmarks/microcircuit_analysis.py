#!/usr/bin/python3
"""Validation of a microcircuit run (benchmarks/networks/microcircuit.py) against the reference rates.

    microcircuit_analysis.py RUN.h5 [--t-start-ms 500] [--bin-ms 2] [--pairs-neurons 200]
                             [--raster-neurons 8000] [--out-dir benchmarks/plots]
                             [--prefix microcircuit] [--json SUMMARY.json]

Per population (spikes after the warm-up --t-start-ms, 500 ms as in the published protocol):
- mean rate over all neurons (silent ones included) and its deviation from the "full mean rate"
  column of ../shared/reference/microcircuit.md (the rates of the full-scale network);
- CV of the inter-spike intervals, averaged over neurons with at least 3 spikes;
- mean pairwise Pearson correlation of spike counts in --bin-ms bins, over all pairs of the
  first --pairs-neurons neurons with at least one spike (the measure of the PD14 benchmark
  literature: 2 ms bins, 200 neurons).
Writes <prefix>_rates.<fmt> (box plot of per-neuron rates with the reference means marked),
<prefix>_raster.<fmt> (100 ms after the warm-up, layers top to bottom; at most --raster-neurons
neurons, the same fraction of every population, as in NEST's example), a Markdown table on
standard output and, with --json, the numbers.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "networks"))
from microcircuit import FULL_MEAN_RATES_HZ, POPULATIONS  # noqa: E402


def load(path):
    import h5py
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = None
    with h5py.File(path, "r") as f:
        prov = f["provenance"]
        t_stop = float(prov.attrs["t_stop_ms"])
        sizes = {}
        if tomllib is not None:
            text = prov.attrs["config_toml"]
            text = text.decode() if isinstance(text, bytes) else str(text)
            cfg = tomllib.loads(text)
            sizes = {p["name"]: int(p["size"]) for p in cfg["population"]}
        spikes = {}
        for name in POPULATIONS:
            g = f[f"spikes/{name}"]
            if not sizes.get(name):
                sizes[name] = int(g.attrs["n_nodes"])
            spikes[name] = (np.asarray(g["timestamps"][:], dtype=float),
                            np.asarray(g["node_ids"][:], dtype=np.int64))
    return t_stop, sizes, spikes


def cv_isi(times, ids, n):
    order = np.lexsort((times, ids))
    t, i = times[order], ids[order]
    cvs = []
    bounds = np.searchsorted(i, np.arange(n + 1))
    for k in range(n):
        ts = t[bounds[k]:bounds[k + 1]]
        if ts.size >= 3:
            isi = np.diff(ts)
            if isi.mean() > 0:
                cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs)) if cvs else float("nan"), len(cvs)


def pairwise_correlation(times, ids, n, t0, t1, bin_ms, max_neurons):
    active = np.unique(ids)[:max_neurons]
    if active.size < 2:
        return float("nan"), int(active.size)
    edges = np.arange(t0, t1 + bin_ms, bin_ms)
    counts = np.zeros((active.size, edges.size - 1))
    index = {int(g): k for k, g in enumerate(active)}
    for tt, gg in zip(times, ids):
        k = index.get(int(gg))
        if k is not None:
            b = int((tt - t0) // bin_ms)
            if 0 <= b < counts.shape[1]:
                counts[k, b] += 1
    c = np.corrcoef(counts)
    upper = c[np.triu_indices(active.size, 1)]
    upper = upper[np.isfinite(upper)]
    return float(upper.mean()) if upper.size else float("nan"), int(active.size)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run")
    ap.add_argument("--t-start-ms", type=float, default=500.0)
    ap.add_argument("--bin-ms", type=float, default=2.0)
    ap.add_argument("--pairs-neurons", type=int, default=200)
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "plots"))
    ap.add_argument("--prefix", default="microcircuit")
    ap.add_argument("--format", choices=["png", "svg"], default="png")
    ap.add_argument("--raster-neurons", type=int, default=8000,
                    help="neurons shown in the raster (the first of each population, in proportion)")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    t_stop, sizes, spikes = load(args.run)
    if not t_stop > args.t_start_ms:
        raise SystemExit(f"microcircuit_analysis.py: the run ends at {t_stop} ms, before the "
                         f"warm-up ends ({args.t_start_ms} ms)")
    duration_s = (t_stop - args.t_start_ms) * 1e-3
    rows, per_neuron = [], {}
    for p, name in enumerate(POPULATIONS):
        times, ids = spikes[name]
        keep = times > args.t_start_ms
        times, ids = times[keep], ids[keep]
        n = sizes[name]
        counts = np.bincount(ids, minlength=n)[:n]
        per_neuron[name] = counts / duration_s
        rate = float(counts.sum() / (n * duration_s))
        cv, n_cv = cv_isi(times, ids, n)
        corr, n_corr = pairwise_correlation(times, ids, n, args.t_start_ms, t_stop, args.bin_ms,
                                            args.pairs_neurons)
        ref = FULL_MEAN_RATES_HZ[p]
        rows.append({"population": name, "neurons": n, "rate_hz": rate, "reference_rate_hz": ref,
                     "rate_deviation": (rate - ref) / ref, "cv_isi": cv, "cv_neurons": n_cv,
                     "correlation": corr, "correlation_neurons": n_corr,
                     "silent_fraction": float(np.mean(counts == 0))})
    print(f"Spikes after {args.t_start_ms:g} ms to {t_stop:g} ms of {args.run}\n")
    print("| population | neurons | rate (Hz) | reference (Hz) | deviation | CV ISI | "
          f"correlation ({args.bin_ms:g} ms bins) | silent |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['population']} | {r['neurons']} | {r['rate_hz']:.3f} | {r['reference_rate_hz']:.3f} | "
              f"{r['rate_deviation'] * 100:+.1f}% | {r['cv_isi']:.3f} | {r['correlation']:.4f} | "
              f"{r['silent_fraction'] * 100:.1f}% |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"run": args.run, "t_start_ms": args.t_start_ms, "t_stop_ms": t_stop,
                       "populations": rows}, f, indent=1)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(args.out_dir, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    names = list(reversed(POPULATIONS))
    ax.boxplot([per_neuron[n] for n in names], vert=False, labels=names, showfliers=False,
               medianprops={"color": "black"})
    ax.scatter([r["rate_hz"] for r in reversed(rows)], range(1, 9), marker="o", color="#c44e52",
               zorder=3, label="mean (SpikeWeave)")
    ax.scatter([FULL_MEAN_RATES_HZ[POPULATIONS.index(n)] for n in names], range(1, 9), marker="x",
               color="#4c72b0", zorder=3, label="reference (full-scale mean)")
    ax.set_xlabel("firing rate [Hz]")
    ax.set_title("Microcircuit: per-neuron rates")
    ax.legend(fontsize=8)
    fig.tight_layout()
    rate_path = os.path.join(args.out_dir, f"{args.prefix}_rates.{args.format}")
    fig.savefig(rate_path)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 5))
    t0, t1 = args.t_start_ms, min(t_stop, args.t_start_ms + 100.0)
    offset, ticks = 0, []
    fraction = min(1.0, args.raster_neurons / max(1, sum(sizes.values())))
    shown = {name: max(1, int(round(sizes[name] * fraction))) for name in POPULATIONS}
    total = sum(shown.values())
    for p, name in enumerate(POPULATIONS):
        times, ids = spikes[name]
        keep = (times >= t0) & (times < t1) & (ids < shown[name])
        ax.plot(times[keep], total - (offset + ids[keep]), ".", ms=1,
                color="#4c72b0" if p % 2 == 0 else "#c44e52")
        ticks.append((total - offset - shown[name] / 2, name))
        offset += shown[name]
    ax.set_yticks([t for t, _ in ticks])
    ax.set_yticklabels([n for _, n in ticks])
    ax.set_xlabel("time [ms]")
    ax.set_title("Microcircuit: raster (blue excitatory, red inhibitory)"
                 + (f", {fraction * 100:.3g}% of the neurons" if fraction < 1.0 else ""))
    fig.tight_layout()
    raster_path = os.path.join(args.out_dir, f"{args.prefix}_raster.{args.format}")
    fig.savefig(raster_path)
    plt.close(fig)
    print(f"\n{rate_path}\n{raster_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
