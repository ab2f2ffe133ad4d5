"""Numerical blow-up through the command line: a neuron whose membrane potential diverges (a
DC current of -1e9 pA into a 1e-300 pF membrane from t = 10 ms drives it to -inf, which no
threshold resets) stops the run on every rank with status 1 and one message naming the
population, the neuron and the time; the output recorded until then is committed under its
final name (the healthy population's spikes equal those of a run without the divergence, up to
the stop), and no checkpoint of the non-finite state is written. On 1 and 2 ranks."""
import os
import re
import sys
import tempfile

import h5py
import numpy as np

from checkpoint_harness import must, report, run

BLOWUP_MS = 10.0
NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 40.0
seed = 7
output = "out.h5"
flush_interval_ms = 2.0

[[population]]
name = "good"
size = 20
model = "lif_psc_exp"
params = {{ e_l_mv = -65.0, v_th_mv = -50.0, v_reset_mv = -65.0, tau_m_ms = 10.0 }}
init = {{ v_m_mv = {{ uniform = [-65.0, -50.0] }} }}

[[population]]
name = "bad"
size = 8
model = "lif_psc_exp"
params = {{ e_l_mv = -65.0, v_th_mv = -50.0, v_reset_mv = -65.0, tau_m_ms = 10.0, c_m_pf = 1e-300 }}

[[projection]]
source = "good"
target = "good"
connect = {{ rule = "fixed_indegree", indegree = 2 }}
weight_pa = 5.0
delay_ms = 1.0

[[stimulus]]
kind = "dc"
target = "good"
amplitude_pa = 500.0

[[stimulus]]
kind = "dc"
target = "bad"
node_ids = [5]
start_ms = 10.0
amplitude_pa = {amplitude_pa}

[[record]]
spikes = "all"
"""


def good_spikes(path):
    with h5py.File(path, "r") as f:
        t = f["spikes/good/timestamps"][...]
        n = f["spikes/good/node_ids"][...]
    order = np.lexsort((n, t))
    return t[order], n[order]


def trial(d, ranks):
    problems = []
    name = f"{ranks or 1} rank(s)"
    with open(os.path.join(d, "bad.toml"), "w") as f:
        f.write(NET.format(amplitude_pa=-1e9))
    p = run(["run", "bad.toml", "-o", "bad.h5", "--checkpoint-every-ms", "20",
             "--checkpoint-dir", "A"], ranks, cwd=d)
    if p.returncode != 1:
        return [f"{name}: exit {p.returncode}, expected 1\n{p.stdout}\n{p.stderr}"]
    found = re.findall(r"numerical blow-up: population bad, neuron 5 \(gid 25\): v_m_mv is "
                       r"(-inf|nan) at t = ([\d.]+) ms", p.stderr)
    if len(found) != 1:
        problems.append(f"{name}: expected one message naming population, neuron and time:\n"
                        f"{p.stderr}")
        return problems
    t_stop = float(found[0][1])
    # Checked every flush_interval_ms (2 ms) at interval boundaries (1 ms).
    if not BLOWUP_MS < t_stop <= BLOWUP_MS + 3.0:
        problems.append(f"{name}: stopped at t = {t_stop} ms, expected within 3 ms after {BLOWUP_MS}")
    if not os.path.exists(os.path.join(d, "bad.h5")):
        problems.append(f"{name}: the output was not committed under its final name")
        return problems
    with h5py.File(os.path.join(d, "bad.h5"), "r") as f:
        if f["provenance/counters"].attrs.get("stopped_by_non_finite_state") != 1:
            problems.append(f"{name}: provenance lacks stopped_by_non_finite_state = 1")
    if os.path.exists(os.path.join(d, "A", "latest")):
        problems.append(f"{name}: a checkpoint was written")
    # What was buffered is there: the healthy population's spikes up to the stop.
    t_bad, n_bad = good_spikes(os.path.join(d, "bad.h5"))
    t_ok, n_ok = good_spikes(os.path.join(d, "ok.h5"))
    keep = t_ok <= t_stop + 1e-9  # a spike of the last step done is stamped at its end
    if len(t_bad) == 0 or not (np.array_equal(t_bad, t_ok[keep]) and np.array_equal(n_bad, n_ok[keep])):
        problems.append(f"{name}: {len(t_bad)} spikes of 'good' written, {int(keep.sum())} expected")
    return problems


def main():
    problems = []
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "ok.toml"), "w") as f:
            f.write(NET.format(amplitude_pa=0.0))
        # The reference: the same network without the divergent current.
        must(run(["run", "ok.toml", "-q", "-o", "ok.h5", "--set", "simulation.t_stop_ms=20"], cwd=d),
             "reference run")
        for ranks in (None, 2):
            sub = os.path.join(d, f"r{ranks}")
            os.makedirs(sub)
            os.link(os.path.join(d, "ok.h5"), os.path.join(sub, "ok.h5"))
            found = trial(sub, ranks)
            print(("FAIL " if found else "ok   ") + f"{ranks or 1} rank(s)", flush=True)
            problems += found
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
