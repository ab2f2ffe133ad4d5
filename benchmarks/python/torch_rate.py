#!/usr/bin/env python3
"""spikeweave.torch.simulate_rate_network against the same Euler loop in plain PyTorch autograd:
forward (graph recorded) and forward + backward of loss = mean(x^2), for a batch of B networks
W [B, N, N] (torch.bmm in the plain loop), alternating the two implementations in every repeat.
Prints one Markdown table row per configuration and writes one JSON record per run with --json.

    PYTHONPATH=<build>/python /usr/bin/python3 benchmarks/python/torch_rate.py [--repeats 5]
        [--configs 50x100,200x1000] [--batch 64] [--dtype float32] [--json out.json]
        [--build LABEL]
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import time

import torch

from spikeweave import _engine
from spikeweave.torch import simulate_rate_network

DT, TAU, NOISE, GAIN = 0.1, 1.0, 0.1, 1.5


def plain_pytorch(W, h0, T, generator):
    """The prototype: Euler with torch ops, noise drawn per step."""
    h, xs = h0, []
    a = DT / TAU
    for _ in range(T):
        h = h + a * (-h + torch.bmm(W, torch.tanh(h).unsqueeze(-1)).squeeze(-1)) + \
            NOISE * torch.randn(h.shape, generator=generator, dtype=h.dtype)
        xs.append(torch.tanh(h))
    return torch.stack(xs, 1)


def spikeweave_torch(W, h0, T, generator):
    seed = int(torch.randint(0, 2**62, (1,), generator=generator).item())
    return simulate_rate_network(W, h0, T, DT, TAU, noise_std=NOISE, seed=seed)


def timed(f, W, h0, T, backward):
    generator = torch.Generator().manual_seed(1)
    W.grad = h0.grad = None
    start = time.perf_counter()
    cpu = time.process_time()
    x = f(W, h0, T, generator)
    if backward:
        x.pow(2).mean().backward()
    return time.perf_counter() - start, time.process_time() - cpu


def summary(values):
    return statistics.median(values), min(values), max(values)


def git_commit():
    try:
        here = os.path.dirname(os.path.abspath(__file__))
        return subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--configs", default="50x100,200x1000", help="NxT,NxT,...")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    parser.add_argument("--json", help="append one JSON record per run to this file")
    parser.add_argument("--build", default="default",
                        help="a label for the module's build in the records (e.g. native)")
    args = parser.parse_args()
    dtype = getattr(torch, args.dtype)
    records = []
    context = dict(date=datetime.datetime.now().isoformat(timespec="seconds"),
                   commit=git_commit(), engine_commit=_engine.git_commit,
                   backend=_engine.backend, cpu=cpu_model(), cores=os.cpu_count(),
                   torch=torch.__version__, torch_threads=torch.get_num_threads(),
                   batch=args.batch, dtype=args.dtype, repeats=args.repeats, build=args.build)
    print(f"# {context['date']} commit {context['commit']} (module built from "
          f"{context['engine_commit']}), Kokkos {context['backend']}, {context['cpu']}, "
          f"{context['cores']} cores, build {args.build}, torch {context['torch']} "
          f"({context['torch_threads']} threads), B = {args.batch}, {args.dtype}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print("| N | T | work | plain PyTorch s | SpikeWeave s | speed-up (median) | "
          "PyTorch CPU s | SpikeWeave CPU s | load avg |")
    print("|---|---|---|---|---|---|---|---|---|")
    for config in args.configs.split(","):
        n, steps = (int(v) for v in config.split("x"))
        g = torch.Generator().manual_seed(0)
        W = (GAIN / n ** 0.5 * torch.randn(args.batch, n, n, generator=g)).to(dtype)
        h0 = torch.randn(args.batch, n, generator=g).to(dtype)
        W.requires_grad_()
        h0.requires_grad_()
        for backward in (False, True):
            work = "forward + backward" if backward else "forward"
            for f in (plain_pytorch, spikeweave_torch):  # warm-up
                timed(f, W, h0, min(steps, 10), backward)
            times = {"pytorch": [], "spikeweave": []}
            cpus = {"pytorch": [], "spikeweave": []}
            loads = []
            for r in range(args.repeats):
                # Alternate which goes first, so that drifting load hits both alike.
                order = ((("pytorch", plain_pytorch), ("spikeweave", spikeweave_torch))
                         if r % 2 == 0 else
                         (("spikeweave", spikeweave_torch), ("pytorch", plain_pytorch)))
                for name, f in order:
                    wall, cpu = timed(f, W, h0, steps, backward)
                    times[name].append(wall)
                    cpus[name].append(cpu)
                    loads.append(os.getloadavg()[0])
                    records.append(dict(context, n=n, steps=steps, work=work, impl=name,
                                        repeat=r, wall_s=wall, cpu_s=cpu,
                                        load_average=loads[-1]))
            pt, sw = summary(times["pytorch"]), summary(times["spikeweave"])
            print(f"| {n} | {steps} | {work} | {pt[0]:.4g} [{pt[1]:.4g}, {pt[2]:.4g}] | "
                  f"{sw[0]:.4g} [{sw[1]:.4g}, {sw[2]:.4g}] | {pt[0] / sw[0]:.1f}x | "
                  f"{statistics.median(cpus['pytorch']):.4g} | "
                  f"{statistics.median(cpus['spikeweave']):.4g} | "
                  f"{min(loads):.2f}-{max(loads):.2f} |", flush=True)
    if args.json:
        with open(args.json, "a") as f:
            for record in records:
                f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
