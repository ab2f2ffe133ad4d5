#!/usr/bin/env python3
"""Checkpoint cost, size and restart time of the hpc_benchmark networks (issue 12).

    benchmarks/checkpoint_bench.py [--spikeweave build/bin/spikeweave] [--scale 0.2]
        [--ranks 1] [--network hpc_benchmark|hpc_benchmark_plastic] [--jsonl FILE] [--cold-read]

Runs the network for 2 x --half-ms with a checkpoint at --half-ms and at the end, then restarts
from the first checkpoint with t_stop at its step (a restart that simulates nothing: its time is
the build plus the restore), and measures on the same disk the write bandwidth of
`dd conv=fdatasync` (and with `oflag=direct`) and the read bandwidth of `dd` for a file of the
state's size. Prints and
appends one JSON record: state bytes per synapse, checkpoint seconds (state write; whole
checkpoint with the output copy, fsyncs and checksums), simulated seconds per simulated second,
restart and restore seconds, the dd figures, load average, commit.

Reads are compared warm by default: the restart reads state.h5 right after it was written and dd
reads its file right after writing it, both from the page cache. With --cold-read (root: it
writes /proc/sys/vm/drop_caches) the page cache is dropped before the restart and before dd's
read, so both read from the disk. A restart reads state.h5 twice: rank 0 verifies its checksum
before the build (the cold read from the disk), then the restore reads it (from the page cache
the verification filled); the cold figure is therefore state bytes / (verification + restore)."""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def launch(spikeweave, ranks, args, cwd):
    cmd = [spikeweave] + args
    if ranks > 1:
        cmd = ["mpirun", "-np", str(ranks), "--oversubscribe", "--bind-to", "none"] + cmd
    start = time.time()
    p = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stderr}")
    return p.stderr, time.time() - start


def drop_page_cache():
    """Writes dirty pages back, then drops the clean ones (the next reads come from the disk)."""
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def dd_bandwidth(directory, size_bytes, cold):
    """(write MB/s with fdatasync, read MB/s) of dd on `directory`'s disk; the read from the disk
    if `cold`, else from the page cache (the file was just written)."""
    path = os.path.join(directory, "dd.bin")
    count = max(1, size_bytes // (1 << 20))
    out = subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=1M", f"count={count}",
                          "conv=fdatasync"], capture_output=True, text=True).stderr
    write = float(re.search(r"([\d.]+) s,", out).group(1))
    if cold:
        drop_page_cache()
    out = subprocess.run(["dd", f"if={path}", "of=/dev/null", "bs=1M"], capture_output=True,
                         text=True).stderr
    read = float(re.search(r"([\d.]+) s,", out).group(1))
    os.remove(path)
    mb = count * (1 << 20) / 1e6
    return mb / write, mb / read


def dd_write_direct(directory, size_bytes):
    """dd's write MB/s with O_DIRECT (oflag=direct, 16 MiB blocks, fdatasync): the disk's own
    speed, past the page cache, as the checkpoint writes its bulk (io/checkpoint_raw_file.hpp)."""
    path = os.path.join(directory, "dd_direct.bin")
    count = max(1, size_bytes // (16 << 20))
    out = subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=16M", f"count={count}",
                          "oflag=direct", "conv=fdatasync"], capture_output=True, text=True).stderr
    os.remove(path)
    return count * (16 << 20) / 1e6 / float(re.search(r"([\d.]+) s,", out).group(1))


