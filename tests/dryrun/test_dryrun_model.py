"""Smoke test of benchmarks/dryrun/model.py: the modelled alltoallv and efficiency reproduce hand
computations on tiny records, and the script writes its tables and plots.

Run by CTest as: /usr/bin/python3 test_dryrun_model.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.join(HERE, "..", "..", "benchmarks", "dryrun")
sys.path.insert(0, MODEL_DIR)
import model  # noqa: E402

HDR = model.NETWORKS["hdr"]


def dry(rank, ranks, loop_cpu, words_received, intervals=200, fabricate_cpu=0.0):
    """A dry-run record with only what model.py reads; wall time = CPU time."""
    return {"kind": "dry-run", "rank": rank, "ranks": ranks, "intervals": intervals,
            "loop_cpu_seconds": loop_cpu, "fabricate_cpu_seconds": fabricate_cpu,
            "run_seconds": loop_cpu, "fabricate_seconds": fabricate_cpu,
            "phase_seconds": {"update": 0.25 * loop_cpu, "deliver": 0.75 * loop_cpu},
            "exchange_local_seconds": 0.0, "interval_work_cpu_sd_seconds": 0.0,
            "words_sent_remote": words_received // 2, "words_received_remote": words_received,
            "messages_sent_remote": (ranks - 1) * intervals,
            "messages_received_remote": (ranks - 1) * intervals,
            "spikes_delivered": 1000, "synaptic_events": 10 ** 6, "build_seconds": 1.0,
            "peak_rss_bytes": 1}


class ModelByHand(unittest.TestCase):
    def test_open_mpi_alltoallv_algorithm_table(self):
        expected = {2: "pairwise", 3: "pairwise", 4: "linear", 63: "linear", 64: "pairwise",
                    127: "pairwise", 128: "linear", 256: "pairwise", 1023: "pairwise",
                    1024: "linear", 4096: "linear"}
        for p, alg in expected.items():
            self.assertEqual(model.ompi_alltoallv_algorithm(p), alg, p)

    def test_alltoallv_times(self):
        # 1 MB per rank per interval over HDR (1 us, 25 GB/s, 0.2 us gap):
        # linear at 1024 ranks: 1 us + 1023 * 0.2 us + 1e6 / 25e9 s = 245.6 us.
        self.assertAlmostEqual(model.t_alltoallv(1024, 1e6, HDR), 245.6e-6, delta=1e-12)
        # pairwise at 256 ranks: 255 * 1 us + 40 us = 295 us.
        self.assertAlmostEqual(model.t_alltoallv(256, 1e6, HDR), 295e-6, delta=1e-12)
        self.assertEqual(model.t_alltoallv(1, 1e6, HDR), 0.0)
        # counts, modified Bruck: 10 rounds of (1 us + 512 * 4 B / 25 GB/s) = 10.8192 us.
        self.assertAlmostEqual(model.t_counts(1024, HDR), 10.8192e-6, delta=1e-12)

    def test_efficiency_of_a_tiny_sweep(self):
        # P = 1: 1.0 s CPU over 200 intervals = 5 ms; P = 1024: 1.2 s = 6 ms of work and
        # 200,000 words received per interval (1.6 MB, more than sent).
        records = [dry(0, 1, 1.0, 0), dry(0, 1024, 1.2 + 0.3, 200 * 200000, fabricate_cpu=0.3)]
        rows = model.model(model.summarise(records), HDR)
        self.assertEqual([r["ranks"] for r in rows], [1, 1024])
        comm = 10.8192e-6 + 1e-6 + 1023 * 0.2e-6 + 1.6e6 / 25e9  # 292.4192 us
        self.assertAlmostEqual(rows[1]["t_alltoallv"], comm, delta=1e-12)
        self.assertAlmostEqual(rows[1]["efficiency"], 5e-3 / (6e-3 + comm), delta=1e-9)
        self.assertAlmostEqual(rows[1]["efficiency_compute_only"], 5e-3 / 6e-3, delta=1e-9)
        # With a 2% rank-to-rank spread: + 6 ms * 0.02 * sqrt(2 ln 1024).
        rows = model.model(model.summarise(records), HDR, spread=0.02)
        self.assertAlmostEqual(rows[1]["t_imbalance"], 6e-3 * 0.02 * 3.7233564, delta=1e-8)

    def test_rank_spread_needs_three_ranks(self):
        records = [dry(r, 16, cpu, 0) for r, cpu in ((0, 1.0), (4, 1.1), (8, 0.9))]
        for r, events in zip(records, (990000, 1000000, 1010000)):
            r["synaptic_events"] = events
        spreads = model.rank_spread(records)
        self.assertAlmostEqual(spreads[16]["cpu"], 0.1, delta=1e-9)
        self.assertAlmostEqual(spreads[16]["events"], 0.01, delta=1e-9)
        self.assertEqual(spreads[16]["spikes"], 0.0)
        self.assertAlmostEqual(model.spread_used(spreads), 0.01, delta=1e-9)
        self.assertEqual(model.rank_spread(records[:2]), {})

    def test_check_predicts_oversubscribed_runs_from_the_sum(self):
        bench = {(4, 0): 10e-6, (4, 16): 20e-6}
        real = {"kind": "real", "ranks": 4, "repeat": 0, "intervals": 100, "load_1min": 0.0,
                "counters": {"simulate_seconds": 1.1}, "phase_seconds": {"io": 0.1},
                "loop_cpu_seconds_per_rank": [0.5, 0.5, 0.5, 0.5]}
        drys = [dry(r, 4, 0.5, 0, intervals=100) for r in range(4)]
        for d in drys:
            d["words_sent_remote"] = 100 * 3 * 8  # 8 words to each of 3 peers per interval
        (row,) = model.check([real] + drys, bench, cores=2)
        # 4 ranks x 5 ms of work on 2 cores = 10 ms, + 15 us (bench at 8 words per peer).
        self.assertAlmostEqual(row["predicted_wall"], 10e-3 + 15e-6, delta=1e-12)
        self.assertAlmostEqual(row["measured_wall"], 10e-3, delta=1e-12)
        self.assertAlmostEqual(row["predicted_cpu"], 20e-3, delta=1e-12)
        self.assertAlmostEqual(row["cpu_error"], 0.0, delta=1e-12)

    def test_script_writes_tables_json_and_plots(self):
        with tempfile.TemporaryDirectory() as d:
            sweep = os.path.join(d, "sweep.jsonl")
            with open(sweep, "w") as f:
                for r in (dry(0, 1, 1.0, 0), dry(0, 4, 1.1, 4000)):
                    f.write(json.dumps(r) + "\n")
            out = subprocess.run(
                [sys.executable, os.path.join(MODEL_DIR, "model.py"), "--sweep", sweep,
                 "--check", os.path.join(d, "none.jsonl"), "--bench", os.path.join(d, "none"),
                 "--plots", d, "--json", os.path.join(d, "m.json")],
                capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn("MODEL", out.stdout)
            self.assertTrue(os.path.getsize(os.path.join(d, "dryrun_efficiency.png")) > 1000)
            with open(os.path.join(d, "m.json")) as f:
                numbers = json.load(f)
            self.assertAlmostEqual(numbers["model"]["hdr"][1]["t_compute"], 5.5e-3, delta=1e-12)


if __name__ == "__main__":
    unittest.main()
