#!/usr/bin/python3
"""Turns benchmark records (JSONL from run_bench.py) into plots.

    plot_bench.py RESULTS.jsonl [more.jsonl ...] [--network hpc_benchmark] [--series weak|strong]
                  [--out-dir benchmarks/plots] [--format png|svg] [--name-filter TEXT] [--prefix P]

For every (network, series) group in the records it writes (names prefixed with --prefix)
  <network>_<series>_scaling.<fmt>  simulation wall time against ranks with the ideal line
                                    (strong: T(1) / n; weak: T(1)) and, past the core count, the
                                    ideal on the machine's cores (strong: T(1) / cores; weak:
                                    T(1) n / cores), and the parallel efficiency;
  <network>_<series>_phases.<fmt>   stacked per-phase seconds (update, deliver, exchange,
                                    stimulus, plasticity, record, io, other) per rank count.
Records without a series give one phases plot per network (<network>_runs_phases.<fmt>).
Repetitions are summarised by their median (error bars: min and max). Oversubscribed runs
(more ranks than cores) are drawn with open markers and hatched bars, and labelled so: they
measure communication overhead, not speed-up.
"""
import argparse
import collections
import json
import os
import statistics
import sys

PHASES = ["update", "deliver", "exchange", "stimulus", "plasticity", "record", "io", "other"]
COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]


def load(paths):
    records = []
    for path in paths:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"plot_bench.py: {path}:{n}: not a JSON record ({e})")
    return records


def phase_values(r):
    values = dict(r.get("phase_seconds", {}))
    values["other"] = r.get("other_seconds", 0.0)
    return [values.get(p, 0.0) for p in PHASES]


def by_ranks(records):
    groups = collections.OrderedDict()
    for r in sorted(records, key=lambda r: r["ranks"]):
        groups.setdefault(r["ranks"], []).append(r)
    return groups


def plot_scaling(plt, network, series, records, path):
    groups = by_ranks(records)
    ranks = list(groups)
    med = [statistics.median(r["simulate_seconds"] for r in groups[n]) for n in ranks]
    lo = [min(r["simulate_seconds"] for r in groups[n]) for n in ranks]
    hi = [max(r["simulate_seconds"] for r in groups[n]) for n in ranks]
    over = [any(r["oversubscribed"] for r in groups[n]) for n in ranks]
    base_n, base_t = ranks[0], med[0]
    if series == "strong":
        ideal = [base_t * base_n / n for n in ranks]
        eff = [base_t * base_n / (t * n) for n, t in zip(ranks, med)]
    else:
        ideal = [base_t for _ in ranks]
        eff = [base_t / t for t in med]
    # What the machine's cores allow: ranks beyond the core count share cores.
    cores = max(r.get("cores", 1) for r in records)
    if series == "strong":
        capped = [base_t * base_n / min(n, cores) for n in ranks]
    else:
        capped = [base_t * max(1.0, n / cores) for n in ranks]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax.plot(ranks, ideal, "k--", label="ideal")
    if any(n > cores for n in ranks):
        ax.plot(ranks, capped, "k:", label=f"ideal on {cores} cores")
    for n, t, l, h, o in zip(ranks, med, lo, hi, over):
        ax.errorbar([n], [t], yerr=[[t - l], [h - t]], fmt="o", color="#4c72b0",
                    mfc="white" if o else "#4c72b0", capsize=3)
    ax.plot(ranks, med, "-", color="#4c72b0", label="SpikeWeave (median)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(ranks)
    ax.set_xticklabels([str(n) + ("*" if o else "") for n, o in zip(ranks, over)])
    ax.set_xlabel("MPI ranks (* = oversubscribed: more ranks than cores)")
    ax.set_ylabel("simulation wall time [s]")
    ax.set_title(f"{network}: {series} scaling")
    ax.legend()
    ax2.bar([str(n) + ("*" if o else "") for n, o in zip(ranks, over)], eff,
            color=["white" if o else "#4c72b0" for o in over], edgecolor="#4c72b0",
            hatch=None)
    ax2.axhline(1.0, color="k", ls="--")
    ax2.set_ylabel("parallel efficiency")
    ax2.set_xlabel("MPI ranks")
    ax2.set_title("efficiency (strong: T1/(n Tn); weak: T1/Tn)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_phases(plt, network, series, records, path):
    groups = by_ranks(records)
    labels, stacks, over = [], [], []
    for n, rs in groups.items():
        labels.append(str(n) + ("*" if any(r["oversubscribed"] for r in rs) else ""))
        stacks.append([statistics.median(v) for v in zip(*[phase_values(r) for r in rs])])
        over.append(any(r["oversubscribed"] for r in rs))
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(labels) + 3), 4))
    bottom = [0.0] * len(labels)
    for i, phase in enumerate(PHASES):
        values = [s[i] for s in stacks]
        if not any(values):
            continue
        ax.bar(labels, values, bottom=bottom, color=COLOURS[i], label=phase,
               hatch=None, edgecolor="black", linewidth=0.3)
        bottom = [b + v for b, v in zip(bottom, values)]
    for x, o in enumerate(over):
        if o:
            ax.text(x, bottom[x], "oversubscribed", ha="center", va="bottom", fontsize=7)
    ax.set_xlabel("MPI ranks (* = oversubscribed)")
    ax.set_ylabel("seconds (max over ranks, median of runs)")
    ax.set_title(f"{network}: per-phase time" + (f" ({series} scaling)" if series else ""))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="+")
    ap.add_argument("--network", help="only this network")
    ap.add_argument("--series", choices=["weak", "strong"], help="only this series")
    ap.add_argument("--name-filter", help="only records whose name contains this text")
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "plots"))
    ap.add_argument("--format", choices=["png", "svg"], default="png")
    ap.add_argument("--prefix", default="", help="prepended to every file name")
    args = ap.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records = load(args.jsonl)
    if args.network:
        records = [r for r in records if r["network"] == args.network]
    if args.series:
        records = [r for r in records if r.get("series") == args.series]
    if args.name_filter:
        records = [r for r in records if args.name_filter in r["name"]]
    if not records:
        raise SystemExit("plot_bench.py: no records match")
    os.makedirs(args.out_dir, exist_ok=True)
    groups = collections.OrderedDict()
    for r in records:
        groups.setdefault((r["network"], r.get("series")), []).append(r)
    written = []
    for (network, series), rs in groups.items():
        stem = os.path.join(args.out_dir, f"{args.prefix}{network}_{series or 'runs'}")
        if series and len(by_ranks(rs)) >= 2:
            plot_scaling(plt, network, series, rs, f"{stem}_scaling.{args.format}")
            written.append(f"{stem}_scaling.{args.format}")
        plot_phases(plt, network, series, rs, f"{stem}_phases.{args.format}")
        written.append(f"{stem}_phases.{args.format}")
    for w in written:
        print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
