#!/usr/bin/env bash
# Regenerates README.md's "Model and rule reference" section from the registry of neuron models
# and plasticity rules (`spikeweave models`). Run after adding or changing a model or a rule;
# the test extension_reference fails until the README matches.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/bin/spikeweave}
/usr/bin/python3 - "$binary" <<'PY'
import subprocess, sys
reference = subprocess.run([sys.argv[1], "models"], check=True, capture_output=True, text=True).stdout
begin, end = "<!-- models-reference:begin -->\n", "<!-- models-reference:end -->"
text = open("README.md").read()
a, b = text.index(begin) + len(begin), text.index(end)
open("README.md", "w").write(text[:a] + reference + text[b:])
print("README.md: reference updated from", sys.argv[1])
PY
