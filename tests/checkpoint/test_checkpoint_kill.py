"""Kills: a run killed with SIGKILL at random moments (often while a checkpoint is being written:
one is written every 20 ms of model time) and restarted from `latest`, as often as it takes,
ends with the output of an uninterrupted run. A rank killed in a 3-rank run ends the run
within 30 s with a non-zero status, and its last checkpoint restarts fine."""
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from checkpoint_harness import ENV, MPI_FLAGS, MPIEXEC, SPIKEWEAVE, compare_checkpoint, must, network, report, run

T_STOP_MS = 600.0
TRIALS = 10


def start(args, cwd, ranks=None):
    cmd = [SPIKEWEAVE] + args
    if ranks:
        cmd = [MPIEXEC, "-np", str(ranks)] + MPI_FLAGS + cmd
    return subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


CHECKPOINTING = ["-q", "-o", "out.h5", "--checkpoint-every-ms", "20", "--checkpoint-dir", "A",
                 "--keep-checkpoints", "2"]


def kill_trial(d, k, rng, duration_s):
    """Kills the run (and each restart) after a random time until one finishes; compares.
    duration_s: an uninterrupted checkpointing run's time, which scales the kill times.
    Returns the kills, the problems found and, if the first run finished before its kill, how
    long it took (a better estimate of duration_s than a timing run slowed by other work)."""
    run_dir = os.path.join(d, f"trial{k}")
    os.makedirs(run_dir)
    kills = 0
    while True:
        restart = os.path.exists(os.path.join(run_dir, "A", "latest"))
        args = (["run", "--restart", "A/latest"] if restart else ["run", os.path.join(d, "net.toml")])
        started = time.time()
        p = start(args + CHECKPOINTING, run_dir)
        try:
            # Later kills get longer, so every trial ends.
            p.wait(timeout=rng.uniform(0.1, 0.9) * duration_s * (1 + kills))
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            if os.path.exists(os.path.join(run_dir, "out.h5")):
                break  # killed after its output was complete (while exiting): it has finished
            continue
        if p.returncode != 0:
            return kills, [f"trial {k}: exit {p.returncode} after {kills} kill(s): {p.stderr.read()}"], None
        break
    unkilled_s = time.time() - started if kills == 0 else None
    problems = compare_checkpoint.compare_outputs(os.path.join(d, "full.h5"),
                                                  os.path.join(run_dir, "out.h5"))
    return kills, [f"trial {k} ({kills} kills): {x}" for x in problems], unkilled_s


def rank_kill(d):
    """SIGKILL to one of three ranks: all end within 30 s, non-zero; latest restarts."""
    run_dir = os.path.join(d, "rank_kill")
    os.makedirs(run_dir)
    p = start(["run", os.path.join(d, "net.toml"), "-q", "-o", "out.h5", "--checkpoint-every-ms",
               "20", "--checkpoint-dir", "A", "--set", "simulation.t_stop_ms=100000"], run_dir, 3)
    end = time.time() + 120
    while not os.path.exists(os.path.join(run_dir, "A", "latest")):
        if time.time() > end or p.poll() is not None:
            return [f"rank kill: no checkpoint appeared (exit {p.poll()})"]
        time.sleep(0.05)
    time.sleep(0.3)
    ranks = [int(x) for x in subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True,
                                            text=True).stdout.split()]
    if len(ranks) != 3:
        p.kill()
        return [f"rank kill: found {len(ranks)} rank processes"]
    killed_at = time.time()
    os.kill(ranks[1], signal.SIGKILL)
    problems = []
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        problems.append("rank kill: the run did not end within 30 s")
        p.kill()
        p.wait()
    seconds = time.time() - killed_at
    if p.returncode == 0:
        problems.append("rank kill: exit status 0")
    for pid in ranks:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        if state != "Z":  # a zombie has ended (this container's init may not reap it)
            problems.append(f"rank kill: rank process {pid} still running (state {state})")
    print(f"rank kill: run ended {seconds:.1f} s after the kill with status {p.returncode}")
    restarted = run(["run", "--restart", "A/latest", "-q", "-o", "after.h5", "--checkpoint-dir",
                     "B", "--set", "simulation.t_stop_ms=" + str(T_STOP_MS * 2)], 3, cwd=run_dir)
    if restarted.returncode != 0:
        problems.append(f"rank kill: restart from latest failed: {restarted.stderr}")
    return problems


def main():
    rng = random.Random(int(os.environ.get("SPIKEWEAVE_KILL_SEED", "12")))
    problems = []
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "net.toml"), "w").write(network("tagging", T_STOP_MS))
        must(run(["run", "net.toml", "-q", "-o", "full.h5"], cwd=d), "uninterrupted run")
        # Kill times scale with this machine's speed: fixed ones (0.1-0.9 s) let runs finish
        # before their first kill on a fast VM.
        timing_dir = os.path.join(d, "timing")
        os.makedirs(timing_dir)
        started = time.time()
        must(run(["run", os.path.join(d, "net.toml")] + CHECKPOINTING, cwd=timing_dir),
             "uninterrupted checkpointing run")
        duration_s = time.time() - started
        print(f"uninterrupted checkpointing run: {duration_s:.2f} s")
        total_kills = 0
        for k in range(TRIALS):
            kills, found, unkilled_s = kill_trial(d, k, rng, duration_s)
            # A run that finished before its kill says the timing run was slow (under ctest -j2
            # another test may share the cores): kill times scale with the faster time from now
            # on, and the trial is run again (its output was compared all the same).
            if unkilled_s is not None and unkilled_s < duration_s:
                duration_s = unkilled_s
                print(f"a run finished in {unkilled_s:.2f} s: kill times scale with that now")
                problems += found
                kills, found, _ = kill_trial(d, f"{k}-again", rng, duration_s)
            total_kills += kills
            print(("FAIL " if found else "ok   ") + f"trial {k}: {kills} kill(s)", flush=True)
            problems += found
        if total_kills < TRIALS:
            problems.append(f"only {total_kills} kills in {TRIALS} trials: the runs were too short")
        problems += rank_kill(d)
    return report(problems)


if __name__ == "__main__":
    sys.exit(main())
