"""Helpers shared by the dataset integration tests (run with /usr/bin/python3)."""
import argparse
import os
import shlex
import signal
import subprocess
import time


def arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--binary", required=True, help="path of the spikeweave executable")
    parser.add_argument("--mpiexec", required=True)
    parser.add_argument("--mpiexec-flags", default="", help="flags for mpiexec, one string")
    parser.add_argument("--source-dir", default="")
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--seed", type=int, default=None)
    return parser.parse_args()


def environment():
    env = dict(os.environ)
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    return env


def mpi_command(args, ranks, command):
    return [args.mpiexec, "-np", str(ranks)] + shlex.split(args.mpiexec_flags) + command


def run(command, timeout=120, check=True):
    result = subprocess.run(command, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise SystemExit("command failed (%d): %s\n%s%s" % (result.returncode, " ".join(command), result.stdout,
                                                          result.stderr))
    return result


def timed_run(command, work_path):
    """Runs `command` uninterrupted; returns (seconds until `work_path` (a run's work file or
    directory) appears, seconds in all). The kill tests time their kills from the first."""
    launched = time.time()
    process = subprocess.Popen(command, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    appeared = None
    while process.poll() is None:
        if appeared is None and os.path.exists(work_path):
            appeared = time.time() - launched
        time.sleep(0.005)
    total = time.time() - launched
    if process.returncode != 0:
        raise SystemExit("uninterrupted run failed: %s\n%s" % (" ".join(command), process.stderr.read()))
    return (appeared if appeared is not None else total), total


def check_error(args, failures, command, fragment, ranks=2):
    """Runs `spikeweave COMMAND` on `ranks` ranks; appends to `failures` unless it fails with
    `fragment` in its message, printed once."""
    result = run(mpi_command(args, ranks, [args.binary] + command), timeout=60, check=False)
    if result.returncode == 0:
        failures.append("expected a failure: %s" % " ".join(command))
    elif fragment not in result.stderr:
        failures.append("expected '%s' in the message of %s, got:\n%s" % (fragment, " ".join(command), result.stderr))
    elif result.stderr.count("error:") != 1:
        failures.append("the error must be printed once, got:\n" + result.stderr)


DATASETS = ("W", "input", "h0", "activity", "h", "lyapunov_per_ms", "params", "done")


def same_datasets(path_a, path_b):
    """Compares every dataset byte for byte; returns a list of differences."""
    import h5py
    differences = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        for name in DATASETS:
            if (name in a) != (name in b):
                differences.append(name + ": present in one file only")
            elif name in a and a[name][()].tobytes() != b[name][()].tobytes():
                differences.append(name + ": contents differ")
    return differences


def kill_session(session):
    """SIGKILL to every process of the session mpirun leads: Open MPI puts each rank in a
    process group of its own, so killing mpirun's group would leave the ranks running."""
    while True:
        victims = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":  # fields[3]: session id
                victims.append(int(entry))
        if not victims:
            return
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
