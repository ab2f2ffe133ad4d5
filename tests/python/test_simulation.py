"""spikeweave.Simulation (the spiking engine through spikeweave._engine) against the CLI.

Usage: test_simulation.py SPIKEWEAVE_BINARY. A network built from a dict gives the CLI's spikes
and membrane potentials bit for bit; 10 runs of 100 ms equal one of 1000 ms; the weights read back
equal the run file's /weights; configuration errors raise ValueError with the CLI's message.
Needs the compiled module (CTest sets PYTHONPATH=<build>/python).
"""
import collections
import os
import subprocess
import sys
import tempfile
import tomllib
import unittest
from pathlib import Path

import numpy as np

import spikeweave
from spikeweave import Simulation, to_toml

ROOT = Path(__file__).resolve().parents[2]
SMALL_NET = ROOT / "tests" / "integration" / "small_net.toml"
STDP_DEMO = ROOT / "examples" / "stdp_demo.toml"
BINARY = None  # set from argv


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def run_cli(config_path, output, *sets):
    args = [BINARY, "run", str(config_path), "-q", "-o", str(output)]
    for s in sets:
        args += ["--set", s]
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


def cli_error(config_path, *sets):
    """The message `spikeweave run` prints for a configuration error."""
    with tempfile.TemporaryDirectory() as tmp:
        done = run_cli(config_path, Path(tmp) / "never.h5", *sets)
    prefix = "spikeweave: error: "
    lines = [line for line in done.stderr.splitlines() if line.startswith(prefix)]
    if done.returncode == 0 or len(lines) != 1:
        raise AssertionError(f"expected one CLI error, got rc {done.returncode}: {done.stderr}")
    return lines[0][len(prefix):]


class TomlWriter(unittest.TestCase):
    def test_round_trip_of_the_examples(self):
        for path in [SMALL_NET, STDP_DEMO, ROOT / "examples" / "brunel.toml"]:
            config = load(path)
            self.assertEqual(tomllib.loads(to_toml(config)), config, path)

    def test_awkward_values(self):
        config = {"simulation": {"dt_ms": 0.1, "t_stop_ms": 1e-5, "name": 'a "b"\n\u00e9'},
                  "record": [{"spikes": ["exc"], "v_m": {"node_ids": np.arange(3)}}]}
        back = tomllib.loads(to_toml(config))
        self.assertEqual(back["simulation"], config["simulation"])
        self.assertEqual(back["record"][0]["v_m"]["node_ids"], [0, 1, 2])
        with self.assertRaises(TypeError):
            to_toml({"simulation": {"dt_ms": object()}})


class AgainstCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def cli_run(self, config_path, *sets):
        output = Path(self.tmp.name) / "run.h5"
        done = run_cli(config_path, output, *sets)
        self.assertEqual(done.returncode, 0, done.stderr)
        return spikeweave.RunFile(output)

    def test_dict_gives_the_cli_spikes_bitwise(self):
        sim = Simulation.from_dict(load(SMALL_NET))
        sim.run(sim.t_stop_ms)
        self.assertEqual(sim.t_ms, sim.t_stop_ms)
        run = self.cli_run(SMALL_NET)
        total = 0
        for population in ["exc", "inh"]:
            ours, theirs = sim.spikes(population), run.spikes(population)
            self.assertEqual(ours.node_ids.dtype, np.uint64)
            np.testing.assert_array_equal(ours.node_ids, theirs.node_ids)
            # Bitwise: the same doubles, not merely close ones.
            self.assertEqual(ours.times_ms.tobytes(), theirs.times_ms.astype(np.float64).tobytes())
            total += len(ours.node_ids)
        self.assertGreater(total, 100, "the network should spike")
        self.assertEqual(sum(sim.spike_counts().values()), total)
        report = run.membrane("exc")
        ours = sim.membrane("exc")
        np.testing.assert_array_equal(ours.node_ids, report.node_ids)
        np.testing.assert_array_equal(ours.times_ms, report.times_ms)
        self.assertEqual(ours.v_mv.tobytes(), np.asarray(report.data, np.float32).tobytes())

    def test_weights_equal_the_files(self):
        sets = ["simulation.t_stop_ms=600"]
        sim = Simulation.from_file(STDP_DEMO, set=sets)
        sim.run(0.0)  # no steps: must not add a weight sample
        sim.run(300.0)
        sim.run(300.0)
        run = self.cli_run(STDP_DEMO, *sets)
        record, ours = run.weights("EE"), sim.weight_record("EE")
        np.testing.assert_array_equal(ours.source, record.source)
        np.testing.assert_array_equal(ours.target, record.target)
        np.testing.assert_array_equal(ours.times_ms, record.time_ms)
        self.assertEqual(ours.weight.tobytes(), np.asarray(record.weight, np.float64).tobytes())
        self.assertFalse(np.array_equal(ours.weight[0], ours.weight[-1]), "STDP should act")
        # The sampled synapses' last weights are among the projection's current synapses.
        now = sim.weights("EE")
        current = collections.Counter(zip(now.source.tolist(), now.target.tolist(),
                                          now.weight.tolist()))
        sampled = collections.Counter(zip(record.source.tolist(), record.target.tolist(),
                                          np.asarray(record.weight)[-1].tolist()))
        self.assertEqual(sampled - current, collections.Counter())
        self.assertGreater(len(now.weight), len(record.source))

    def test_bad_key_raises_the_cli_message(self):
        bad = load(SMALL_NET)
        bad["population"][0]["params"]["tau_m_msx"] = 10.0
        path = Path(self.tmp.name) / "bad.toml"
        path.write_text(to_toml(bad))
        message = cli_error(path)
        self.assertIn("tau_m_msx", message)
        with self.assertRaises(ValueError) as caught:
            Simulation.from_file(path)
        self.assertEqual(str(caught.exception), message)
        with self.assertRaises(ValueError) as caught:
            Simulation.from_dict(bad)
        self.assertIn("tau_m_msx", str(caught.exception))

    def test_bad_override_raises_the_cli_message(self):
        message = cli_error(SMALL_NET, "simulation.t_stop_mss=5")
        self.assertIn("t_stop_mss", message)
        with self.assertRaises(ValueError) as caught:
            Simulation.from_file(SMALL_NET, set=["simulation.t_stop_mss=5"])
        self.assertEqual(str(caught.exception), message)

    def test_kernel_error_raises_and_the_interpreter_goes_on(self):
        # A step budget of one trial step cannot integrate aeif_cond_exp's first step.
        config = {"simulation": {"dt_ms": 0.1, "t_stop_ms": 1.0},
                  "population": [{"name": "a", "size": 3, "model": "aeif_cond_exp",
                                  "params": {"max_substeps": 1}}]}
        path = Path(self.tmp.name) / "budget.toml"
        path.write_text(to_toml(config))
        done = run_cli(path, Path(self.tmp.name) / "never.h5")
        self.assertNotEqual(done.returncode, 0)
        sim = Simulation.from_dict(config)
        with self.assertRaises(spikeweave.SimulationError) as caught:
            sim.run(1.0)
        message = str(caught.exception)
        for part in ["population[0].params", "aeif_cond_exp", "neuron 0", "max_substeps"]:
            self.assertIn(part, message)
        self.assertIn(f"spikeweave: rank 0: {message}", done.stderr)
        with self.assertRaisesRegex(ValueError, "an earlier run failed"):
            sim.run(0.1)
        # Another simulation in the same interpreter still runs.
        other = Simulation.from_file(SMALL_NET, set=["simulation.t_stop_ms=10"])
        other.run(10.0)
        self.assertEqual(other.t_ms, 10.0)


