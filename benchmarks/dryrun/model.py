#!/usr/bin/python3
"""A MODEL of weak-scaling efficiency of the static hpc_benchmark, from dry-run measurements.

    T_interval(P) = T_compute(P) + T_alltoallv(P) + T_imbalance(P)

- T_compute(P): this rank's work per communication interval (update, stimulus, delivery, packing
  and sorting of spikes: everything but the MPI calls), MEASURED by a dry run of rank 0 of P
  (`spikeweave run --dry-run 0/P`, run_dryrun.py sweep), in process CPU seconds without the
  time the dry run spends fabricating the other ranks' spikes.
- T_alltoallv(P): MODELLED. Per interval the MPI context makes two calls: MPI_Alltoall of one int
  per rank (the counts), then MPI_Alltoallv of the spike words. The model takes the bytes and the
  messages per rank per interval that the dry run measured and an InfiniBand HDR network
  (NETWORKS below), with the algorithm Open MPI's coll/tuned picks for the communicator size
  (ompi_coll_tuned_alltoallv_intra_dec_fixed: pairwise for P < 4, 64..127 and 256..1023; basic
  linear for 4..63, 128..255 and >= 1024; both send P - 1 messages per rank per call, empty ones
  included):
    pairwise:  (P - 1) steps, each a blocking sendrecv: (P - 1) * alpha + B / beta
    linear:    every send and receive posted at once: alpha + (P - 1) * g + B / beta
    counts:    modified Bruck (Open MPI's choice for 4-byte blocks at P >= 16; used for all P):
               ceil(log2 P) * (alpha + 2 P / beta)   [each round moves P/2 blocks of 4 bytes]
  with B = max(bytes sent, bytes received) per rank per interval.
- T_imbalance(P): every interval ends for all ranks when the slowest is done. The ranks hold
  different neurons and synapses, so their work differs; with rank-to-rank relative standard
  deviation s of the work, the slowest of P ranks is about s * sqrt(2 ln P) above the mean.
  s is measured by dry runs of ranks R = 0, P/4, P/2, 3P/4 of the same P: the relative spread
  of their synaptic events and delivered spikes (what the work is made of; counts carry no
  timing noise), the largest over the P measured. The spread of their CPU times is reported
  too but not used: on this shared machine it is run-to-run noise (up to 8% where the counts
  differ by 0.04%).
      T_imbalance(P) = T_compute(P) * s * sqrt(2 ln P).
  Interval-to-interval fluctuations of the network's activity are common to all ranks (at these
  P every rank receives spikes from 93-100% of all neurons) and are not imbalance; operating-
  system noise is not modelled.

Nodes: 1 rank per node, the rank single-threaded with 11,250 neurons (one core's worth, as
measured): P ranks = P nodes, T(1) = T_compute(1) (one rank: no network). Efficiency
E(P) = T(1) / T(P). Every assumption is listed in docs/dryrun.md.

The check against real runs here (run_dryrun.py check) predicts a real P-rank run on this
machine from the dry runs of every rank r of P: wall per interval = max_r W_r + T_bench(P) with
P <= cores, or sum_r W_r / cores + T_bench(P) oversubscribed (the ranks share the cores), where
T_bench is this machine's measured MPI_Alltoall + MPI_Alltoallv time (run_dryrun.py bench) at the
measured words per peer; CPU per interval = sum_r W_r, against the real ranks' CPU seconds in the
time loop (read from /proc when rank 0 reports the end of the build and 100% of the simulated
time; they include MPI calls and polling while waiting).

    model.py                      # tables to stdout, plots to benchmarks/plots/dryrun_*.png
    model.py --json model.json    # the numbers as JSON
"""
import argparse
import json
import math
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESULTS = os.path.join(HERE, "results")
PLOTS = os.path.join(ROOT, "benchmarks", "plots")
WORD_BYTES = 8  # a spike is one 64-bit word (gid << 8 | lag)

