"""Stop signals: SIGTERM, SIGUSR1 and SIGINT make a run finish its interval, write a checkpoint
and its buffered output and exit with status 75 (agreed over ranks: a signal to one rank stops
all); a second signal while the checkpoint is written does not corrupt it; the restart from
`latest` then completes with the output of an uninterrupted run."""
import os
import signal
import subprocess
import sys
import tempfile
import time

from checkpoint_harness import ENV, MPI_FLAGS, MPIEXEC, SPIKEWEAVE, compare_checkpoint, must, network, report, run

EXIT_STOPPED = 75
T_STOP_MS = 3000.0


def start(args, cwd, ranks=None):
    cmd = [SPIKEWEAVE] + args
    if ranks:
        cmd = [MPIEXEC, "-np", str(ranks)] + MPI_FLAGS + cmd
    return subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def wait_for(path, process, seconds=60):
    end = time.time() + seconds
    while not os.path.exists(path):
        if process.poll() is not None or time.time() > end:
            raise AssertionError(f"{path} never appeared (exit {process.poll()})")
        time.sleep(0.02)


def rank_processes(mpirun):
    """The spikeweave processes started by mpirun (its children)."""
    out = subprocess.run(["pgrep", "-P", str(mpirun.pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def trial(d, name, sig, ranks=None, second_signal=False, one_rank=False):
    """Runs, signals, checks status and checkpoint, restarts; returns problems."""
    problems = []
    run_dir = os.path.join(d, name)
    os.makedirs(run_dir)
    p = start(["run", os.path.join(d, "net.toml"), "-o", "out.h5", "--checkpoint-every-ms", "500",
               "--checkpoint-dir", "A"], run_dir, ranks)
    wait_for(os.path.join(run_dir, "A", "latest"), p)
    targets = rank_processes(p) if one_rank else [p.pid]
    os.kill(targets[-1], sig)
    if second_signal:
        time.sleep(0.005)
        os.kill(targets[-1], sig)
    out, err = p.communicate(timeout=120)
    if p.returncode != EXIT_STOPPED:
        return [f"{name}: exit {p.returncode}, expected {EXIT_STOPPED}\n{err}"]
    if "stopped by signal" not in err:
        problems.append(f"{name}: no stop message: {err}")
    inspect = run(["inspect", "A/latest"], cwd=run_dir)
    if inspect.returncode != 0 or "complete and intact" not in inspect.stdout:
        problems.append(f"{name}: checkpoint after the signal: {inspect.stdout}{inspect.stderr}")
    step = int(inspect.stdout.split("step ")[1].split()[0])
    if step % 5000 == 0 or step >= int(T_STOP_MS * 10):
        problems.append(f"{name}: the signal's checkpoint is at step {step}, a cadence step or the end")
    must(run(["run", "--restart", "A/latest", "-q", "-o", "restarted.h5", "--checkpoint-dir", "B"],
             ranks, cwd=run_dir), f"{name}: restart")
    problems += [f"{name}: {x}" for x in compare_checkpoint.compare_outputs(
        os.path.join(d, "full.h5"), os.path.join(run_dir, "restarted.h5"))]
    return problems


def main():
    problems = []
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "net.toml"), "w").write(network("stdp_pair", T_STOP_MS))
        must(run(["run", "net.toml", "-q", "-o", "full.h5"], cwd=d), "uninterrupted run")
        for name, kwargs in (("sigterm", dict(sig=signal.SIGTERM)),
                             ("sigint", dict(sig=signal.SIGINT)),
                             ("sigusr1_twice", dict(sig=signal.SIGUSR1, second_signal=True)),
                             ("sigusr1_one_of_two_ranks", dict(sig=signal.SIGUSR1, ranks=2,
                                                               one_rank=True))):
            found = trial(d, name, **kwargs)
            print(("FAIL " if found else "ok   ") + name, flush=True)
            problems += found
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
