#!/usr/bin/env python3
"""Runs the Python reader example of docs/rate_networks.md (the block between the
python-reader markers) on a freshly generated dataset."""
import os
import re
import shutil
import subprocess
import sys

from dataset_test_support import arguments, run

args = arguments(__doc__)
work = os.path.join(args.work_dir, "reader")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
doc = open(os.path.join(args.source_dir, "docs", "rate_networks.md")).read()
match = re.search(r"<!-- python-reader:begin -->\s*```python\n(.*?)```\s*<!-- python-reader:end -->", doc, re.S)
if not match:
    sys.exit("docs/rate_networks.md has no python-reader block")
script = os.path.join(work, "reader.py")
with open(script, "w") as f:
    f.write(match.group(1))
data = os.path.join(work, "data.h5")
run([args.binary, "dataset", "rate", "--networks", "3", "--neurons", "30", "--trials", "2", "--steps", "50",
     "--gain", "uniform:0.5,2.0", "--noise", "0.2", "-q", "--out", data])
result = subprocess.run(["/usr/bin/python3", script, data, "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, timeout=120)
sys.stdout.write(result.stdout)
if result.returncode != 0:
    sys.exit("the documented reader failed:\n" + result.stderr)
if "network 2: N = 30, K = 2 trials of T = 50 steps" not in result.stdout:
    sys.exit("unexpected output of the reader")
print("OK")