# The modelled network. HDR InfiniBand: 4 lanes x 50 Gb/s = 200 Gb/s = 25 GB/s per link and
# direction (signalling rate; the model ignores the ~3% of encoding and header overhead).
# alpha: MPI small-message one-way latency (half ping-pong) over an HDR switch, of order 1 us
# with Open MPI + UCX on ConnectX-6 (vendor figures: ~0.6 us adapter latency plus software and
# one switch hop). g: the gap between consecutive small messages one process can inject when
# all are posted at once (basic linear): 0.2 us, i.e. 5 M messages per second per process, well
# below the adapter's message rate (~200 M/s) since one core posts, matches and completes them.
NETWORKS = {
    "hdr": {"label": "InfiniBand HDR (model)", "alpha": 1.0e-6, "beta": 25.0e9, "gap": 0.2e-6},
    # Sensitivity: twice the latency and gap, half the bandwidth (a loaded or tapered network).
    "hdr_slow": {"label": "HDR, 2x latency/gap, half bandwidth", "alpha": 2.0e-6,
                 "beta": 12.5e9, "gap": 0.4e-6},
}
NODES = (1, 2, 4, 16, 64, 256, 1024)


def ompi_alltoallv_algorithm(ranks):
    """Open MPI coll/tuned's fixed decision for MPI_Alltoallv (by communicator size only)."""
    if ranks < 4:
        return "pairwise"
    if ranks < 64:
        return "linear"
    if ranks < 128:
        return "pairwise"
    if ranks < 256:
        return "linear"
    if ranks < 1024:
        return "pairwise"
    return "linear"


def t_counts(ranks, net):
    """MPI_Alltoall of one int per rank (the counts), modified Bruck."""
    if ranks <= 1:
        return 0.0
    rounds = math.ceil(math.log2(ranks))
    return rounds * (net["alpha"] + (ranks / 2) * 4 / net["beta"])


def t_alltoallv(ranks, bytes_per_interval, net, algorithm=None):
    """MPI_Alltoallv of `bytes_per_interval` bytes (to all other ranks together) per rank."""
    if ranks <= 1:
        return 0.0
    algorithm = algorithm or ompi_alltoallv_algorithm(ranks)
    transfer = bytes_per_interval / net["beta"]
    if algorithm == "pairwise":
        return (ranks - 1) * net["alpha"] + transfer
    if algorithm == "linear":
        return net["alpha"] + (ranks - 1) * net["gap"] + transfer
    raise ValueError(f"unknown algorithm {algorithm}")


def t_imbalance(ranks, t_compute, spread):
    """Expected excess of the slowest of `ranks` ranks over the mean (relative spread)."""
    return t_compute * spread * math.sqrt(2.0 * math.log(ranks)) if ranks > 1 else 0.0


def rank_spread(records):
    """{P: {"cpu", "events", "spikes"}}: relative standard deviation across the dry-run ranks R
    of one P (at least 3 ranks; each rank's median over repeats) of the CPU work per interval,
    of the synaptic events and of the spikes delivered. The counts drive the work and carry no
    timing noise; the CPU spread also holds this shared machine's run-to-run noise."""
    by_p = {}
    for r in records:
        if r.get("kind") == "dry-run":
            f = dry_figures(r)
            by_p.setdefault(r["ranks"], {}).setdefault(r["rank"], []).append(
                (f["cpu"], f["events"], f["spikes_received"]))
    out = {}
    for p, ranks in by_p.items():
        if len(ranks) >= 3:
            spread = {}
            for i, key in enumerate(("cpu", "events", "spikes")):
                values = [statistics.median(v[i] for v in runs) for runs in ranks.values()]
                spread[key] = statistics.stdev(values) / statistics.mean(values)
            out[p] = spread
    return out


def spread_used(spreads):
    """The imbalance spread of the model: the largest count spread over the P measured."""
    return max((max(s["events"], s["spikes"]) for s in spreads.values()), default=0.0)


def load_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


PHASES = ("update", "stimulus", "deliver", "record", "plasticity")


