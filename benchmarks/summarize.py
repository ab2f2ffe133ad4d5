#!/usr/bin/python3
"""Markdown tables of benchmark records (JSONL from run_bench.py), as quoted in RESULTS.md.

    summarize.py RESULTS.jsonl [...] [--name-filter TEXT] [--phases]

One row per configuration (records with the same name): number of runs, then min / median / max
of build seconds, simulation seconds, real-time factor, synaptic events per second (total and
per core), and the median mean rate, peak RSS (sum over ranks, and the largest rank), bytes per
synapse (peak RSS sum / synapses; synapse tables / synapses) and the commit of the binary.
With --phases, a second table of median per-phase seconds.
"""
import argparse
import collections
import json
import statistics
import sys

PHASES = ["update", "deliver", "exchange", "stimulus", "plasticity", "record", "io"]


def span(values, fmt):
    v = sorted(values)
    if len(v) == 1:
        return fmt.format(v[0])
    return " / ".join(fmt.format(x) for x in (v[0], statistics.median(v), v[-1]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jsonl", nargs="+")
    ap.add_argument("--name-filter")
    ap.add_argument("--phases", action="store_true")
    args = ap.parse_args(argv)
    groups = collections.OrderedDict()
    for path in args.jsonl:
        with open(path) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if args.name_filter and args.name_filter not in r["name"]:
                        continue
                    groups.setdefault(r["name"], []).append(r)
    if not groups:
        raise SystemExit("summarize.py: no records")
    print("| run | n | ranks | neurons | synapses | build s | sim s | RTF | events/s (M) | "
          "events/s/core (M) | rate Hz | peak RSS MiB (sum; max rank) | B/syn RSS | B/syn tables | commit |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, rs in groups.items():
        r0 = rs[0]
        print(f"| {name}{' (oversubscribed)' if r0['oversubscribed'] else ''} | {len(rs)} | "
              f"{r0['ranks']} | {r0['neurons']} | {r0['synapses'] / 1e6:.1f} M | "
              f"{span([r['build_seconds'] for r in rs], '{:.1f}')} | "
              f"{span([r['simulate_seconds'] for r in rs], '{:.2f}')} | "
              f"{span([r['real_time_factor'] for r in rs], '{:.1f}')} | "
              f"{span([r['events_per_second'] / 1e6 for r in rs], '{:.0f}')} | "
              f"{span([r['events_per_second_per_core'] / 1e6 for r in rs], '{:.0f}')} | "
              f"{statistics.median(r['mean_rate_hz'] for r in rs):.2f} | "
              f"{statistics.median(r['peak_rss_bytes_sum'] for r in rs) / 2**20:.0f}; "
              f"{statistics.median(r['peak_rss_bytes_max_rank'] for r in rs) / 2**20:.0f} | "
              f"{statistics.median(r['bytes_per_synapse'] for r in rs):.2f} | "
              f"{statistics.median(r['table_bytes_per_synapse'] for r in rs):.2f} | "
              f"{r0['git_commit']} |")
    if args.phases:
        print()
        print("| run | " + " | ".join(PHASES) + " | sim s | CPU s (all ranks, whole run) | load before |")
        print("|---|" + "---|" * (len(PHASES) + 3))
        for name, rs in groups.items():
            cells = [f"{statistics.median(r['phase_seconds'].get(p, 0.0) for r in rs):.2f}" for p in PHASES]
            print(f"| {name} | " + " | ".join(cells) +
                  f" | {statistics.median(r['simulate_seconds'] for r in rs):.2f}"
                  f" | {statistics.median(r.get('cpu_seconds', float('nan')) for r in rs):.1f}"
                  f" | {statistics.median(r['load_average_before'] for r in rs):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
