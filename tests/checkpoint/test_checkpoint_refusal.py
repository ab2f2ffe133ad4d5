"""Bad checkpoints and bad restarts are refused with messages naming the file or key and the
reason, and the previous checkpoint is offered: a truncated or corrupted state file, a missing
manifest, another network's checkpoint, another layout version, a --set that would change the
network. `spikeweave inspect` describes a good one; a restart may extend t_stop_ms."""
import os
import random
import shutil
import struct
import sys
import tempfile

import h5py

from checkpoint_harness import ckpt, must, network, run

FNV_OFFSET, FNV_PRIME, MASK = 0xcbf29ce484222325, 0x100000001b3, (1 << 64) - 1


CHUNK_BYTES = 1 << 20


def fnv_words(data, h=FNV_OFFSET):
    """64-bit FNV-1a over little-endian 8-byte words (the last one zero-padded)."""
    data += b"\0" * (-len(data) % 8)
    for (word,) in struct.iter_unpack("<Q", data):
        h = ((h ^ word) * FNV_PRIME) & MASK
    return h


def chunk_hash(chunk):
    """A chunk's hash: its words in 4 interleaved FNV-1a streams (word i into stream i % 4), then
    FNV-1a over the 4 streams' hashes."""
    chunk += b"\0" * (-len(chunk) % 8)
    words = [w for (w,) in struct.iter_unpack("<Q", chunk)]
    streams = []
    for s in range(4):
        h = FNV_OFFSET
        for word in words[s::4]:
            h = ((h ^ word) * FNV_PRIME) & MASK
        streams.append(h)
    return fnv_words(struct.pack("<4Q", *streams))


def checksum(path, chunked=False):
    """A manifest's checksum: plain, FNV-1a over the file's words; chunked ("c20:"), FNV-1a over
    the hashes of the file's 1 MiB chunks (io/SCHEMA.md)."""
    data = open(path, "rb").read()
    if not chunked:
        return f"{fnv_words(data):016x}"
    h = FNV_OFFSET
    for at in range(0, len(data), CHUNK_BYTES):
        h = ((h ^ chunk_hash(data[at:at + CHUNK_BYTES])) * FNV_PRIME) & MASK
    return f"c20:{h:016x}"


def rewrite_manifest(directory):
    """Makes the manifest match the files again (after a deliberate edit of their contents)."""
    path = os.path.join(directory, "MANIFEST")
    lines = []
    for line in open(path).read().splitlines():
        fields = line.split()
        if fields and fields[0] == "file":
            f = os.path.join(directory, fields[1])
            sum_ = checksum(f, fields[3].startswith("c20:"))
            line = f"file {fields[1]} {os.path.getsize(f)} {sum_}"
        lines.append(line)
    open(path, "w").write("\n".join(lines) + "\n")


def expect_refusal(process, *phrases):
    text = process.stderr + process.stdout
    problems = []
    if process.returncode == 0:
        problems.append(f"accepted, expected a refusal with {phrases}")
    for p in phrases:
        if p not in text:
            problems.append(f"message lacks {p!r}: {text.strip()}")
    return problems


def raw_data_ranges(path):
    """The byte ranges of the contiguous datasets' raw data in an HDF5 file."""
    ranges = []

    def visit(_, obj):
        if isinstance(obj, h5py.Dataset) and obj.id.get_offset() is not None:
            ranges.append((obj.id.get_offset(), obj.id.get_offset() + obj.id.get_storage_size()))

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return ranges


def metadata_flips(d, good, bad, flips=8):
    """Flips one bit at `flips` random offsets outside state.h5's raw data, one restart each."""
    state = os.path.join(good, "state.h5")
    ranges = raw_data_ranges(state)
    outside = [o for o in range(os.path.getsize(state)) if not any(a <= o < b for a, b in ranges)]
    rng = random.Random(17)
    problems = []
    for offset in rng.sample(outside, flips):
        shutil.rmtree(bad)
        shutil.copytree(good, bad)
        with open(os.path.join(bad, "state.h5"), "r+b") as f:
            f.seek(offset)
            byte = f.read(1)[0]
            f.seek(offset)
            f.write(bytes([byte ^ (1 << rng.randrange(8))]))
        p = run(["run", "--restart", bad, "-q", "-o", "x.h5"], cwd=d, timeout=60)
        found = expect_refusal(p, "state.h5", "corrupted")
        if p.returncode < 0 or p.returncode > 128:
            found.append(f"exit status {p.returncode}")
        problems += [f"bit flipped at byte {offset} of state.h5: {x}" for x in found]
    return problems


