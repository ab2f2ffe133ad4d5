#!/usr/bin/env bash
# From a fresh Debian 12 machine: install the dependencies, build, and run the demo
# (Brunel 2000 model A, 12,500 neurons, 15.6 M synapses, 1 s of model time), then write its HTML
# report (raster, rates, spectrum, timings) and print where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset default
cmake --build --preset default
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
./build/bin/spikeweave run examples/brunel.toml --overwrite
./build/bin/spikeweave inspect out/brunel.h5
./build/bin/spikeweave report out/brunel.h5 -o out/brunel.html
echo "demo: open $(pwd)/out/brunel.html in a browser (it works offline)"
