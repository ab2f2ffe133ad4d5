#!/usr/bin/env bash
# Installs every Debian 12 package SpikeWeave needs to build, test, benchmark and analyse.
# chromium is only for the report's browser test (ctest -L browser; skip it with -LE browser).
# pybind11-dev and python3-dev build the Python module spikeweave._engine; python3-torch is for
# spikeweave.torch and its tests (docs/python.md); python3-sklearn holds the 8x8 digits and the
# readout of `spikeweave task`; python3-pynn and python3-brian for spikeweave.pynn (the PyNN
# backend) and its comparison with pyNN.brian2.
# Safe to run twice. Needs root (or sudo) and Debian's package archive.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  cmake make g++ git ca-certificates
  libopenmpi-dev openmpi-bin
  libhdf5-openmpi-dev hdf5-tools
  libtrilinos-kokkos-dev
  libboost-program-options-dev
  libgtest-dev libbenchmark-dev
  libtomlplusplus-dev librandom123-dev libmuparser-dev
  libmetis-dev
  slurm-wlm munge
  python3-h5py python3-numpy python3-matplotlib python3-scipy python3-sklearn
  pybind11-dev python3-dev python3-torch
  python3-pynn python3-brian
  clang-format
  clang libclang-rt-14-dev libomp-14-dev
  chromium fonts-dejavu-core
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi
