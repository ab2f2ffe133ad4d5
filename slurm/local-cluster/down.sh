#!/usr/bin/env bash
# Stops the local SLURM cluster of slurm/local-cluster/up.sh: cancels its jobs, then stops slurmd,
# slurmctld and munged by the pids in their pid files (never by process name, so other clusters
# and unrelated daemons are left alone). Keeps the state directory (logs, munge key); pass
# --purge after the directory to delete it too.
#
#   slurm/local-cluster/down.sh [STATE_DIR] [--purge]
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${1:-${SPIKEWEAVE_SLURM_STATE:-/tmp/spikeweave-slurm}}"
PURGE="${2:-}"
export PATH="$PATH:/usr/sbin"
if [ ! -d "$STATE" ]; then
  echo "local-cluster: no state directory $STATE: nothing to stop" >&2
  exit 0
fi
STATE="$(cd "$STATE" && pwd)"
export SLURM_CONF="$STATE/slurm.conf"
# shellcheck source=slurm/local-cluster/common.sh
source "$HERE/common.sh"

# Cancel jobs while slurmctld and slurmd still run, so no job step outlives the cluster.
if [ -f "$SLURM_CONF" ] && daemon_alive "$STATE/run/slurmctld.pid"; then
  mapfile -t jobs < <(squeue -h -o %i 2> /dev/null)
  if [ ${#jobs[@]} -gt 0 ]; then
    scancel --full "${jobs[@]}" 2> /dev/null || true
    no_running_jobs() { [ -z "$(squeue -h -t R,CG -o %i 2> /dev/null)" ]; }
    wait_for "jobs to end" 15 no_running_jobs || true
  fi
fi
# With --purge the daemons' state is deleted anyway: SIGKILL spares the 4 s of orderly shutdown
# (the jobs are already cancelled above; every SLURM test brings a cluster down).
[ "$PURGE" != "--purge" ] || STOP_SIGNAL=KILL
stop_daemon "$STATE/run/slurmd.pid" slurmd "$STATE/run/slurmctld.pid" slurmctld
stop_daemon "$STATE/munge/munged.pid" munged  # last: the others authenticate through it
# Clients of this cluster that would otherwise retry forever (an `sbatch --wait` whose caller was
# killed): only sbatch/srun/salloc processes whose environment names this cluster's slurm.conf.
for environ in /proc/[0-9]*/environ; do
  pid="${environ#/proc/}"
  pid="${pid%/environ}"
  case "$(cat "/proc/$pid/comm" 2> /dev/null)" in sbatch | srun | salloc) ;; *) continue ;; esac
  if tr '\0' '\n' 2> /dev/null < "$environ" | grep -qxF "SLURM_CONF=$SLURM_CONF"; then
    echo "local-cluster: stopping client $(cat "/proc/$pid/comm") (pid $pid)" >&2
    kill -TERM "$pid" 2> /dev/null || true
  fi
done
echo "local-cluster: stopped ($STATE)" >&2
if [ "$PURGE" = "--purge" ]; then
  rm -rf "$STATE"
  echo "local-cluster: removed $STATE" >&2
fi