def dd_write_idle(directory, size_bytes, idle_s):
    """dd's write MB/s (fdatasync) after `idle_s` seconds with the page cache dropped: on a VM
    that hands freed guest memory back to its host (this Firecracker VM does within ~20 s), the
    page cache then needs fresh pages, as a checkpoint's does mid-run, and each costs the
    host's fault. Right after a run, dd reuses the pages the run just freed and pays nothing."""
    drop_page_cache()
    time.sleep(idle_s)
    path = os.path.join(directory, "dd_idle.bin")
    count = max(1, size_bytes // (1 << 20))
    out = subprocess.run(["dd", "if=/dev/zero", f"of={path}", "bs=1M", f"count={count}",
                          "conv=fdatasync"], capture_output=True, text=True).stderr
    os.remove(path)
    return count * (1 << 20) / 1e6 / float(re.search(r"([\d.]+) s,", out).group(1))


def checkpoint_phases(err):
    """Per checkpoint: the phases the checkpoint line prints (seconds), when it prints them."""
    return [{"output_flush": float(a), "state_blocks": float(b), "publish": float(c)}
            for a, b, c in re.findall(r"output flush ([\d.]+) s, state blocks ([\d.]+) s, output copy "
                                      r"\+ fsync \+ checksums \+ rename ([\d.]+) s", err)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spikeweave", default=os.path.join(HERE, "..", "build", "bin", "spikeweave"))
    parser.add_argument("--network", default="hpc_benchmark_plastic")
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("--half-ms", type=float, default=100.0)
    parser.add_argument("--jsonl", default=None)
    parser.add_argument("--cold-read", action="store_true",
                        help="drop the page cache before the restart and before dd's read")
    parser.add_argument("--dd-idle-s", type=float, default=0.0,
                        help="also time dd's write after this many idle seconds with the page "
                             "cache dropped (dd_write_idle_mb_s; root; see dd_write_idle)")
    parser.add_argument("--workdir", default=None, help="where checkpoints go (default: a temp dir here)")
    parser.add_argument("--commit", default=None,
                        help="commit of --spikeweave's build (default: this checkout's HEAD)")
    args = parser.parse_args()
    net = os.path.join(HERE, "networks", args.network + ".toml")
    ne, ni = int(9000 * args.scale + 0.5), int(2250 * args.scale + 0.5)
    sets = ["--set", f"population[0].size={ne}", "--set", f"population[1].size={ni}",
            "--set", f"simulation.t_stop_ms={2 * args.half_ms}"]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(dir=args.workdir or HERE) as d:
        err, wall = launch(args.spikeweave, args.ranks,
                           ["run", net, "-o", "out.h5", "--checkpoint-every-ms", str(args.half_ms),
                            "--checkpoint-dir", "A"] + sets, d)
        synapses = int(re.search(r"and (\d+) synapses", err).group(1))
        checkpoints = [(float(a), float(b), int(c), float(e)) for a, b, c, e in re.findall(
            r"checkpoint at t = ([\d.]+) ms in ([\d.]+) s \(state.h5: (\d+) bytes written in ([\d.]+) s",
            err)]
        simulated = re.search(r"simulated ([\d.]+) ms in ([\d.]+) (s|min)", err)
        sim_seconds = float(simulated.group(2)) * (60 if simulated.group(3) == "min" else 1)
        step = int(round(checkpoints[0][0] * 10))
        ckpt = os.path.join("A", f"ckpt-{step:012d}")
        output_path = os.path.join(d, ckpt, "output.h5")
        output_bytes = os.path.getsize(output_path) if os.path.exists(output_path) else 0
        if args.cold_read:
            drop_page_cache()
        err2, restart_wall = launch(args.spikeweave, args.ranks,
                                    ["run", "--restart", ckpt, "-o", "restarted.h5",
                                     "--checkpoint-dir", "B", "--set",
                                     f"simulation.t_stop_ms={checkpoints[0][0]}"], d)
        # Builds before the concurrent verification verified the checksums before the build
        # ("after verifying its checksums in Y s"); later ones on a thread from before the build
        # to the end of the restore ("its checksums verified meanwhile (after checking its
        # manifest and header in Y s; the verification took Z s from before the build)").
        restored = re.search(r"restored step \d+ from .*? in ([\d.]+) s(,? its checksums verified "
                             r"meanwhile)? ?(?:\(after (?:verifying its checksums|checking its "
                             r"manifest and header) in ([\d.]+) s(?:; the verification took "
                             r"([\d.]+) s)?)?", err2)
        restore = float(restored.group(1))
        concurrent = restored.group(2) is not None
        verify = float(restored.group(3)) if restored.group(3) else 0.0
        overlapped = float(restored.group(4)) if restored.group(4) else None
        built = re.search(r"built .* in ([\d.]+) (s|min)", err2)
        state_bytes = checkpoints[0][2]
        dd_write, dd_read = dd_bandwidth(d, state_bytes, args.cold_read)
        dd_direct = dd_write_direct(d, state_bytes)
        dd_idle = dd_write_idle(d, state_bytes, args.dd_idle_s) if args.dd_idle_s > 0 else None
    write_mb_s = [c[2] / c[3] / 1e6 for c in checkpoints]
    record = {
        "benchmark": "checkpoint", "network": args.network, "scale": args.scale,
        "ranks": args.ranks, "synapses": synapses, "state_bytes": state_bytes,
        "bytes_per_synapse": state_bytes / synapses,
        "checkpoint_seconds": [c[1] for c in checkpoints],
        "state_write_seconds": [c[3] for c in checkpoints],
        "state_write_mb_s": write_mb_s, "dd_write_mb_s": dd_write,
        "write_fraction_of_dd": max(write_mb_s) / dd_write,
        # The whole checkpoint (blocks, HDF5 write, output copy, fsyncs, checksums, rename)
        # against dd writing the same bytes with fdatasync.
        "checkpoint_mb_s": [state_bytes / c[1] / 1e6 for c in checkpoints],
        "checkpoint_fraction_of_dd": [state_bytes / c[1] / 1e6 / dd_write for c in checkpoints],
        "checkpoint_phases": checkpoint_phases(err),
        "dd_write_direct_mb_s": dd_direct,
        "checkpoint_fraction_of_dd_direct": [state_bytes / c[1] / 1e6 / dd_direct
                                             for c in checkpoints],
        "dd_write_idle_mb_s": dd_idle, "dd_idle_s": args.dd_idle_s if dd_idle else None,
        "checkpoint_fraction_of_dd_idle": [state_bytes / c[1] / 1e6 / dd_idle for c in checkpoints]
        if dd_idle else None,
        "restore_seconds": restore, "restore_read_mb_s": state_bytes / restore / 1e6,
        "dd_read_mb_s": dd_read, "read_fraction_of_dd": state_bytes / restore / 1e6 / dd_read,
        "read_cache": "cold" if args.cold_read else "warm",
        "verify_seconds": verify, "output_bytes_verified": output_bytes,
        # "before": the checksums verified before the build (verify_seconds); "concurrent": from
        # before the build to the end of the restore (verify_seconds is the manifest and header
        # check; restore_seconds includes waiting for the verification to end).
        "verification": "concurrent" if concurrent else "before",
        # "concurrent": how long the verification thread took (it reads the files from the disk
        # while the network is built, so most of it is not in restore_seconds).
        "verification_thread_seconds": overlapped,
        # The verification reads state.h5 and output.h5 (from the disk when cold).
        "verify_read_mb_s": (state_bytes + output_bytes) / verify / 1e6
        if verify > 0 and not concurrent else None,
        "restart_read_mb_s": state_bytes / (restore + verify) / 1e6,
        "read_fraction_of_dd_with_verify": state_bytes / (restore + verify) / 1e6 / dd_read,
        "restart_wall_seconds": restart_wall,
        "restart_build_seconds": float(built.group(1)) * (60 if built.group(2) == "min" else 1),
        "simulate_seconds": sim_seconds, "simulated_ms": 2 * args.half_ms,
        "checkpoint_per_simulated_second": [c[1] / (sim_seconds / (2 * args.half_ms / 1000.0))
                                            for c in checkpoints],
        "load_average_before": load, "load_average_after": os.getloadavg()[0],
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": args.commit or subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                                                capture_output=True, text=True).stdout.strip(),
    }
    print(json.dumps(record, indent=1))
    if args.jsonl:
        with open(args.jsonl, "a") as f:
            f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    sys.exit(main())
