"""The examples of examples/pynn on spikeweave.pynn (no Brian2; a few seconds): the STDP window
script's weight changes equal the closed form it prints, and the Brunel notebook runs in steps,
stays in an active state and writes its figures."""
import os
import re
import subprocess
import sys
import tempfile

from pynn_helpers import spikeweave_backend

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "pynn")
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(*args):
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout, result.stderr)
    return result


spikeweave_backend()   # skips without python3-pynn
result = run(os.path.join(EXAMPLES, "stdp_window.py"), "spikeweave")
rows = [tuple(map(float, line.split())) for line in result.stdout.splitlines()
        if re.match(r"^\s+-?[0-9.]+\s+-?[0-9.]+\s+-?[0-9.]+$", line)]
check(result.returncode == 0 and len(rows) == 41, f"stdp_window.py: 41 rows ({len(rows)})")
# printed with 4 decimals [pA]: equal to the last digit
check(all(abs(dw - expected) <= 1.5e-4 for _, dw, expected in rows),
      "stdp_window.py: every weight change equals the closed form")
check(any(dw > 0 for _, dw, _ in rows) and any(dw < 0 for _, dw, _ in rows),
      "stdp_window.py: potentiation and depression")

with tempfile.TemporaryDirectory() as out:
    result = run(os.path.join(EXAMPLES, "brunel_notebook.py"), "--scale", "0.05", "--out", out)
    rates = [float(r) for r in re.findall(r"exc +([0-9.]+) Hz", result.stdout)]
    check(result.returncode == 0 and len(rates) == 10,
          f"brunel_notebook.py: 10 steps of 100 ms ({len(rates)})")
    check(all(1.0 < r < 200.0 for r in rates), f"brunel_notebook.py: active in every step {rates}")
    figures = sorted(os.listdir(out))
    check(figures == ["membrane.png", "raster.png", "rate.png"]
          and all(os.path.getsize(os.path.join(out, f)) > 10000 for f in figures),
          f"brunel_notebook.py: figures {figures}")
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
