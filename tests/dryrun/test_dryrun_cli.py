"""`spikeweave run NET.toml --dry-run R/P`: the JSON record, no output file, and option errors.

Run by CTest as: /usr/bin/python3 test_dryrun_cli.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SPIKEWEAVE = sys.argv[1]
MPIEXEC = sys.argv[2]
MPI_FLAGS = sys.argv[3:]
HERE = os.path.dirname(os.path.abspath(__file__))
BRUNEL = os.path.join(HERE, "..", "..", "examples", "brunel.toml")
ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def run(args, cwd, ranks=None):
    cmd = [SPIKEWEAVE] + args
    if ranks is not None:
        cmd = [MPIEXEC, "-np", str(ranks)] + MPI_FLAGS + cmd
    return subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120)


class DryRunCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-dryrun-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_record_of_rank_one_of_four(self):
        r = run(["run", BRUNEL, "--set", "simulation.t_stop_ms=30", "--dry-run", "1/4",
                 "--dry-run-rates", "exc=38,inh=38"], self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        record = json.loads(r.stdout.strip().splitlines()[-1])
        self.assertEqual(record["kind"], "dry-run")
        self.assertEqual((record["rank"], record["ranks"]), (1, 4))
        self.assertEqual(record["local_neurons"], 3125)  # 12,500 neurons, round robin over 4
        self.assertEqual(record["intervals"], 20)  # 30 ms / 1.5 ms
        # Every source is needed (1,000 draws per target over 10,000 sources), so the other three
        # ranks send spikes of all their 9,375 neurons at 38 Hz: ~10,700 words in 30 ms.
        self.assertEqual(record["remote_sources"], 9375)
        self.assertAlmostEqual(record["words_received_remote"] / (9375 * 38 * 0.030), 1, delta=0.1)
        self.assertEqual([p["fabricated_rate_hz"] for p in record["populations"]], [38, 38])
        for phase in ("update", "deliver", "exchange"):
            self.assertIn(phase, record["phase_seconds"])
        self.assertGreaterEqual(record["exchange_local_seconds"], 0)
        # Process CPU time: the loop's is the work between exchanges plus the fabrication.
        self.assertGreater(record["loop_cpu_seconds"], 0)
        self.assertLessEqual(record["fabricate_cpu_seconds"], record["loop_cpu_seconds"])
        self.assertAlmostEqual(
            record["interval_work_cpu_mean_seconds"] * record["intervals"] +
            record["fabricate_cpu_seconds"], record["loop_cpu_seconds"],
            delta=0.2 * record["loop_cpu_seconds"])
        self.assertLessEqual(record["interval_work_cpu_sd_seconds"],
                             record["loop_cpu_seconds"])
        # The summary extrapolates with the reduction rule: 4 x this rank's neurons.
        self.assertIn("built 12500 neurons", r.stderr)
        self.assertIn("on 4 rank(s)", r.stderr)
        # A dry run writes no output file (examples/brunel.toml names out/brunel.h5).
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out")))

    def test_help_documents_the_options(self):
        r = run(["run", "--help"], self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("--dry-run", r.stdout)
        self.assertIn("--dry-run-rates", r.stdout)

    def assert_user_error(self, r, *fragments):
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("spikeweave: error:", r.stderr)
        for fragment in fragments:
            self.assertIn(fragment, r.stderr)

    def test_bad_rank_is_a_user_error(self):
        for bad in ("4/4", "x", "2/0"):
            r = run(["run", BRUNEL, "--dry-run", bad], self.dir)
            self.assert_user_error(r, "--dry-run", "R/P")

    def test_bad_rates_are_user_errors(self):
        r = run(["run", BRUNEL, "--dry-run", "0/4", "--dry-run-rates", "E=5"], self.dir)
        self.assert_user_error(r, "--dry-run-rates", "no population named 'E'", "exc, inh")
        r = run(["run", BRUNEL, "--dry-run-rates", "5"], self.dir)
        self.assert_user_error(r, "--dry-run-rates", "needs --dry-run")

    def test_refused_under_mpirun_on_every_rank(self):
        r = run(["run", BRUNEL, "--dry-run", "0/4"], self.dir, ranks=2)
        self.assertNotEqual(r.returncode, 0)
        self.assertEqual(r.stderr.count("start it without mpirun"), 1, r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
