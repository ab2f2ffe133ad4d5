"""The cost of driving spikeweave.Simulation in small steps: N calls of run(1 ms) against one call
of run(N ms) on the same network (tests/integration/small_net.toml, 500 neurons), alternating,
so that the difference per call is what a 1 ms `run` step costs beyond the simulation itself.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/python/run_step_overhead.py [--repeat 5]
"""
import argparse
import os
import time
from pathlib import Path

import spikeweave

ROOT = Path(__file__).resolve().parents[2]
NET = ROOT / "tests" / "integration" / "small_net.toml"


def timed(steps_ms, total_ms):
    sim = spikeweave.Simulation.from_file(NET, set=[f"simulation.t_stop_ms={total_ms}"])
    start = time.perf_counter()
    for _ in range(int(round(total_ms / steps_ms))):
        sim.run(steps_ms)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--total-ms", type=float, default=1000.0)
    args = parser.parse_args()
    calls = int(args.total_ms)
    extra_us = []
    for r in range(args.repeat):
        stepped = timed(1.0, args.total_ms)
        whole = timed(args.total_ms, args.total_ms)
        extra_us.append((stepped - whole) / calls * 1e6)
        print(f"repeat {r}: {calls} x run(1 ms) {stepped:.3f} s, run({args.total_ms:g} ms) "
              f"{whole:.3f} s, extra per call {extra_us[-1]:.1f} us")
    extra_us.sort()
    print(f"median extra per 1 ms run call: {extra_us[len(extra_us) // 2]:.1f} us "
          f"(load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
