"""What the checkpoint tests share: the executable and mpiexec from the command line
(SPIKEWEAVE MPIEXEC [mpiexec flags...], as CTest passes them), small networks with every
plasticity rule, and running / comparing runs."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_checkpoint  # noqa: E402

SPIKEWEAVE = sys.argv[1]
MPIEXEC = sys.argv[2]
MPI_FLAGS = sys.argv[3:]
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

# The EE projection's plasticity table per rule. Sweeps and tagging updates every few ms, so that
# their clocks are mid-period at the checkpoint; learning rates large enough that weights move.
RULES = {
    "static": None,
    "stdp_pair": '{ rule = "stdp_pair", lambda = 0.05, w_max_pa = 200.0, sweep_interval_ms = 30.0 }',
    "stdp_pair_nearest_pre_centered": '{ rule = "stdp_pair", lambda = 0.05, w_max_pa = 200.0, '
                                      'pairing = "nearest_pre_centered", sweep_interval_ms = 30.0 }',
    "stdp_power_law": '{ rule = "stdp_power_law", lambda = 0.1, sweep_interval_ms = 30.0 }',
    "stdp_triplet": '{ rule = "stdp_triplet", a3_plus = 0.05, a2_minus = 0.01, w_max_pa = 200.0, '
                    'sweep_interval_ms = 30.0 }',
    "stdp_dopamine": '{ rule = "stdp_dopamine", dopamine_population = "DA", w_max_pa = 200.0, '
                     'sweep_interval_ms = 30.0 }',
    "calcium": '{ rule = "calcium", w_min_pa = 0.0, w_max_pa = 200.0, tau_rho_ms = 500.0, '
               'pre_delay_ms = 3.7, dopamine_population = "DA", sweep_interval_ms = 30.0 }',
    "homeostatic_scaling": '{ rule = "homeostatic_scaling", target_rate_hz = 5.0, tau_ms = 500.0, '
                           'rate_tau_ms = 100.0 }',
    "tagging": '{ rule = "stdp_pair", lambda = 0.05, w_max_pa = 200.0, sweep_interval_ms = 30.0, '
               'homeostatic_scaling = { target_rate_hz = 5.0, tau_ms = 500.0, rate_tau_ms = 100.0 }, '
               'tagging = { tag_threshold_pa = 1.0, tau_early_ms = 500.0, tau_consolidation_ms = 200.0, '
               'protein_rate_threshold_hz = 2.0, tau_protein_ms = 100.0, update_interval_ms = 7.0 } }',
}
RECORDED_VARIABLES = {"stdp_dopamine": '["eligibility"]', "calcium": '["rho"]',
                      "tagging": '["late_weight"]'}


def network(rule, t_stop_ms=200.0):
    """A small recurrent network whose EE projection learns with `rule` (a RULES key)."""
    plasticity = RULES[rule]
    ee = f"plasticity = {plasticity}\n" if plasticity else ""
    variables = RECORDED_VARIABLES.get(rule)
    weights = (f'weights = {{ projection = "EE", every_ms = 10.0, sample = 300'
               + (f", variables = {variables}" if variables else "") + " }")
    return f"""
[simulation]
dt_ms = 0.1
t_stop_ms = {t_stop_ms}
seed = 5
output = "out.h5"
flush_interval_ms = 30.0

[[population]]
name = "exc"
size = 240
model = "lif_psc_exp"
params = {{ e_l_mv = -65.0, v_th_mv = -50.0, v_reset_mv = -65.0, tau_m_ms = 10.0, tau_syn_ex_ms = 2.0, tau_syn_in_ms = 2.0 }}
init = {{ v_m_mv = {{ normal = [-58.0, 5.0] }} }}

[[population]]
name = "inh"
size = 60
model = "lif_psc_alpha"
params = {{ e_l_mv = -65.0, v_th_mv = -50.0, v_reset_mv = -65.0, tau_m_ms = 10.0 }}

[[population]]
name = "DA"
size = 1
model = "spike_source"
params = {{ spike_times_ms = [[20.0, 60.0, 95.0, 100.3, 140.0, 180.0]] }}

