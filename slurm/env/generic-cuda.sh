# shellcheck shell=bash
# SpikeWeave job environment for GPU nodes: Open MPI + parallel HDF5 + Kokkos (CUDA backend).
# Sourced by the slurm/templates/*.sbatch scripts when SPIKEWEAVE_ENV points here.
# Ask for one rank per GPU in the template header:
#   #SBATCH --ntasks-per-node=4   --gpus-per-task=1   --cpus-per-task=8   (4 GPUs per node)

if command -v module > /dev/null 2>&1; then
  module purge
  # module load gcc/12 cuda/12 openmpi/4.1-cuda hdf5/1.10-mpi kokkos/4.3-cuda
  :
fi

# Device selection: with --gpus-per-task=1 Slurm shows each rank only its own GPU
# (CUDA_VISIBLE_DEVICES), so device 0 is right. Without it, Kokkos >= 4.2 picks the GPU of the
# node-local rank (KOKKOS_MAP_DEVICE_ID_BY=mpi_rank, reading SLURM_LOCALID or Open MPI's local
# rank); Kokkos 3.x needs KOKKOS_NUM_DEVICES=<GPUs per node> for the same effect.
export KOKKOS_MAP_DEVICE_ID_BY="${KOKKOS_MAP_DEVICE_ID_BY:-mpi_rank}"
# Host-side threads (I/O, setup) of each rank: a few are enough on GPU runs.
export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"
export KOKKOS_NUM_THREADS="$OMP_NUM_THREADS"
export OMP_PROC_BIND="${OMP_PROC_BIND:-spread}"
export OMP_PLACES="${OMP_PLACES:-cores}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-active}"  # see generic-openmpi.sh
export SRUN_CPUS_PER_TASK="${SLURM_CPUS_PER_TASK:-1}"
export MPIRUN_BIND="${MPIRUN_BIND:---bind-to core}"
# Spike buffers live in host memory (MPI sees host pointers), so no CUDA-aware MPI is required.
