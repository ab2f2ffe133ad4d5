"""One rank of test_simulation_mpi.py: builds small_net.toml with spikeweave.Simulation (MPI
initialised by the module itself, under mpirun), runs it in two steps and saves this rank's part
of the spikes, membrane potentials and weights to OUTDIR/rank<r>.npz. Between the halves it makes
the changes of simulation_changes.py (the synapse pairs come from PAIRS.npy)."""
import sys
from pathlib import Path

import numpy as np

import spikeweave
from simulation_changes import change

config, outdir, pairs = sys.argv[1], Path(sys.argv[2]), np.load(sys.argv[3])
sim = spikeweave.Simulation.from_file(config)
sim.run(sim.t_stop_ms / 2)
change(sim, pairs)
sim.run(sim.t_stop_ms / 2)
arrays = {"ranks": np.array([sim.ranks]),
          "counts": np.array(list(sim.spike_counts().values()), np.uint64)}
for population in sim.populations:
    arrays[f"{population}_ids"], arrays[f"{population}_times"] = sim.spikes(population)
    arrays[f"{population}_v_ids"], arrays[f"{population}_v"] = sim.v_m(population)
for projection in sim.projections:
    for field, values in zip(("source", "target", "weight"), sim.weights(projection)):
        arrays[f"{projection}_{field}"] = values
np.savez(outdir / f"rank{sim.rank}.npz", **arrays)