def dry_figures(r):
    """Per-interval figures of one dry-run record: CPU work (without the fabrication), its split
    into phases (the wall-clock phase shares scaled to the CPU total), traffic and sigma."""
    n = r["intervals"]
    cpu = (r["loop_cpu_seconds"] - r["fabricate_cpu_seconds"]) / n
    wall = (r["run_seconds"] - r["fabricate_seconds"]) / n
    scale = cpu / wall if wall > 0 else 0.0
    ph = r["phase_seconds"]
    phases = {p: ph.get(p, 0.0) / n * scale for p in PHASES}
    phases["exchange_local"] = r.get("exchange_local_seconds", 0.0) / n * scale
    phases["other"] = max(0.0, cpu - sum(phases.values()))
    if "interval_work_cpu_sd_seconds" in r:
        sigma = r["interval_work_cpu_sd_seconds"]
    else:  # records made before the CPU distribution was recorded
        sigma = r["interval_work_sd_seconds"] * scale
    return {
        "cpu": cpu, "wall": wall, "phases": phases, "sigma": sigma,
        "bytes_sent": r["words_sent_remote"] * WORD_BYTES / n,
        "bytes_received": r["words_received_remote"] * WORD_BYTES / n,
        "messages_sent": r["messages_sent_remote"] / n,
        "messages_received": r["messages_received_remote"] / n,
        "spikes_received": r["spikes_delivered"] / n,
        "events": r["synaptic_events"] / n,
        "build_seconds": r["build_seconds"], "peak_rss_bytes": r["peak_rss_bytes"],
    }


def summarise(records):
    """Median (and min, max) over repeats of every figure, per P, from rank-0 dry runs."""
    by_p = {}
    for r in records:
        if r.get("kind") == "dry-run" and r["rank"] == 0:
            by_p.setdefault(r["ranks"], []).append(dry_figures(r))
    out = {}
    for p, figs in sorted(by_p.items()):
        s = {"ranks": p, "repeats": len(figs)}
        for key in ("cpu", "wall", "sigma", "bytes_sent", "bytes_received", "messages_sent",
                    "messages_received", "spikes_received", "events", "build_seconds",
                    "peak_rss_bytes"):
            values = [f[key] for f in figs]
            s[key] = statistics.median(values)
            s[key + "_min"], s[key + "_max"] = min(values), max(values)
        s["phases"] = {k: statistics.median(f["phases"][k] for f in figs) for k in figs[0]["phases"]}
        out[p] = s
    return out


def model(summary, net, spread=0.0):
    """Modelled seconds per interval and efficiency for every measured P (= nodes); `spread` is
    the relative rank-to-rank spread of the work (0: no imbalance term)."""
    if 1 not in summary:
        sys.exit("model.py: the sweep has no P = 1 dry run (T(1))")
    t1 = summary[1]["cpu"]
    rows = []
    for p, s in sorted(summary.items()):
        b = max(s["bytes_sent"], s["bytes_received"])
        comm = t_counts(p, net) + t_alltoallv(p, b, net)
        imb = t_imbalance(p, s["cpu"], spread)
        total = s["cpu"] + comm + imb
        rows.append({"ranks": p, "nodes": p, "algorithm": ompi_alltoallv_algorithm(p) if p > 1 else "-",
                     "t_compute": s["cpu"], "t_alltoallv": comm, "t_imbalance": imb,
                     "t_interval": total, "efficiency": t1 / total,
                     "efficiency_compute_only": t1 / s["cpu"],
                     # Hypothetical: the network and imbalance terms on top of T(1)'s work, as
                     # if the per-rank work did not grow with P (isolates the network's share).
                     "efficiency_network_only": t1 / (t1 + comm + t_imbalance(p, t1, spread)),
                     "bytes_per_interval": b})
    return rows