[[projection]]
name = "EE"
source = "exc"
target = "exc"
connect = {{ rule = "fixed_indegree", indegree = 30 }}
weight_pa = {{ normal = [60.0, 10.0], min = 0.0 }}
delay_ms = {{ uniform = [1.0, 3.0] }}
{ee}
[[projection]]
name = "EI"
source = "exc"
target = "inh"
connect = {{ rule = "pairwise_bernoulli", p = 0.1 }}
weight_pa = 80.0
delay_ms = 1.5

[[projection]]
name = "IE"
source = "inh"
target = "exc"
connect = {{ rule = "fixed_indegree", indegree = 10 }}
weight_pa = -300.0
delay_ms = 1.0

[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 12000.0
weight_pa = 87.8

[[stimulus]]
kind = "poisson"
target = "inh"
rate_hz = 12000.0
weight_pa = 87.8

[[record]]
spikes = "all"
{weights}
v_m = {{ population = "exc", node_ids = [0, 1, 2, 3, 4, 5, 6, 7], every_ms = 1.0 }}
"""


def models_network(t_stop_ms=200.0):
    """A small network of the two models with a step-size state: aeif_cond_exp (adaptive RKF45;
    its checkpoint holds the step size) with a plastic EE projection, and hh_psc_alpha."""
    return f"""
[simulation]
dt_ms = 0.1
t_stop_ms = {t_stop_ms}
seed = 11
output = "out.h5"
flush_interval_ms = 30.0

[[population]]
name = "exc"
size = 60
model = "aeif_cond_exp"
params = {{ c_m_pf = 200.0, g_l_ns = 10.0, e_l_mv = -60.0, v_th_mv = -50.0, delta_t_mv = 2.0, v_peak_mv = 0.0, v_reset_mv = -60.0, t_ref_ms = 2.0, a_ns = 2.0, b_pa = 20.0, tau_w_ms = 100.0, i_e_pa = 150.0 }}
init = {{ v_m_mv = {{ uniform = [-60.0, -52.0] }} }}

[[population]]
name = "hh"
size = 20
model = "hh_psc_alpha"
params = {{ i_e_pa = 600.0 }}

[[projection]]
name = "EE"
source = "exc"
target = "exc"
connect = {{ rule = "fixed_indegree", indegree = 10 }}
weight_ns = {{ uniform = [1.0, 3.0] }}
delay_ms = {{ uniform = [1.0, 2.0] }}
plasticity = {{ rule = "stdp_pair", lambda = 0.05, w_max_ns = 6.0, sweep_interval_ms = 30.0 }}

[[projection]]
source = "exc"
target = "hh"
connect = {{ rule = "fixed_indegree", indegree = 10 }}
weight_pa = 40.0
delay_ms = 1.0

[[projection]]
source = "hh"
target = "exc"
connect = {{ rule = "fixed_indegree", indegree = 5 }}
weight_ns = -5.0
delay_ms = 1.0

[[stimulus]]
kind = "poisson"
target = "exc"
rate_hz = 4000.0
weight_ns = 1.0

[[record]]
spikes = "all"
weights = {{ projection = "EE", every_ms = 10.0, sample = 100 }}
v_m = {{ population = "exc", node_ids = [0, 1, 2, 3], every_ms = 1.0 }}
"""


def run(args, ranks=None, cwd=None, timeout=240):
    """Runs spikeweave ARGS, under mpiexec with RANKS ranks if given; returns the process."""
    cmd = [SPIKEWEAVE] + args
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + MPI_FLAGS + cmd
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)


def must(process, what):
    if process.returncode != 0:
        raise AssertionError(f"{what}: exit {process.returncode}\n{process.stdout}\n{process.stderr}")
    return process


def ckpt(directory, step):
    return os.path.join(directory, f"ckpt-{step:012d}")


def report(problems):
    """Prints every problem found; the exit status of a test script (0: none)."""
    for p in problems:
        print(p)
    return 1 if problems else 0
