#!/usr/bin/env python3
"""`spikeweave sweep` on a small network: the same table on 1, 2 and 4 ranks with 1 and 2 ranks per
point; a resume that finds the file complete; a changed sweep file refused, naming what changed; an
existing file never truncated; sweep-file errors reported once with a non-zero exit; shards merged
into the same table; the documented h5py reader."""
import hashlib
import os
import re
import shutil
import sys
import time

import h5py
import numpy as np

from dataset_test_support import arguments, check_error, mpi_command, run
from sweep_test_support import differences, sweep_files

args = arguments(__doc__)
work = os.path.join(args.work_dir, "sweep_cli")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
sweep = sweep_files(args.source_dir, work)
failures = []


def sweep_run(ranks, out, *extra, check=True):
    command = mpi_command(args, ranks, [args.binary, "sweep", sweep, "--out", out, "-q"] + list(extra))
    return run(command, timeout=200, check=check)


# The reference: one rank.
reference = os.path.join(work, "ranks1.h5")
start = time.time()
sweep_run(1, reference)
print("1 rank: %.1f s" % (time.time() - start))
with h5py.File(reference, "r") as f:
    assert f["done"][()].tolist() == [1] * 12, f["done"][()]
    assert f["points/g"][()].tolist() == [3, 3, 3, 3, 5, 5, 5, 5, 6, 6, 6, 6]
    assert f["points/repeat"][()].tolist() == [0, 1] * 6
    rate = f["metrics/exc/rate_hz"][()]
    assert np.all(rate > 1) and np.all(rate < 500), rate
    assert np.all(np.isfinite(f["metrics/exc_to_exc/weight_mean"][()]))
    assert len(f["spikes_of_point/3/exc/timestamps"]) > 0

for ranks, per_point in ((2, 1), (2, 2), (4, 1), (4, 2), (4, 4)):
    out = os.path.join(work, "ranks%d_per%d.h5" % (ranks, per_point))
    start = time.time()
    sweep_run(ranks, out, "--ranks-per-point", str(per_point))
    print("%d ranks, %d per point: %.1f s" % (ranks, per_point, time.time() - start))
    diff = differences(reference, out)
    if diff:
        failures.append("%d ranks, %d per point differ from 1 rank in: %s" % (ranks, per_point, diff))


def expect_error(command, fragment, ranks=2):
    check_error(args, failures, command, fragment, ranks)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# Complete: nothing to do, the file untouched.
before = digest(reference)
result = sweep_run(2, reference)
if digest(reference) != before:
    failures.append("rerunning a complete sweep changed the file")

# A changed sweep file: refused, naming the change; the file untouched.
changed = os.path.join(work, "changed.toml")
with open(sweep) as f:
    text = f.read()
with open(changed, "w") as f:
    f.write(text.replace("values = [3.0, 5.0, 6.0]", "values = [3.0, 5.0, 7.0]"))
expect_error(["sweep", changed, "--out", reference], "axis.g.values: file [3.0, 5.0, 6.0], now [3.0, 5.0, 7.0]")
if digest(reference) != before:
    failures.append("a refused sweep changed the file")


def broken(name, old, new, fragment):
    path = os.path.join(work, name + ".toml")
    with open(path, "w") as f:
        f.write(text.replace(old, new))
    expect_error(["sweep", path, "--out", os.path.join(work, name + ".h5")], fragment)
    if os.path.exists(os.path.join(work, name + ".h5.parts")):
        failures.append(name + ": a sweep with an error must not start")


broken("unknown_key", "projection[2].weight_mv", "projection[9].weight_mv",
       "axis[0] (g).keys.projection[9].weight_mv: no element 9 in 'projection'")
broken("unknown_axis", "-g * 0.1", "-G * 0.1", "names 'G', which is not an axis (axes: g, eta)")
broken("unequal_list", 'design = "grid"', 'design = "list"', "a list design zips axes of equal length")
broken("empty_axis", "values = [1.5, 2.5]", "values = []", "axis[1].values: expected at least one value")
broken("invalid_network", "scale = 10000.0", "scale = -10000.0", "axis[1] (eta).key (stimulus[0].rate_hz): ")
expect_error(["sweep", os.path.join(work, "missing.toml"), "--out", os.path.join(work, "x.h5")], "missing.toml")
expect_error(["sweep", sweep, "--out", os.path.join(work, "x.h5"), "--ranks-per-point", "3"],
             "--ranks-per-point: expected a divisor of the number of ranks (2), got 3")

# Shards (a SLURM array) merged: the same table as one run.
shards = []
for i in range(3):
    shard = os.path.join(work, "shard%d.h5" % i)
    sweep_run(1, shard, "--shard", "%d/3" % i)
    shards.append(shard)
with h5py.File(shards[1], "r") as f:
    if f["done"][()].tolist() != [1 if i % 3 == 1 else 0 for i in range(12)]:
        failures.append("shard 1/3 must hold rows 1, 4, 7, 10: " + str(f["done"][()]))
merged = os.path.join(work, "merged.h5")
run(mpi_command(args, 2, [args.binary, "sweep", "--merge", merged] + shards))
diff = differences(reference, merged)
if diff:
    failures.append("merged shards differ from one run in: %s" % diff)
expect_error(["sweep", "--merge", os.path.join(work, "partial.h5")] + shards[:2], "is done in none of the shards")

# The README's reader (the block between the sweep-reader markers), on the reference file.
readme = open(os.path.join(args.source_dir, "README.md")).read()
match = re.search(r"<!-- sweep-reader:begin -->\s*```python\n(.*?)```\s*<!-- sweep-reader:end -->", readme, re.S)
if not match:
    failures.append("README.md has no sweep-reader block")
else:
    namespace = {}
    exec(match.group(1).replace("out/states.h5", reference), namespace)
    table = namespace["table"]
    if len(table["exc.cv_isi"]) != 12 or "g" not in table or "exc_to_exc.weight_bimodality" not in table:
        failures.append("the README reader's table is not the sweep's: " + str(sorted(table)))

if failures:
    sys.exit("\n".join(failures))
print("OK: identical tables on 1, 2 and 4 ranks, any ranks per point, and merged shards")
