"""Shared pieces of the Python tests: the spikeweave binary (argv[1]), running it, parsing
`spikeweave inspect`, and small networks."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
PACKAGE_DIR = os.path.join(SOURCE_DIR, "python")
sys.path.insert(0, PACKAGE_DIR)
sys.path.insert(0, HERE)

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")


def binary():
    """The spikeweave executable: argument 1 of the test (CTest passes $<TARGET_FILE>)."""
    if len(sys.argv) < 2:
        sys.exit("usage: test_*.py SPIKEWEAVE_BINARY")
    return sys.argv.pop(1)


def spikeweave(exe, *args, check=True):
    result = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, env=ENV,
                            timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"spikeweave {' '.join(map(str, args))} failed "
                             f"({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def inspect_counts(exe, path):
    """{population: (neurons, spikes)} as `spikeweave inspect` prints them."""
    out = spikeweave(exe, "inspect", path).stdout
    counts = {}
    for line in out.splitlines():
        match = re.match(r"^(\S+)\s+(\d+)\s+(\d+)\s+([\d.]+)$", line)
        if match:
            counts[match.group(1)] = (int(match.group(2)), int(match.group(3)))
    return counts


# One population, no input: every neuron stays below threshold, so the run has zero spikes, no
# weights and no membrane report.
SILENT_NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0
seed = 1

[[population]]
name = "quiet"
size = 20
model = "lif_psc_exp"
params = { e_l_mv = -65.0, v_th_mv = -50.0, v_reset_mv = -65.0, tau_m_ms = 10.0 }

[[record]]
spikes = ["quiet"]
"""

# One population of Poisson sources: spikes, but nothing else recorded.
ONE_POPULATION_NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 500.0
seed = 3

[[population]]
name = "poisson"
size = 60
model = "poisson_source"
params = { rate_hz = 20.0 }

[[record]]
spikes = ["poisson"]
"""


# An AdEx and an adaptive LIF population whose v_m recordings list state variables.
STATE_NET = """
[simulation]
dt_ms = 0.1
t_stop_ms = 100.0
seed = 4

[[population]]
name = "adex"
size = 5
model = "aeif_cond_exp"
params = { i_e_pa = 700.0, b_pa = 60.0 }

[[population]]
name = "alif"
size = 3
model = "lif_psc_exp_adaptive"
params = { i_e_pa = 600.0, theta_plus_mv = 1.0, tau_theta_ms = 50.0 }

[[record]]
v_m = { population = "adex", count = 5, every_ms = 1.0, variables = ["w_pa"] }

[[record]]
v_m = { population = "alif", count = 3, every_ms = 0.5, variables = ["theta_mv", "w_pa"] }
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def run_network(exe, toml, out, *sets):
    """Runs `toml` into `out` with --set overrides; returns out."""
    args = ["run", toml, "-o", out, "--overwrite", "-q"]
    for s in sets:
        args += ["--set", s]
    spikeweave(exe, *args)
    return out


def stdp_demo(exe, out):
    """examples/stdp_demo.toml, shortened to 1 s with 250 sampled synapses every 50 ms."""
    return run_network(exe, os.path.join(SOURCE_DIR, "examples", "stdp_demo.toml"), out,
                       "simulation.t_stop_ms=1000", "record[0].weights.sample=250",
                       "record[0].weights.every_ms=50")


def cascade(exe, out):
    """examples/plasticity_cascade.toml for 2 s: weights with rho and late_weight."""
    return run_network(exe, os.path.join(SOURCE_DIR, "examples", "plasticity_cascade.toml"), out,
                       "simulation.t_stop_ms=2000")
