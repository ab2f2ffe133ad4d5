"""The changes test_simulation_mpi.py makes between the two halves of a run, on one process and
on every rank of `mpirun -np 2` alike (each rank changes its own neurons and synapses)."""
import numpy as np


def change(sim, pairs):
    """pairs: [2, n] node ids (source, target) of existing exc_to_inh synapses."""
    sim.set_state("exc", "v_m_mv", -60.0, node_ids=np.arange(0, 400, 7))
    sim.set_state("inh", "i_syn_ex_pa", 40.0, node_ids=np.arange(0, 100, 3))
    sim.set_weights("exc_to_exc", 70.0)
    sim.set_weights("exc_to_inh", np.linspace(60.0, 90.0, pairs.shape[1]), pairs[0], pairs[1])
    sim.set_stimulus(0, rate_hz=12000.0)
