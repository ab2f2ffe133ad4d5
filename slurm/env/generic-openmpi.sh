# shellcheck shell=bash
# SpikeWeave job environment for a typical cluster: Open MPI + parallel HDF5 + Kokkos (OpenMP
# backend) from environment modules. Sourced by the slurm/templates/*.sbatch scripts when
# SPIKEWEAVE_ENV points here; copy it to slurm/env/<your-cluster>.sh and edit the module names.
# Runs inside the job (on the first node); srun and mpirun pass the environment on to every rank.

# --- Software -----------------------------------------------------------------------------------
# Load exactly what SpikeWeave was built with: the MPI of the HDF5 build must be the MPI you
# launch with, or ranks crash in MPI_Init / H5Fcreate. `module spider hdf5` lists the variants.
if command -v module > /dev/null 2>&1; then
  module purge
  # module load gcc/12 openmpi/4.1 hdf5/1.10-mpi kokkos/4.3-openmp boost/1.74
  :
fi
# Where `spikeweave` lives if it is not on PATH after the module loads:
# export PATH="$HOME/spikeweave/build/bin:$PATH"

# --- Threads per rank (Kokkos OpenMP backend) -----------------------------------------------------
# One MPI rank per socket or NUMA domain with one thread per core of it is usually fastest
# (e.g. --ntasks-per-node=2 --cpus-per-task=64 on a 2x64-core node). SLURM_CPUS_PER_TASK is the
# --cpus-per-task of the job; with a Serial Kokkos build threads are unused, use 1 there.
#   OMP_NUM_THREADS     threads of the OpenMP runtime that Kokkos::OpenMP uses.
#   KOKKOS_NUM_THREADS  the same for Kokkos itself (Kokkos 3.x and 4.x read it; it wins over
#                       OMP_NUM_THREADS when both are set, so keep them equal).
#   OMP_PROC_BIND       pin threads so they do not migrate between cores (Kokkos warns when it is
#                       unset): `spread` spreads one rank's threads over its cores, `close` packs them.
#   OMP_PLACES          the unit a thread is pinned to: `cores` (or `threads` with SMT in use).
export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"
export KOKKOS_NUM_THREADS="$OMP_NUM_THREADS"
export OMP_PROC_BIND="${OMP_PROC_BIND:-spread}"
export OMP_PLACES="${OMP_PLACES:-cores}"
#   OMP_WAIT_POLICY     `active` (threads spin between parallel regions: lowest latency when every
#                       thread has its own core, as bound here); set `passive` if ranks x threads
#                       exceed the cores, where spinning threads steal the cores that MPI and the
#                       other ranks need (runs were 20-100x slower on an oversubscribed machine).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-active}"
# Slurm 22.05 to 23.02: srun no longer inherits --cpus-per-task from sbatch; without this every
# rank would get one CPU and its threads would share it.
export SRUN_CPUS_PER_TASK="${SLURM_CPUS_PER_TASK:-1}"

# --- MPI ------------------------------------------------------------------------------------------
# srun: ranks are bound by Slurm's task plugin (--cpu-bind=cores is the common site default).
# mpirun (run_mpirun.sbatch, LAUNCHER=mpirun): Open MPI reads the allocation itself; the templates
# place one rank per --cpus-per-task cores (--map-by ...:PE=n) and add MPIRUN_BIND to bind it there.
export MPIRUN_BIND="${MPIRUN_BIND:---bind-to core}"
# Parallel HDF5 on Lustre: collective I/O through ROMIO is usually faster than OMPIO there.
# export OMPI_MCA_io=romio321
