"""The Vogels-Abbott networks (examples/pynn/vogels_abbott.py, COBA and CUBA) on spikeweave.pynn
and pyNN.brian2: mean rates and CVs of ISI agree within the seed-to-seed spread.

Scaled down to 200 neurons (scale 0.05, connection probability 0.4, so each neuron keeps its 80
recurrent inputs) with an independent 300 Hz Poisson input per neuron (a network this small
does not sustain its activity), 400 ms, statistics over 100-400 ms. Different seeds are different
networks and inputs, and at this size the rates vary a lot between them (8-40 Hz seen), so the
backends cannot be compared seed by seed: the two simulators draw connectivity and Poisson
input from different generators anyway.

The test: SpikeWeave runs N_SW = 10 seeds (cheap), which estimate the distribution of each
statistic over networks (mean m, standard deviation s). Brian2's seed (one per network, about
10 s with numpy code generation: the CI budget allows no more) must fall in the 99.9 %
prediction interval of that distribution, m +- t s sqrt(1 + 1/N_SW) with t = 4.78 (Student's t,
9 degrees of freedom, two-sided 99.9 %); with more seeds, so must their mean (interval for a mean
of n: m +- t s sqrt(1/n + 1/N_SW)). A systematic difference in the model (a weight off by a factor of
two, the wrong synaptic sign or time constant) moves the rates by more than that; the
single-neuron comparison (test_pynn_cells.py) checks the dynamics tightly.
"""
import os
import sys
import time

import numpy as np

from pynn_helpers import brian2_backend, memoize_brian2_state_updaters, spikeweave_backend

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "examples", "pynn"))
import vogels_abbott  # noqa: E402

SCALE, DRIVE_HZ, T_STOP_MS, T_START_MS = 0.05, 300.0, 400.0, 100.0
SW_SEEDS = range(1, 11)
B2_SEEDS = (101,)
T_999_DOF9 = 4.781   # Student's t, 0.9995 quantile, 9 degrees of freedom


def statistics(sim, benchmark, seed):
    """(rate exc, rate inh, CV exc, CV inh) of one network."""
    if sim.__name__ == "pyNN.brian2":
        # Brian2's Poisson sources draw from its own generator: seed it, so that the test's
        # outcome is fixed (it passes or fails every time, it does not flake)
        import brian2
        brian2.seed(seed)
    exc, inh = vogels_abbott.build(sim, benchmark, SCALE, seed, drive_hz=DRIVE_HZ)
    sim.run(T_STOP_MS)
    (rate_e, cv_e), (rate_i, cv_i) = [vogels_abbott.statistics(p, T_START_MS, T_STOP_MS)
                                      for p in (exc, inh)]
    sim.end()
    return np.array([rate_e, rate_i, cv_e, cv_i])


def main():
    sw, b2 = spikeweave_backend(), brian2_backend()
    memoize_brian2_state_updaters()
    names = ("exc rate [Hz]", "inh rate [Hz]", "exc CV", "inh CV")
    failures = []
    for benchmark in ("COBA", "CUBA"):
        t0 = time.time()
        ours = np.array([statistics(sw, benchmark, seed) for seed in SW_SEEDS])
        t1 = time.time()
        theirs = np.array([statistics(b2, benchmark, seed) for seed in B2_SEEDS])
        t2 = time.time()
        print(f"{benchmark}: spikeweave {len(SW_SEEDS)} seeds {t1 - t0:.1f} s, brian2 "
              f"{len(B2_SEEDS)} seeds {t2 - t1:.1f} s")
        mean, sd = ours.mean(axis=0), ours.std(axis=0, ddof=1)
        for k, name in enumerate(names):
            single = T_999_DOF9 * sd[k] * np.sqrt(1 + 1 / len(SW_SEEDS))
            of_mean = T_999_DOF9 * sd[k] * np.sqrt(1 / len(B2_SEEDS) + 1 / len(SW_SEEDS))
            ok = (np.all(np.abs(theirs[:, k] - mean[k]) <= single)
                  and abs(theirs[:, k].mean() - mean[k]) <= of_mean and mean[k] > 0)
            print(f"  {name}: spikeweave {mean[k]:.3f} +- {sd[k]:.3f} (sd over seeds), brian2 "
                  f"{np.round(theirs[:, k], 3).tolist()}; intervals +-{single:.3f} (one), "
                  f"+-{of_mean:.3f} (mean) {'ok' if ok else 'FAIL'}")
            if not ok:
                failures.append(f"{benchmark} {name}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
