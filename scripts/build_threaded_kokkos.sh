#!/usr/bin/env bash
# Builds a threaded (OpenMP + Serial) Kokkos 3.4.1 from Debian's Trilinos source package into a
# prefix (default /opt/kokkos-omp), for the threaded CI job and for measuring threads here.
# Debian ships Kokkos only inside Trilinos, built Serial-only; the source package holds Kokkos'
# own sources. Nothing of Trilinos is kept in the repository.
#   scripts/build_threaded_kokkos.sh [PREFIX] [--tsan]
# --tsan: built by clang with -fsanitize=thread against LLVM's OpenMP runtime (libomp, whose
# ThreadSanitizer support makes its barriers and reductions visible to TSan; GCC's libgomp is not
# instrumented), default prefix /opt/kokkos-omp-tsan: for the TSan run of the OpenMP kernels.
# Adds a deb-src entry for the archive of the existing debian.sources entry when none exists,
# downloads the source package (~166 MB, cached in /var/cache/spikeweave), extracts only
# packages/kokkos and builds it (~25 s on 2 cores). Does nothing when PREFIX already holds a
# Kokkos with OpenMP.
set -euo pipefail
TSAN=0
if [ "${2:-}" = "--tsan" ]; then TSAN=1; fi
PREFIX="${1:-/opt/kokkos-omp}"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
marker="$PREFIX/share/spikeweave-kokkos-flavour"
flavour="openmp"
if [ "$TSAN" = 1 ]; then flavour="openmp-tsan"; fi
if grep -qs "OPENMP" "$PREFIX/lib/cmake/Kokkos/KokkosConfigCommon.cmake" \
  "$PREFIX/include/KokkosCore_config.h" 2>/dev/null &&
  { [ "$TSAN" = 0 ] || grep -qx "$flavour" "$marker" 2>/dev/null; }; then
  echo "threaded Kokkos ($flavour): already in $PREFIX"
  exit 0
fi
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null ||
    true)"
  uri="${uri:-http://deb.debian.org/debian}"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' \
    "$uri" /usr/share/keyrings/debian-archive-keyring.gpg |
    $SUDO tee /etc/apt/sources.list.d/spikeweave-src.sources >/dev/null
  $SUDO apt-get update -qq
fi
cache=/var/cache/spikeweave
$SUDO mkdir -p "$cache"
cd "$cache"
if ! ls trilinos_*.orig.tar.* >/dev/null 2>&1; then
  $SUDO apt-get source --download-only -qq trilinos 2>&1 | grep -v "unsandboxed" || true
  ls trilinos_*.orig.tar.* >/dev/null
fi
tarball="$(ls trilinos_*.orig.tar.* | head -1)"
top="$( (tar -tf "$tarball" || true) | head -1 | cut -d/ -f1)"  # tar gets SIGPIPE from head
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xf "$tarball" -C "$work" "$top/packages/kokkos"
compiler=()
if [ "$TSAN" = 1 ]; then
  compiler=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_FLAGS=-fsanitize=thread
    -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
cmake -S "$work/$top/packages/kokkos" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DKokkos_ENABLE_OPENMP=ON -DKokkos_ENABLE_SERIAL=ON -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DCMAKE_CXX_STANDARD=17 "${compiler[@]}" >"$work/configure.log"
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log"
$SUDO cmake --install "$work/build" >/dev/null
$SUDO mkdir -p "$(dirname "$marker")"
echo "$flavour" | $SUDO tee "$marker" >/dev/null
echo "threaded Kokkos ($flavour): built into $PREFIX"
