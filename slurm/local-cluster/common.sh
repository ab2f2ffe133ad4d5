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

# Sends TERM to the daemon of pid file $1 (named $2 in messages), then KILL after 10 s.
stop_daemon() {
  local pidfile="$1" name="$2" pid _
  if daemon_alive "$pidfile"; then
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2> /dev/null || true
    for _ in $(seq 1 100); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
      echo "local-cluster: $name (pid $pid) ignored SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2> /dev/null || true
    fi
  fi
  rm -f "$pidfile"
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
