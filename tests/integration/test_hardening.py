"""Bad input around valid files, and the machine's limits, through the real executable.

Every case must end with a non-zero exit on every rank and a message naming the key, option or
file and what was expected, and must destroy no earlier output:
- the four values a new user tried (NaN weight, infinite rate, t_stop_ms = 1e300, a directory),
  and a file that is not UTF-8 text;
- every numeric command-line option given NaN, infinities, a huge value, zero and -1;
- a network that cannot fit in memory (refused before anything is built);
- a full disk during output (a small tmpfs), on 1 and 2 ranks;
- an unwritable output directory (a read-only tmpfs) for every writer.

Run by CTest as: /usr/bin/python3 test_hardening.py SPIKEWEAVE MPIEXEC [mpiexec flags...]
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from cli_harness import HERE, NET, run

BRUNEL = os.path.join(HERE, "..", "..", "examples", "brunel.toml")
RATE = os.path.join(HERE, "..", "..", "examples", "dataset_rate.toml")


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="spikeweave-hard-")

    def tearDown(self):
        subprocess.run(["umount", "-l", os.path.join(self.dir, "mnt")], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def refused(self, args, *fragments, ranks=2):
        result = run(args, ranks=ranks)
        self.assertNotEqual(result.returncode, 0, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)
        return result

    def mount_tmpfs(self, options):
        mnt = os.path.join(self.dir, "mnt")
        os.mkdir(mnt)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", mnt],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            self.skipTest("cannot mount a tmpfs here (needs root): " + mounted.stderr.strip())
        return mnt


class FirstUserCases(Case):
    """The four cases of the hardening issue, each once exit 0 and now refused."""

    def test_nan_weight(self):
        self.refused(["run", NET, "--set", "projection[0].weight_pa=nan", "-o",
                      os.path.join(self.dir, "x.h5")],
                     "projection[0].weight_pa: nan is not a finite number", "[-1e+06, 1e+06]")

    def test_infinite_rate(self):
        self.refused(["run", NET, "--set", "stimulus[0].rate_hz=inf", "-o",
                      os.path.join(self.dir, "x.h5")],
                     "stimulus[0].rate_hz: inf is not a finite number", "a rate [Hz] in [0, 1e+08]")

    def test_huge_stop_time(self):
        self.refused(["run", NET, "--set", "simulation.t_stop_ms=1e300", "-o",
                      os.path.join(self.dir, "x.h5")],
                     "simulation.t_stop_ms: 1e+300 is out of range", "[0, 1e+10]")

    def test_directory_as_network_file(self):
        self.refused(["run", self.dir], self.dir + ": is a directory, not a file")

    def test_device_as_network_file(self):
        self.refused(["run", "/dev/null"], "/dev/null: is not a regular file")

    def test_binary_file_as_network_file(self):
        path = os.path.join(self.dir, "net.toml")
        with open(path, "wb") as f:
            f.write(b"[simulation]\ndt_ms = 0.1\n\xff\xfe\x00binary")
        self.refused(["run", path], "net.toml: is not UTF-8 text (invalid byte at offset 25)")


class NumericOptions(Case):
    """Every numeric command-line option, given each bad value, is refused naming the option or
    accepted (its documented range allows the value) and then the command succeeds."""

    PROBES = ["nan", "inf", "-inf", "1e300", "0", "-1"]

    def options(self):
        out = os.path.join(self.dir, "data.h5")
        spiking = ["dataset", "spiking", NET, "--set", "simulation.t_stop_ms=5", "--networks", "2",
                   "--out", os.path.join(self.dir, "spiking.h5"), "-q", "--overwrite"]
        rate = ["dataset", "rate", "--networks", "2", "--neurons", "4", "--steps", "3",
                "--out", out, "-q", "--overwrite"]
        return [(rate, "--networks"), (rate, "--neurons"), (rate, "--steps"),
                (rate, "--trials"), (rate, "--dt-ms"), (rate, "--gain"), (rate, "--tau-ms"),
                (rate, "--noise"), (rate, "--seed"), (rate, "--deflate"), (rate, "--batch"),
                (rate, "--round-seconds"), (rate, "--buffer-mb"),
                (spiking, "--networks"), (spiking, "--seed"), (spiking, "--ranks-per-network"),
                (["fit", out, "--network", "0", "--iterations", "2", "-q"], "--network"),
                (["fit", out, "--network", "0", "--iterations", "2", "-q"], "--iterations"),
                (["fit", out, "--network", "0", "--iterations", "2", "-q"], "--learning-rate"),
                (["fit", out, "--network", "0", "--iterations", "2", "-q"], "--stop-loss")]

    def test_every_numeric_option(self):
        # fit needs a dataset to read.
        made = run(["dataset", "rate", "--networks", "2", "--neurons", "4", "--steps", "3", "-q",
                    "--out", os.path.join(self.dir, "data.h5")], ranks=1)
        self.assertEqual(made.returncode, 0, made.stderr)
        cases = []
        for base, option in self.options():
            for value in self.PROBES:
                args = list(base)
                if option in args:
                    args[args.index(option) + 1] = value
                else:
                    args += [option, value]
                cases.append((args, option, value))
        # Each case is one short process; four at a time keep the test near a minute.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(lambda case: run(case[0], ranks=1), cases))
        for (args, option, value), result in zip(cases, results):
            with self.subTest(command=" ".join(args[:2]), option=option, value=value):
                if result.returncode == 0:
                    self.assertNotIn(value, ("nan", "inf", "-inf", "1e300"),
                                     "accepted a non-finite or huge value")
                else:
                    self.assertIn(option, result.stderr)


class MachineLimits(Case):
    def test_network_larger_than_memory_is_refused_at_once(self):
        for ranks in (1, 2):
            start = time.monotonic()
            result = self.refused(["run", BRUNEL, "--set", "population[0].size=100000000", "-o",
                                   os.path.join(self.dir, "x.h5")],
                                  "memory: the network needs about", "is available", ranks=ranks)
            # The estimate is refused before the build: no "built ... synapses" line, and fast
            # (the build of this network would run for minutes before an allocator failed).
            self.assertNotIn("built", result.stderr)
            self.assertLess(time.monotonic() - start, 5.0 + 5.0 * (ranks - 1))

    def test_full_disk_keeps_earlier_output_and_removes_the_partial_file(self):
        mnt = self.mount_tmpfs("size=4m")
        target = os.path.join(mnt, "brunel.h5")
        with open(target, "w") as f:
            f.write("earlier result")
        for ranks in (1, 2):
            result = self.refused(["run", BRUNEL, "-o", target, "--overwrite", "-q"],
                                  "brunel.h5", "is full", ranks=ranks)
            self.assertEqual(result.stderr.count("is full"), 1, result.stderr)
            self.assertEqual(sorted(os.listdir(mnt)), ["brunel.h5"])
            with open(target) as f:
                self.assertEqual(f.read(), "earlier result")

    def test_unwritable_directory_is_refused_before_any_work_by_every_writer(self):
        mnt = self.mount_tmpfs("ro,size=1m")
        inside = os.path.join(mnt, "out.h5")
        commands = [
            ["run", NET, "-o", inside],
            ["dataset", "rate", RATE, "--out", inside],
            ["dataset", "spiking", NET, "--networks", "2", "--out", inside],
        ]
        for args in commands:
            with self.subTest(command=" ".join(args[:2])):
                start = time.monotonic()
                result = self.refused(args, "out.h5", "not writable")
                self.assertNotIn("built", result.stderr)
                self.assertLess(time.monotonic() - start, 60.0)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