def bench_table(records):
    """{(ranks, words_per_peer): median seconds} from alltoallv_bench (this machine)."""
    table = {}
    for r in records:
        table.setdefault((r["ranks"], r["words_per_peer"]), []).append(r["median_seconds"])
    return {k: statistics.median(v) for k, v in table.items()}


def t_bench(table, ranks, words_per_peer):
    """This machine's MPI_Alltoall + MPI_Alltoallv seconds at `words_per_peer`, interpolated
    linearly between the measured sizes (clamped to the largest)."""
    if ranks <= 1:
        return 0.0
    sizes = sorted(w for (p, w) in table if p == ranks)
    if not sizes:
        return float("nan")
    if words_per_peer <= sizes[0]:
        return table[(ranks, sizes[0])]
    for lo, hi in zip(sizes, sizes[1:]):
        if words_per_peer <= hi:
            f = (words_per_peer - lo) / (hi - lo)
            return (1 - f) * table[(ranks, lo)] + f * table[(ranks, hi)]
    return table[(ranks, sizes[-1])] * words_per_peer / sizes[-1]


def check(records, bench, cores):
    """Prediction of each real run here from the dry runs of all its ranks (same repeat)."""
    reals = [r for r in records if r.get("kind") == "real"]
    rows = []
    for real in reals:
        p, rep = real["ranks"], real.get("repeat", 0)
        drys = [dry_figures(r) for r in records if r.get("kind") == "dry-run"
                and r["ranks"] == p and r.get("repeat", 0) == rep]
        if len(drys) != p:
            continue
        works = [d["cpu"] for d in drys]
        words_per_peer = (statistics.mean(d["bytes_sent"] for d in drys) / WORD_BYTES /
                          max(1, p - 1))
        comm = t_bench(bench, p, words_per_peer)
        oversubscribed = p > cores
        pred_wall = (sum(works) / cores if oversubscribed else max(works)) + comm
        pred_cpu = sum(works)
        n = real["intervals"]
        meas_wall = (real["counters"]["simulate_seconds"] - real["phase_seconds"].get("io", 0.0)) / n
        row = {"ranks": p, "repeat": rep, "oversubscribed": oversubscribed,
               "load_1min": real.get("load_1min"),
               "predicted_wall": pred_wall, "measured_wall": meas_wall,
               "wall_error": pred_wall / meas_wall - 1.0,
               "predicted_cpu": pred_cpu, "t_bench": comm, "words_per_peer": words_per_peer}
        if real.get("loop_cpu_seconds_per_rank"):
            # Every rank's CPU seconds in the time loop (work, MPI calls and any waiting that
            # polls rather than sleeps), summed over ranks.
            meas_cpu = sum(real["loop_cpu_seconds_per_rank"]) / n
            row.update(measured_cpu=meas_cpu, cpu_error=pred_cpu / meas_cpu - 1.0,
                       measured_cpu_max_rank=max(real["loop_cpu_seconds_per_rank"]) / n,
                       predicted_cpu_max_rank=max(works))
        rows.append(row)
    return rows


