#!/usr/bin/python3
"""Weak scaling of the static hpc_benchmark by dry runs, and the check against real runs.

Every dry run is `spikeweave run hpc_benchmark.toml --dry-run R/P`: one process builds rank R's
part of a network of n neurons per rank x P ranks and simulates it with the other ranks' spikes
fabricated (docs/dryrun.md). Its JSON record gives the per-rank work per communication
interval; model.py adds the modelled network time.

  run_dryrun.py rates  --n-per-rank 11250          # real 1-process run: reference rates
  run_dryrun.py sweep  --n-per-rank 11250 --ranks 1,2,4,...,4096 [--rank-fractions 0,0.5]
  run_dryrun.py check  --n-per-rank 11250 --ranks 1,2,4   # real mpirun runs + dry runs of them
  run_dryrun.py bench  --ranks 1,2,4                # MPI_Alltoall(v) timings on this machine

Results go to benchmarks/dryrun/results/ (one JSON object per line); model.py reads them.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NET = os.path.join(ROOT, "benchmarks", "networks", "hpc_benchmark.toml")
RESULTS = os.path.join(HERE, "results")
# Waiting MPI ranks yield their core (as benchmarks/run_bench.py does): on this shared machine
# busy-polling ranks stole the CPU from the rank they waited for.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_mpi_yield_when_idle=os.environ.get("OMPI_MCA_mpi_yield_when_idle", "1"))
MPIRUN = ["mpirun", "--oversubscribe", "--bind-to", "none"]
# With --bind (a machine with idle cores): every process on its own core, as on a cluster node.
MPIRUN_BOUND = ["mpirun", "--bind-to", "core", "--map-by", "core"]
# hpc_benchmark: 80% excitatory, 20% inhibitory neurons (9000 + 2250 at scale 1).
POPULATIONS = ("E", "I")


def sizes(n_per_rank, ranks):
    total = n_per_rank * ranks
    return total * 4 // 5, total // 5


def network_args(n_per_rank, ranks, t_stop_ms):
    e, i = sizes(n_per_rank, ranks)
    return [NET, "--set", f"population[0].size={e}", "--set", f"population[1].size={i}",
            "--set", f"simulation.t_stop_ms={t_stop_ms}"]


def git_commit():
    if os.environ.get("SPIKEWEAVE_COMMIT"):  # a copy of the tree without .git (another machine)
        return os.environ["SPIKEWEAVE_COMMIT"]
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def context():
    """What every record carries: when, where, which commit, how loaded the machine was."""
    return {"date": datetime.date.today().isoformat(), "host": platform.node(),
            "cores": os.cpu_count(), "load_1min": os.getloadavg()[0], "commit": git_commit()}


def append(path, record):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as f:
        f.write(json.dumps(record) + "\n")


def dry_command(spikeweave, n_per_rank, rank, ranks, t_stop_ms, rates, core=None):
    rate_text = ",".join(f"{p}={rates[p]:.4f}" for p in POPULATIONS)
    cmd = [spikeweave, "run"] + network_args(n_per_rank, ranks, t_stop_ms) + [
        "--dry-run", f"{rank}/{ranks}", "--dry-run-rates", rate_text, "-q"]
    return cmd if core is None else ["taskset", "-c", str(core)] + cmd


def dry_record(cmd, stdout, stderr, returncode, n_per_rank):
    if returncode != 0:
        sys.exit(f"dry run failed: {' '.join(cmd)}\n{stderr}")
    record = json.loads(stdout.strip().splitlines()[-1])
    record.update(context(), n_per_rank=n_per_rank, command=" ".join(cmd))
    return record


def dry_run(spikeweave, n_per_rank, rank, ranks, t_stop_ms, rates, bind=False):
    cmd = dry_command(spikeweave, n_per_rank, rank, ranks, t_stop_ms, rates, 1 if bind else None)
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    return dry_record(cmd, done.stdout, done.stderr, done.returncode, n_per_rank)


def dry_runs_together(spikeweave, n_per_rank, ranks, t_stop_ms, rates):
    """Ranks 0..P-1 as P concurrent dry runs, rank r pinned to core r: the cores, caches and
    memory bandwidth are shared as in the real P-rank run on the same cores."""
    cmds = [dry_command(spikeweave, n_per_rank, r, ranks, t_stop_ms, rates, r) for r in range(ranks)]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
             for c in cmds]
    outs = [p.communicate() for p in procs]
    return [dry_record(c, o, e, p.returncode, n_per_rank) for c, p, (o, e) in zip(cmds, procs, outs)]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def rank_pids(launcher_pid):
    """The spikeweave processes started by `launcher_pid` (mpirun's children, or itself)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if name == "spikeweave" and (ppid == launcher_pid or int(entry) == launcher_pid):
            pids.append(int(entry))
    return sorted(pids)


def process_cpu_seconds(pid):
    """user + system CPU seconds of a live process (clock-tick resolution, 10 ms)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def run_watching_cpu(cmd, ranks):
    """Runs a real (not quiet) spikeweave run and reads every rank's CPU seconds from /proc when
    rank 0 reports the end of the build (after a collective: every rank is done building) and
    when it reports 100% of the simulated time (the end of the time loop). Returns
    (returncode, stderr, [loop CPU seconds per rank] or None)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=ENV)
    lines, at_build, at_end = [], None, None
    for line in proc.stderr:
        lines.append(line)
        try:
            if at_build is None and "] built " in line:
                pids = rank_pids(proc.pid)
                at_build = {pid: process_cpu_seconds(pid) for pid in pids}
            elif at_build is not None and at_end is None and "(100%)" in line:
                at_end = {pid: process_cpu_seconds(pid) for pid in at_build}
        except (OSError, ValueError):
            pass
    proc.wait()
    loop = None
    if at_build and at_end and len(at_build) == ranks:
        loop = [at_end[pid] - at_build[pid] for pid in sorted(at_build)]
    return proc.returncode, "".join(lines), loop