def main():
    problems = []
    with tempfile.TemporaryDirectory() as d:
        net = os.path.join(d, "net.toml")
        open(net, "w").write(network("stdp_pair"))
        must(run(["run", net, "-q", "--checkpoint-every-ms", "50", "--checkpoint-dir", "A",
                  "--keep-checkpoints", "3"], cwd=d), "first run")
        good, newest = ckpt("A", 1000), ckpt("A", 2000)
        # The manifest's checksum is what this test computes: the two implementations agree
        # (state.h5's chunked, most chunks hashed by the writer from its buffers).
        state = os.path.join(d, newest, "state.h5")
        if f" {checksum(state, True)}" not in open(os.path.join(d, newest, "MANIFEST")).read():
            problems.append("the manifest's checksum of state.h5 is not the chunked FNV-1a")
        inspect = must(run(["inspect", "A/latest"], cwd=d), "inspect")
        for phrase in ("step 2000", "complete and intact", "projection/EE/weight", "1 rank(s)"):
            if phrase not in inspect.stdout:
                problems.append(f"inspect lacks {phrase!r}: {inspect.stdout}")
        # Only the 3 newest checkpoints are kept; latest names the newest.
        kept = sorted(x for x in os.listdir(os.path.join(d, "A")) if x.startswith("ckpt-"))
        if kept != [os.path.basename(ckpt("A", s)) for s in (1000, 1500, 2000)]:
            problems.append(f"kept {kept}")
        if os.readlink(os.path.join(d, "A", "latest")) != os.path.basename(newest):
            problems.append("latest does not name the newest checkpoint")
        # Pruned checkpoints are renamed to hidden .ckpt-<step>.old names and removed on a thread
        # that the run waits for before it exits: none is left.
        hidden = [x for x in os.listdir(os.path.join(d, "A")) if x.startswith(".")]
        if hidden:
            problems.append(f"left after the run: {hidden}")

        # A restart from an earlier checkpoint into a directory that holds later ones: the
        # oldest by step go, never the one just published (which `latest` names).
        shutil.copytree(os.path.join(d, "A"), os.path.join(d, "P"), symlinks=True)
        # ... and a retired checkpoint that a run killed while removing it left behind: the next
        # checkpoint sweeps it away, and no pruning or restart counts it.
        retired = os.path.join(d, "P", ".ckpt-000000000500.old")
        shutil.copytree(os.path.join(d, good), retired)
        must(run(["run", "--restart", os.path.join("P", "ckpt-000000001000"), "-q", "-o", "p.h5",
                  "--checkpoint-dir", "P", "--checkpoint-every-ms", "120", "--keep-checkpoints",
                  "2", "--set", "simulation.t_stop_ms=130"], cwd=d), "restart into P")
        kept = sorted(x for x in os.listdir(os.path.join(d, "P")) if x.startswith("ckpt-"))
        if kept != ["ckpt-000000001200", "ckpt-000000002000"]:
            problems.append(f"pruning by step after a restart into the same directory kept {kept}")
        if os.path.exists(retired):
            problems.append("a retired checkpoint left by an earlier run was not removed")
        if os.readlink(os.path.join(d, "P", "latest")) != "ckpt-000000001200":
            problems.append(f"latest names {os.readlink(os.path.join(d, 'P', 'latest'))}")

        bad = os.path.join(d, "A", "ckpt-000000009998")
        shutil.copytree(os.path.join(d, newest), bad)
        with open(os.path.join(bad, "state.h5"), "r+b") as f:
            f.truncate(os.path.getsize(os.path.join(bad, "state.h5")) // 2)
        p = run(["run", "--restart", bad, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "state.h5", "truncated", "previous checkpoint", "ckpt-000000002000")

        shutil.rmtree(bad)
        shutil.copytree(os.path.join(d, newest), bad)
        with open(os.path.join(bad, "state.h5"), "r+b") as f:
            f.seek(os.path.getsize(os.path.join(bad, "state.h5")) // 2)
            f.write(b"\xff\x00\xff\x00")
        p = run(["run", "--restart", bad, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "state.h5", "corrupted", "previous checkpoint")
        p = run(["inspect", bad], cwd=d)
        problems += expect_refusal(p, "corrupted")

        # A flipped bit in HDF5's own structures (superblock, object headers, B-trees, heaps: the
        # bytes outside the datasets' raw data), which a restart reads before the checksums are
        # known: refused as corrupted, never a crash or a hang.
        problems += metadata_flips(d, os.path.join(d, newest), bad)

        os.remove(os.path.join(bad, "MANIFEST"))
        p = run(["run", "--restart", bad, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "MANIFEST", "not a complete checkpoint")
        shutil.rmtree(bad)

        # Another layout version (manifest made consistent, so only the version is wrong).
        foreign = os.path.join(d, "foreign")
        shutil.copytree(os.path.join(d, newest), foreign)
        with h5py.File(os.path.join(foreign, "state.h5"), "r+") as f:
            f.attrs["layout_version"] = 99
        rewrite_manifest(foreign)
        p = run(["run", "--restart", foreign, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "layout version 99")

        # A consistent checkpoint whose neuron state does not fit the network (an input-ring entry
        # for a port no population has): refused with the reader's own message, not an error of
        # the synapse-keys thread's bookkeeping around it.
        misfit = os.path.join(d, "misfit")
        shutil.copytree(os.path.join(d, newest), misfit)
        with h5py.File(os.path.join(misfit, "state.h5"), "r+") as f:
            rings = []
            f.visititems(lambda name, obj: rings.append(name)
                         if name.endswith("/ring/keys") and obj.shape[0] > 0 else None)
            if not rings:
                problems.append("no input-ring entries in the checkpoint")
            else:
                keys = f[rings[0]]
                keys[0, 1] = 7  # (gid, port, arrival step)
        rewrite_manifest(misfit)
        p = run(["run", "--restart", misfit, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "ring", "a port or neuron that takes no input")
        shutil.rmtree(misfit)

        # Another network's TOML beside --restart.
        other = os.path.join(d, "other.toml")
        open(other, "w").write(network("stdp_pair").replace("indegree = 30", "indegree = 31"))
        p = run(["run", other, "--restart", good, "-q", "-o", "x.h5"], cwd=d)
        problems += expect_refusal(p, "another network", "other.toml")
        # The same network's TOML is accepted.
        must(run(["run", net, "--restart", good, "-q", "-o", "same.h5", "--checkpoint-dir", "S"],
                 cwd=d), "restart with its own NET.toml")

        # Keys that would change the network or its state layout.
        for key, value in (("projection[0].weight_pa", "50.0"), ("simulation.dt_ms", "0.05"),
                           ("projection[0].plasticity.lambda", "0.1"),
                           ("population[0].size", "100")):
            p = run(["run", "--restart", good, "-q", "-o", "x.h5", "--set", f"{key}={value}"], cwd=d)
            problems += expect_refusal(p, key, "cannot be changed on a restart")
        # Allowed: a later end.
        must(run(["run", "--restart", good, "-q", "-o", "longer.h5", "--checkpoint-dir", "L",
                  "--set", "simulation.t_stop_ms=250"], cwd=d), "restart with a later t_stop_ms")
        with h5py.File(os.path.join(d, "longer.h5"), "r") as f:
            if abs(f["provenance"].attrs["t_stop_ms"] - 250.0) > 1e-9:
                problems.append("the extended restart did not run to 250 ms")
        p = run(["run", "--restart", os.path.join(d, "nowhere"), "-q"], cwd=d)
        problems += expect_refusal(p, "nowhere", "no such checkpoint")
    for p in problems:
        print(p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