class Incremental(unittest.TestCase):
    def test_ten_runs_of_100_ms_equal_one_of_1000_ms(self):
        sets = {"simulation.t_stop_ms": 1000.0}
        whole = Simulation.from_file(SMALL_NET, set=sets)
        whole.run(1000.0)
        steps = Simulation.from_file(SMALL_NET, set=sets)
        seen = 0
        for k in range(10):
            steps.run(100.0)
            self.assertAlmostEqual(steps.t_ms, 100.0 * (k + 1))
            times = steps.spikes("exc").times_ms
            self.assertGreaterEqual(len(times), seen)  # spikes accumulate, never vanish
            if len(times):
                self.assertLessEqual(times.max(), steps.t_ms)
            seen = len(times)
        for population in ["exc", "inh"]:
            a, b = whole.spikes(population), steps.spikes(population)
            self.assertGreater(len(a.node_ids), 0)
            np.testing.assert_array_equal(a.node_ids, b.node_ids)
            self.assertEqual(a.times_ms.tobytes(), b.times_ms.tobytes())
        ids_a, v_a = whole.v_m("exc")
        ids_b, v_b = steps.v_m("exc")
        np.testing.assert_array_equal(ids_a, ids_b)
        self.assertEqual(v_a.tobytes(), v_b.tobytes())
        self.assertEqual(whole.membrane("exc").v_mv.tobytes(), steps.membrane("exc").v_mv.tobytes())

    def test_run_limits_and_lookups(self):
        sim = Simulation.from_file(SMALL_NET)
        with self.assertRaisesRegex(ValueError, "t_stop_ms"):
            sim.run(sim.t_stop_ms + 1.0)
        with self.assertRaisesRegex(ValueError, "whole number of steps"):
            sim.run(0.05)
        with self.assertRaisesRegex(ValueError, "must be a finite time"):
            sim.run(-1.0)
        self.assertEqual(sim.t_ms, 0.0)
        with self.assertRaisesRegex(ValueError, "no population \"nope\" .*exc, inh"):
            sim.spikes("nope")
        with self.assertRaisesRegex(ValueError, "records no membrane potential"):
            sim.membrane("inh")
        with self.assertRaisesRegex(ValueError, "no projection"):
            sim.weights("nope")
        self.assertEqual(sim.populations, {"exc": 400, "inh": 100})
        ids, v = sim.v_m("exc")
        self.assertEqual(len(ids), 400)
        self.assertTrue(np.all(np.isfinite(v)))


if __name__ == "__main__":
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        sys.exit("usage: test_simulation.py SPIKEWEAVE_BINARY")
    BINARY = sys.argv.pop(1)
    unittest.main()