def plot(rows_by_net, check_rows, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    styles = {("hdr", True): ("C0", "-", "o"), ("hdr", False): ("C0", "--", "s"),
              ("hdr_slow", True): ("C1", "-", "^")}
    for (name, imbalance), rows in rows_by_net.items():
        if (name, imbalance) not in styles:
            continue
        color, ls, marker = styles[(name, imbalance)]
        rows = [r for r in rows if r["nodes"] <= 1024]
        label = NETWORKS[name]["label"] + ("" if imbalance else ", no imbalance term")
        ax.plot([r["nodes"] for r in rows], [100 * r["efficiency"] for r in rows], ls,
                color=color, marker=marker, label=label)
    rows = [r for r in rows_by_net[("hdr", True)] if r["nodes"] <= 1024]
    ax.plot([r["nodes"] for r in rows], [100 * r["efficiency_compute_only"] for r in rows], ":",
            color="k", marker="x", label="compute only (no network)")
    ax.plot([r["nodes"] for r in rows], [100 * r["efficiency_network_only"] for r in rows], "-.",
            color="C2", marker="d",
            label="hypothetical: work fixed at T(1), network + imbalance only")
    ax.axhline(90, color="grey", lw=0.8)
    ax.text(1.5, 75, "target 90% at 1024 nodes", color="grey", fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_xticks(NODES)
    ax.set_xticklabels([str(n) for n in NODES])
    ax.set_xlabel("nodes (1 rank x 1 thread, 11,250 neurons per node)")
    ax.set_ylabel("weak-scaling efficiency T(1)/T(P) [%]")
    ax.set_yscale("log")
    ax.set_ylim(0.5, 120)
    ax.set_title("MODEL: static hpc_benchmark, dry-run work + modelled alltoallv", fontsize=9)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path_eff = os.path.join(out_dir, "dryrun_efficiency.png")
    fig.savefig(path_eff, dpi=130)
    plt.close(fig)

    paths = [path_eff]
    if check_rows:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        xs = [r["ranks"] + 0.06 * r["repeat"] for r in check_rows]
        ax.plot(xs, [1e3 * r["measured_wall"] for r in check_rows], "o", color="C0",
                label="measured wall / interval (real run)")
        ax.plot(xs, [1e3 * r["predicted_wall"] for r in check_rows], "x", color="C0", ms=9,
                label="predicted wall / interval")
        cpu_rows = [r for r in check_rows if "measured_cpu" in r]
        if cpu_rows:
            xc = [r["ranks"] + 0.06 * r["repeat"] for r in cpu_rows]
            ax.plot(xc, [1e3 * r["measured_cpu"] for r in cpu_rows], "s", color="C1",
                    label="measured CPU / interval (all ranks)")
            ax.plot(xc, [1e3 * r["predicted_cpu"] for r in cpu_rows], "+", color="C1", ms=11,
                    label="predicted CPU / interval (sum of dry runs)")
        ax.set_xscale("log", base=2)
        ax.set_xticks([1, 2, 4])
        ax.set_xticklabels(["1", "2", "4 (oversubscribed)"])
        ax.set_xlabel("MPI ranks on this 2-core machine")
        ax.set_ylabel("ms per 1.5 ms communication interval")
        ax.set_ylim(bottom=0)
        loads = [r["load_1min"] for r in check_rows if r.get("load_1min") is not None]
        load = f", load {min(loads):.0f}-{max(loads):.0f} from other users" if loads else ""
        ax.set_title("Dry-run prediction vs real runs here (static hpc_benchmark, 11,250 "
                     f"neurons/rank{load})", fontsize=8)
        ax.legend(fontsize=7)
        fig.tight_layout()
        path_check = os.path.join(out_dir, "dryrun_check.png")
        fig.savefig(path_check, dpi=130)
        plt.close(fig)
        paths.append(path_check)
    return paths


def fmt_ms(x):
    return f"{1e3 * x:.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sweep", default=os.path.join(RESULTS, "sweep_n11250.jsonl"))
    parser.add_argument("--check", default=os.path.join(RESULTS, "check_n11250.jsonl"))
    parser.add_argument("--bench", default=os.path.join(RESULTS, "alltoallv_here.jsonl"))
    parser.add_argument("--cores", type=int, default=2, help="cores of the machine of the check")
    parser.add_argument("--plots", default=PLOTS, help="folder for dryrun_*.png ('' for none)")
    parser.add_argument("--json", help="write the numbers here")
    args = parser.parse_args()

    sweep = load_jsonl(args.sweep)
    summary = summarise(sweep)
    spreads = rank_spread(sweep)
    spread = spread_used(spreads)
    rows_by_net = {(name, imb): model(summary, net, spread if imb else 0.0)
                   for name, net in NETWORKS.items() for imb in (True, False)}
    print("rank-to-rank spread (relative sd over dry-run ranks of one P) of CPU work / synaptic "
          "events / spikes delivered: " +
          (", ".join(f"P={p}: {100 * v['cpu']:.2f}% / {100 * v['events']:.3f}% / "
                     f"{100 * v['spikes']:.3f}%" for p, v in sorted(spreads.items())) or "none") +
          f"; used in T_imbalance: {100 * spread:.3f}%")
    print("MODEL (not a measurement): per-rank seconds per 1.5 ms interval; T_compute measured "
          "by dry runs (CPU), network modelled")
    print("| P = nodes | repeats | update ms | deliver ms | stimulus ms | exchange-side ms | "
          "T_compute ms (min-max) | spikes received/interval | bytes/interval (max of sent, received) | msgs/interval | alltoallv algorithm | "
          "T_alltoallv ms | T_imbalance ms | efficiency | eff. no imbalance | eff. compute only | "
          "eff. network only (work fixed at T(1)) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    hdr, hdr_noimb = rows_by_net[("hdr", True)], rows_by_net[("hdr", False)]
    for row, row_n in zip(hdr, hdr_noimb):
        s = summary[row["ranks"]]
        ph = s["phases"]
        print(f"| {row['ranks']} | {s['repeats']} | {fmt_ms(ph['update'])} | {fmt_ms(ph['deliver'])} | "
              f"{fmt_ms(ph['stimulus'] + ph['record'])} | {fmt_ms(ph['exchange_local'])} | "
              f"{fmt_ms(s['cpu'])} ({fmt_ms(s['cpu_min'])}-{fmt_ms(s['cpu_max'])}) | "
              f"{s['spikes_received']:.0f} | {row['bytes_per_interval']:.0f} | "
              f"{max(s['messages_sent'], s['messages_received']):.0f} | {row['algorithm']} | "
              f"{fmt_ms(row['t_alltoallv'])} | {fmt_ms(row['t_imbalance'])} | "
              f"{100 * row['efficiency']:.1f}% | {100 * row_n['efficiency']:.1f}% | "
              f"{100 * row['efficiency_compute_only']:.1f}% | "
              f"{100 * row['efficiency_network_only']:.1f}% |")
    for name in NETWORKS:
        for imb in (True, False):
            r = [x for x in rows_by_net[(name, imb)] if x["nodes"] == 1024]
            if r:
                print(f"efficiency at 1024 nodes, {NETWORKS[name]['label']}, imbalance term "
                      f"{'on' if imb else 'off'}: {100 * r[0]['efficiency']:.1f}% (network only, "
                      f"work fixed at T(1): {100 * r[0]['efficiency_network_only']:.1f}%)")

    bench = bench_table(load_jsonl(args.bench))
    check_rows = check(load_jsonl(args.check), bench, args.cores)
    if check_rows:
        print("\nCHECK: prediction from the dry runs of every rank vs the real run here")
        print("| P | repeat | oversubscribed | load | predicted wall ms | measured wall ms | "
              "wall error | predicted CPU ms | measured CPU ms | CPU error |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for r in check_rows:
            cpu = (f"{fmt_ms(r['measured_cpu'])} | {100 * r['cpu_error']:+.1f}%"
                   if "measured_cpu" in r else "- | -")
            print(f"| {r['ranks']} | {r['repeat']} | {'yes' if r['oversubscribed'] else 'no'} | "
                  f"{r['load_1min']:.1f} | {fmt_ms(r['predicted_wall'])} | "
                  f"{fmt_ms(r['measured_wall'])} | {100 * r['wall_error']:+.1f}% | "
                  f"{fmt_ms(r['predicted_cpu'])} | {cpu} |")
    if args.plots:
        for path in plot(rows_by_net, check_rows, args.plots):
            print(f"wrote {path}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": {str(k): v for k, v in summary.items()},
                       "networks": NETWORKS, "rank_spread": spreads, "spread_used": spread,
                       "model": {f"{n}{'' if i else '_no_imbalance'}": rows
                                 for (n, i), rows in rows_by_net.items()},
                       "check": check_rows}, f, indent=1)


if __name__ == "__main__":
    main()