def real_run(spikeweave, n_per_rank, ranks, t_stop_ms, warmup_ms=0.0, bind=False):
    """A real run on `ranks` MPI ranks; returns its provenance timings, measured rates and the
    CPU seconds of every rank's time loop (from /proc, see run_watching_cpu)."""
    import h5py  # only here: dry runs need no h5py
    workdir = tempfile.mkdtemp(prefix="dryrun-real-")
    try:
        out = os.path.join(workdir, "run.h5")
        cmd = [spikeweave, "run"] + network_args(n_per_rank, ranks, t_stop_ms) + ["-o", out]
        if bind:
            cmd = MPIRUN_BOUND + ["-np", str(ranks)] + cmd
        elif ranks > 1:
            cmd = MPIRUN + ["-np", str(ranks)] + cmd
        returncode, stderr, loop_cpu = run_watching_cpu(cmd, ranks)
        if returncode != 0:
            sys.exit(f"real run failed: {' '.join(cmd)}\n{stderr}")
        with h5py.File(out, "r") as f:
            prov = f["provenance"]
            phases = {k: float(v) for k, v in prov["phase_seconds"].attrs.items()}
            counters = {k: float(v) for k, v in prov["counters"].attrs.items()}
            e, i = sizes(n_per_rank, ranks)
            rates, rates_after_warmup = {}, {}
            for name, size in zip(POPULATIONS, (e, i)):
                t = f["spikes"][name]["timestamps"][:]
                rates[name] = len(t) / (size * t_stop_ms * 1e-3)
                if warmup_ms > 0:
                    rates_after_warmup[name] = float((t > warmup_ms).sum()) / (
                        size * (t_stop_ms - warmup_ms) * 1e-3)
        interval_steps = int(counters["interval_steps"])
        steps = int(round(t_stop_ms / 0.1))
        record = dict(context(), kind="real", ranks=ranks, n_per_rank=n_per_rank,
                      simulated_ms=t_stop_ms, phase_seconds=phases, counters=counters,
                      intervals=-(-steps // interval_steps), interval_steps=interval_steps,
                      rates_hz=rates, loop_cpu_seconds_per_rank=loop_cpu,
                      mpi_yield_when_idle=ENV.get("OMPI_MCA_mpi_yield_when_idle"),
                      command=" ".join(cmd))
        if warmup_ms > 0:
            record.update(warmup_ms=warmup_ms, rates_after_warmup_hz=rates_after_warmup)
        return record
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def t_stop_for(ranks, args):
    # P = 1 is the real network itself (cheap, and its activity fluctuates: averaged longer);
    # at large P the work is the delivery of fabricated spikes at a fixed rate: 20 intervals do.
    if ranks == 1:
        return args.t_stop_single_ms
    return args.t_stop_ms if ranks < 128 else args.t_stop_large_ms


def load_rates(args):
    if args.rates:
        return dict(zip(POPULATIONS, (float(x) for x in args.rates.split(","))))
    path = os.path.join(RESULTS, f"rates_n{args.n_per_rank}.json")
    if not os.path.exists(path):
        sys.exit(f"no reference rates: run `run_dryrun.py rates --n-per-rank {args.n_per_rank}` "
                 "or pass --rates E,I")
    with open(path) as f:
        return json.load(f)["rates_after_warmup_hz"]


def cmd_rates(args):
    record = real_run(args.spikeweave, args.n_per_rank, 1, 300.0, warmup_ms=50.0)
    path = os.path.join(RESULTS, f"rates_n{args.n_per_rank}.json")
    os.makedirs(RESULTS, exist_ok=True)
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
    print(f"rates after a 50 ms warm-up: {record['rates_after_warmup_hz']} -> {path}")


def work_per_interval(record):
    """(wall, CPU) seconds of this rank's work per interval, without the fabrication."""
    n = record["intervals"]
    wall = (record["run_seconds"] - record["fabricate_seconds"]) / n
    cpu = (record["loop_cpu_seconds"] - record["fabricate_cpu_seconds"]) / n
    return wall, cpu


def cmd_sweep(args):
    rates = load_rates(args)
    path = args.out or os.path.join(RESULTS, f"sweep_n{args.n_per_rank}.jsonl")
    for repeat in range(args.repeats):
        for ranks, rank in ((int(p), min(int(p) - 1, int(float(f) * int(p))))
                            for p in args.ranks.split(",")
                            for f in args.rank_fractions.split(",")):
            record = dry_run(args.spikeweave, args.n_per_rank, rank, ranks,
                             t_stop_for(ranks, args), rates, args.bind)
            record["repeat"] = repeat
            append(path, record)
            wall, cpu = work_per_interval(record)
            print(f"R={rank:4d} P={ranks:5d} work/interval {wall * 1e3:9.3f} ms (CPU {cpu * 1e3:9.3f} ms)"
                  f"  build {record['build_seconds']:7.1f} s"
                  f"  received {record['spikes_delivered'] / record['intervals']:10.0f} spikes/interval"
                  f"  rss {record['peak_rss_bytes'] / 2**20:7.0f} MiB", flush=True)


def cmd_check(args):
    path = args.out or os.path.join(RESULTS, f"check_n{args.n_per_rank}.jsonl")
    for repeat in range(args.repeats):
        for ranks in (int(x) for x in args.ranks.split(",")):
            real = real_run(args.spikeweave, args.n_per_rank, ranks, args.t_stop_ms, bind=args.bind)
            real["repeat"] = repeat
            append(path, real)
            work = (real["counters"]["simulate_seconds"] - real["phase_seconds"]["io"]) / real["intervals"]
            cpu = real["loop_cpu_seconds_per_rank"] or []
            print(f"real P={ranks}: {work * 1e3:.3f} ms/interval, loop CPU per rank "
                  f"{[round(c / real['intervals'] * 1e3, 3) for c in cpu]} ms/interval, "
                  f"rates {real['rates_hz']}", flush=True)
            # The same network as rank r of P, for every r, fed at the real run's rates: one after
            # the other, or (--bind) all at once on the real run's cores.
            if args.bind:
                drys = dry_runs_together(args.spikeweave, args.n_per_rank, ranks, args.t_stop_ms,
                                         real["rates_hz"])
            else:
                drys = [dry_run(args.spikeweave, args.n_per_rank, rank, ranks, args.t_stop_ms,
                                real["rates_hz"]) for rank in range(ranks)]
            for dry in drys:
                dry["repeat"] = repeat
                dry["together"] = args.bind
                append(path, dry)
                wall, cpu = work_per_interval(dry)
                print(f"  dry {dry['rank']}/{ranks}: {wall * 1e3:.3f} ms/interval "
                      f"(CPU {cpu * 1e3:.3f})", flush=True)


def cmd_bench(args):
    build = args.bench_binary
    if not build:  # no CMake build at hand: compile it the same way
        build = os.path.join(tempfile.gettempdir(), "spikeweave-alltoallv-bench")
        subprocess.run(["mpicxx", "-O2", "-std=c++17", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                        os.path.join(HERE, "alltoallv_bench.cpp"), "-o", build], check=True)
    path = args.out or os.path.join(RESULTS, "alltoallv_here.jsonl")
    for ranks in (int(x) for x in args.ranks.split(",")):
        done = subprocess.run((MPIRUN_BOUND if args.bind else MPIRUN) +
                              ["-np", str(ranks), build, str(args.reps)],
                              capture_output=True, text=True, env=ENV, check=True)
        for line in done.stdout.splitlines():
            record = json.loads(line)
            record.update(context())
            append(path, record)
            print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["rates", "sweep", "check", "bench"])
    parser.add_argument("--spikeweave", default=os.environ.get(
        "SPIKEWEAVE", os.path.join(ROOT, "build", "bin", "spikeweave")),
        help="the binary (default $SPIKEWEAVE or build/bin/spikeweave)")
    parser.add_argument("--bench-binary", help="bench: the CMake target alltoallv_bench "
                        "(BUILD/benchmarks/dryrun/alltoallv_bench); default: compile with mpicxx")
    parser.add_argument("--rank-fractions", default="0",
                        help="sweep: dry-run ranks R = int(f * P) for these f (rank-to-rank spread)")
    parser.add_argument("--n-per-rank", type=int, default=11250,
                        help="neurons per rank (a multiple of 5; 11250 = hpc_benchmark scale 1)")
    parser.add_argument("--ranks", default="1,2,4,8,16,32,64,128,256,512,1024,2048,4096")
    parser.add_argument("--rates", help="fabricated rates E,I in Hz (default: rates_n<N>.json)")
    parser.add_argument("--t-stop-ms", type=float, default=100.0, help="simulated time, P < 128")
    parser.add_argument("--t-stop-large-ms", type=float, default=30.0,
                        help="simulated time for P >= 128 (20 intervals)")
    parser.add_argument("--t-stop-single-ms", type=float, default=300.0,
                        help="simulated time for P = 1")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--reps", type=int, default=400, help="bench: exchanges per size")
    parser.add_argument("--out", help="output .jsonl (default under results/)")
    parser.add_argument("--bind", action="store_true",
                        help="pin each process to a core (a machine with idle cores only)")
    args = parser.parse_args()
    if args.n_per_rank % 5:
        parser.error("--n-per-rank must be a multiple of 5 (80% E, 20% I)")
    {"rates": cmd_rates, "sweep": cmd_sweep, "check": cmd_check, "bench": cmd_bench}[args.what](args)


if __name__ == "__main__":
    main()
