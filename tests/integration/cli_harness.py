"""What the integration tests share: the executable and mpiexec from the command line
(SPIKEWEAVE MPIEXEC [mpiexec flags...], as CTest passes them) and one way to run it."""
import os
import subprocess
import sys

SPIKEWEAVE = sys.argv[1]
MPIEXEC = sys.argv[2]
MPI_FLAGS = sys.argv[3:]
HERE = os.path.dirname(os.path.abspath(__file__))
NET = os.path.join(HERE, "small_net.toml")
# odls_base_sigkill_timeout=0: once a rank exits non-zero (every refused command), mpiexec kills the
# rest at once instead of waiting 2 s per run, which made the refusal tests minutes long; no test
# here relies on the other ranks outliving a failed one.
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_odls_base_sigkill_timeout="0")


def run(args, ranks=None, cwd=None, timeout=240):
    """Runs spikeweave ARGS, under mpiexec with RANKS ranks if given; returns the completed process."""
    cmd = [SPIKEWEAVE] + args
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + MPI_FLAGS + cmd
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
