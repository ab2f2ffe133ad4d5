"""Restarts continue bitwise: for a static network and every plasticity rule, a run of T with a
checkpoint at T/2, restarted from T/2 on another number of ranks (and the other partition), ends
with the same state (every block of the checkpoint at T: membranes, currents, rings, weights,
traces, histories, gains, tags, dopamine) and the same output file (spikes, reports, recorded
weights and state variables) as the uninterrupted run. Equality is exact: the engine's results
do not depend on the decomposition, so any difference is a bug, not round-off. The "models" cases
run aeif_cond_exp (adaptive RKF45: the step size is checkpointed) and hh_psc_alpha neurons."""
import os
import re
import sys
import tempfile

from checkpoint_harness import RULES, ckpt, compare_checkpoint, models_network, must, network, report, run

# (rule, ranks of the uninterrupted run, ranks of the restart, partition of the restart)
CASES = [("static", None, None, None), ("static", 2, 3, None), ("static", 4, None, "block")]
CASES += [(rule, 2, 3, "block") for rule in RULES if rule != "static"]
CASES += [("stdp_pair", None, None, None), ("tagging", 4, None, None), ("calcium", None, 2, None)]
CASES += [("models", None, 2, "block"), ("models", 3, None, None)]


def progress_problems(stderr):
    """The progress of a run restarted at 100 ms of 200 counts from the original start."""
    lines = re.findall(r"t = ([\d.]+) / ([\d.]+) ms \(\s*(\d+)%\), steps (\d+)", stderr)
    if not lines:
        return [f"no progress line: {stderr}"]
    first, last = lines[0], lines[-1]
    if not (100.0 < float(first[0]) <= 110.0 and first[1] == "200.0" and int(first[3]) > 1000):
        return [f"the first progress line after the restart does not count from the start: {first}"]
    if last != ("200.0", "200.0", "100", "2000"):
        return [f"the last progress line is not that of the whole run: {last}"]
    return []


def case(tmp, rule, ranks_full, ranks_restart, partition):
    name = f"{rule}_{ranks_full}_{ranks_restart}_{partition}"
    d = os.path.join(tmp, name)
    os.makedirs(d)
    net = os.path.join(d, "net.toml")
    with open(net, "w") as f:
        f.write(models_network() if rule == "models" else network(rule))
    must(run(["run", net, "-q", "-o", "full.h5", "--checkpoint-every-ms", "100",
              "--checkpoint-dir", "A"], ranks_full, cwd=d), f"{name}: uninterrupted run")
    extra = ["--set", f'simulation.partition="{partition}"'] if partition else []
    quiet = [] if rule == "models" else ["-q"]
    restarted = must(run(["run", "--restart", ckpt("A", 1000), "-o", "restarted.h5",
                          "--checkpoint-every-ms", "100", "--checkpoint-dir", "B"] + quiet + extra,
                         ranks_restart, cwd=d), f"{name}: restart")
    problems = progress_problems(restarted.stderr) if rule == "models" else []
    problems += compare_checkpoint.compare_states(os.path.join(d, ckpt("A", 2000), "state.h5"),
                                                 os.path.join(d, ckpt("B", 2000), "state.h5"))
    problems += compare_checkpoint.compare_outputs(os.path.join(d, "full.h5"),
                                                   os.path.join(d, "restarted.h5"))
    # The run must have done something worth continuing: spikes, and (plastic) weight changes.
    blocks = compare_checkpoint.state_blocks(os.path.join(d, ckpt("A", 2000), "state.h5"))
    if rule != "static" and rule != "homeostatic_scaling":
        before = compare_checkpoint.state_blocks(os.path.join(d, ckpt("A", 1000), "state.h5"))
        key = "projection/EE/weight"
        if before[key][1].tobytes() == blocks[key][1].tobytes():
            problems.append("EE weights did not change between the checkpoints")
    return [f"{name}: {p}" for p in problems]


def main():
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for c in CASES:
            found = case(tmp, *c)
            print(("FAIL " if found else "ok   ") + " ".join(str(x) for x in c), flush=True)
            problems += found
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
