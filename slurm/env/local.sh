# shellcheck shell=bash
# SpikeWeave job environment for the local single-node test cluster (slurm/local-cluster/up.sh)
# and for plain Debian 12 machines: Debian's Open MPI and parallel HDF5, Kokkos Serial, root.
# Sourced by the slurm/templates/*.sbatch scripts when SPIKEWEAVE_ENV points here.

# Kokkos Serial (Debian's libtrilinos-kokkos-dev) runs one thread per rank: parallelism is ranks.
export OMP_NUM_THREADS=1
export KOKKOS_NUM_THREADS=1
export OMP_PROC_BIND=false
# With a threaded build on this shared box, idle threads must sleep, not spin.
export OMP_WAIT_POLICY=passive
export SRUN_CPUS_PER_TASK="${SLURM_CPUS_PER_TASK:-1}"

# The test cluster runs jobs as root; Open MPI refuses root unless told, in both launch modes.
if [ "$(id -u)" = 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# Other work shares these cores (and the cluster may advertise more CPUs than the box has:
# SlurmdParameters=config_overrides on a 1-core CI machine): do not bind. --oversubscribe only
# when there are more ranks than cores, since it makes idle ranks yield (slower polling).
export MPIRUN_BIND="--bind-to none"
if [ "$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)" -lt "${SLURM_NTASKS:-1}" ]; then
  MPIRUN_BIND="$MPIRUN_BIND --oversubscribe"
fi
# Loopback only: keep Open MPI off other interfaces (containers often have odd ones).
export OMPI_MCA_btl_tcp_if_include=lo
export OMPI_MCA_oob_tcp_if_include=lo
