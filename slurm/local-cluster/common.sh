# shellcheck shell=bash
# Helpers shared by up.sh and down.sh (sourced, not run). Expects STATE and SLURM_CONF to be set.
# shellcheck disable=SC2153  # STATE is set by the sourcing script

# True if the pid in file $1 is alive and is one of *this* cluster's daemons: its command line
# names the state directory, so a recycled pid of an unrelated process never counts.
daemon_alive() {
  local pidfile="$1" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2> /dev/null)"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$STATE/"
}

# True while process $1 exists and is not a zombie: the daemons are reparented to pid 1, which may
# reap them seconds after they exit (about 3.5 s per cluster here), so /proc/PID alone overstates.
running() {
  local stat
  stat="$(cat "/proc/$1/stat" 2> /dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# stop_daemon PIDFILE NAME [PIDFILE NAME ...]: sends STOP_SIGNAL (default TERM) to each daemon at
# once (on SIGTERM they take 1-2 s each to shut down), waits up to 10 s, then SIGKILLs whatever is
# left; removes the pid files.
stop_daemon() {
  local pids=() names=() pid _ i
  while [ $# -ge 2 ]; do
    if daemon_alive "$1"; then
      pid="$(cat "$1")"
      kill "-${STOP_SIGNAL:-TERM}" "$pid" 2> /dev/null || true
      pids+=("$pid")
      names+=("$2")
    fi
    rm -f "$1"
    shift 2
  done
  for _ in $(seq 1 100); do
    for i in "${!pids[@]}"; do
      running "${pids[$i]}" || unset "pids[$i]"
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    echo "local-cluster: ${names[$i]} (pid ${pids[$i]}) ignored SIGTERM; sending SIGKILL" >&2
    kill -KILL "${pids[$i]}" 2> /dev/null || true
  done
}

ctld_up() { scontrol ping 2> /dev/null | grep -q 'is UP'; }

# The node accepts jobs: idle, or already running some (mixed/allocated).
node_ready() {
  local state
  state="$(sinfo -h -n localhost -o %t 2> /dev/null | head -n 1)"
  case "$state" in idle | mix | alloc) return 0 ;; *) return 1 ;; esac
}

# wait_for WHAT SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_for() {
  local what="$1" seconds="$2" _
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  echo "local-cluster: timed out after ${seconds}s waiting for $what" >&2
  return 1
}

# A random TCP port in 20000-59999 that nothing on 127.0.0.1 listens on.
free_port() {
  local port _
  for _ in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
