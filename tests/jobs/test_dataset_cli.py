#!/usr/bin/env python3
"""Bad input to `spikeweave dataset rate` on 2 ranks: a clear message, a non-zero exit, no hang,
and an existing file is never truncated."""
import hashlib
import os
import shutil
import sys

from dataset_test_support import arguments, check_error, mpi_command, run

args = arguments(__doc__)
work = os.path.join(args.work_dir, "cli")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def expect_error(command, fragment, ranks=2):
    check_error(args, failures, command, fragment, ranks)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


base = ["dataset", "rate", "--networks", "6", "--neurons", "8", "--steps", "5", "-q"]
out = os.path.join(work, "data.h5")
expect_error(["dataset", "rate", "--networks", "6", "--neurons", "8", "--steps", "0", "--out", out],
             "rate.steps (--steps): 0 is out of range")
expect_error(["dataset", "rate", "--networks", "6", "--neurons", "8", "--out", out], "rate.steps (--steps): required")
expect_error(base + ["--sparsity", "0", "--out", out], "rate.network.sparsity (--sparsity)")
expect_error(base + ["--gain", "normal:1,0.2", "--out", out], "give min and max inside it")
expect_error(base + ["--nonlinearity", "softplus", "--out", out], "unknown nonlinearity 'softplus'")
expect_error(base + ["--set", "rate.network.gian=2", "--out", out], "rate.network.gian: unknown key")
expect_error(base + ["--balanced", "--out", out], "balancing applies to Dale networks")
expect_error(["dataset", "rate", os.path.join(work, "missing.toml")], "missing.toml: no such file")
expect_error(["dataset", "tensor"], "unknown kind 'tensor'")


def expect_divergence():
    # A relu network with gain 3 blows up: every rank stops with a message, nobody hangs.
    command = ["dataset", "rate", "--networks", "4", "--neurons", "40", "--steps", "3000", "--nonlinearity", "relu",
               "--gain", "3.0", "-q", "--out", os.path.join(work, "relu.h5")]
    result = run(mpi_command(args, 2, [args.binary] + command), timeout=60, check=False)
    if result.returncode == 0 or "diverges: its activity is not finite" not in result.stderr:
        failures.append("a diverging network must stop the run with a message, got:\n" + result.stderr)


expect_divergence()

# An existing complete file made with other parameters is refused and left as it was.
run(mpi_command(args, 2, [args.binary] + base + ["--out", out]))
before = digest(out)
expect_error(base + ["--gain", "0.7", "--out", out], "made with different parameters (rate.network.gain")
expect_error(base + ["--trials", "2", "--out", out], "rate.trials: file 1, now 2")
if digest(out) != before:
    failures.append("a refused run changed the existing file")
# Rerunning the same command is a no-op that succeeds.
run(mpi_command(args, 2, [args.binary] + base + ["--out", out]))
if digest(out) != before:
    failures.append("rerunning a complete dataset changed the file")
# --help works and exits 0.
run([args.binary, "dataset", "rate", "--help"])
if failures:
    sys.exit("\n".join(failures))
print("OK")
