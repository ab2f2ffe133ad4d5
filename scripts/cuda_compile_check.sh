#!/usr/bin/env bash
# Compile-only check of SpikeWeave against a Kokkos 4.x install with the CUDA backend.
# No GPU is needed: every translation unit is compiled (and the targets linked) as a real CUDA
# build would be, and a summary lists which translation units failed and why.
#
#   scripts/cuda_compile_check.sh [options] [KOKKOS_ROOT]
#
# KOKKOS_ROOT (or the environment variable Kokkos_ROOT) is the prefix of a Kokkos 4.x install
# built with -DKokkos_ENABLE_CUDA=ON (a cluster module, a Spack package, a local build).
# See docs/gpu.md.
set -uo pipefail

usage() {
  cat <<'EOF'
usage: scripts/cuda_compile_check.sh [options] [KOKKOS_ROOT]

  KOKKOS_ROOT          prefix of a Kokkos 4.x install with the CUDA backend
                       (default: $Kokkos_ROOT)
  -B, --build-dir DIR  build directory (default: /tmp/build-cuda)
  --tests              also build the test executables (SPIKEWEAVE_BUILD_TESTS=ON)
  --no-validation      with --tests: skip tests/validation and tests/plasticity
  --benchmarks         also build the micro-benchmarks (SPIKEWEAVE_BUILD_BENCHMARKS=ON)
  --python             also build the Python module (needs a Kokkos built with position-
                       independent code: a shared module cannot link a non-PIC libkokkoscore.a)
  --cxx COMPILER       CMAKE_CXX_COMPILER (default: KOKKOS_ROOT/bin/nvcc_wrapper, else the
                       compiler recorded in Kokkos' KokkosConfigCommon.cmake)
  --target T           build target T instead of the default (repeatable); default: spikeweave
                       (every library and the CLI), or all with --tests/--benchmarks
  --fresh              delete the build directory first
  --summary-only       configure and build nothing: summarise the last run's log again
  -j N                 parallel jobs (default: 2)
  -h, --help           this text
  -- ARGS...           further arguments for the CMake configure step

Exit status: 0 when every translation unit compiled and every target linked, 1 when some failed,
2 on a usage or configure error. The full build log is BUILD_DIR/cuda_compile_check.log.
EOF
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/.." && pwd)"
build_dir=/tmp/build-cuda
kokkos_root="${Kokkos_ROOT:-}"
tests=OFF
validation=ON
benchmarks=OFF
python=OFF
cxx=""
targets=()
fresh=0
summary_only=0
jobs=2
extra=()

while [ $# -gt 0 ]; do
  case "$1" in
    -B|--build-dir) build_dir="$2"; shift ;;
    --tests) tests=ON ;;
    --no-validation) validation=OFF ;;
    --benchmarks) benchmarks=ON ;;
    --python) python=ON ;;
    --cxx) cxx="$2"; shift ;;
    --target) targets+=("$2"); shift ;;
    --fresh) fresh=1 ;;
    --summary-only) summary_only=1 ;;
    -j) jobs="$2"; shift ;;
    -j*) jobs="${1#-j}" ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "cuda_compile_check: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) kokkos_root="$1" ;;
  esac
  shift
done

if [ -z "$kokkos_root" ]; then
  echo "cuda_compile_check: give the Kokkos install prefix (argument or Kokkos_ROOT)" >&2
  exit 2
fi
kokkos_root="$(cd "$kokkos_root" 2>/dev/null && pwd)" || {
  echo "cuda_compile_check: no such directory: $kokkos_root" >&2; exit 2; }

kokkos_common=""
for d in lib lib64 lib/x86_64-linux-gnu share; do
  if [ -f "$kokkos_root/$d/cmake/Kokkos/KokkosConfigCommon.cmake" ]; then
    kokkos_common="$kokkos_root/$d/cmake/Kokkos/KokkosConfigCommon.cmake"
    break
  fi
done
if [ -z "$kokkos_common" ]; then
  echo "cuda_compile_check: no lib*/cmake/Kokkos/KokkosConfigCommon.cmake under $kokkos_root" \
       "(is this a Kokkos 4.x install prefix?)" >&2
  exit 2
fi
kokkos_setting() {  # the value of set(NAME value) in KokkosConfigCommon.cmake
  sed -n "s/^set($1 \"\{0,1\}\([^\")]*\)\"\{0,1\})\$/\1/p" "$kokkos_common" | head -n1
}
devices="$(kokkos_setting Kokkos_DEVICES)"
case ";$devices;" in
  *";CUDA;"*) ;;
  *) echo "cuda_compile_check: $kokkos_root is a Kokkos without the CUDA backend" \
          "(Kokkos_DEVICES: ${devices:-unknown})" >&2
     exit 2 ;;
esac
kokkos_version="$(sed -n 's/^set(PACKAGE_VERSION "\([^"]*\)")$/\1/p' \
                  "$(dirname "$kokkos_common")/KokkosConfigVersion.cmake" 2>/dev/null | head -n1)"

if [ -z "$cxx" ]; then
  if [ -x "$kokkos_root/bin/nvcc_wrapper" ]; then
    cxx="$kokkos_root/bin/nvcc_wrapper"
  else
    cxx="$(kokkos_setting Kokkos_CXX_COMPILER)"
  fi
fi
if [ -z "$cxx" ] || ! command -v "$cxx" >/dev/null 2>&1; then
  echo "cuda_compile_check: no usable compiler (tried $kokkos_root/bin/nvcc_wrapper and" \
       "Kokkos_CXX_COMPILER '$(kokkos_setting Kokkos_CXX_COMPILER)'); pass --cxx" >&2
  exit 2
fi

if [ ${#targets[@]} -eq 0 ]; then
  if [ "$tests" = ON ] || [ "$benchmarks" = ON ]; then targets=(all); else targets=(spikeweave); fi
fi

log="$build_dir/cuda_compile_check.log"
if [ "$summary_only" = 1 ]; then
  [ -f "$log" ] || { echo "cuda_compile_check: no log at $log" >&2; exit 2; }
  build_rc=$(cat "$build_dir/cuda_compile_check.rc" 2>/dev/null || echo 1)
  elapsed=$(cat "$build_dir/cuda_compile_check.seconds" 2>/dev/null || echo "?")
else
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
if [ "$fresh" = 1 ]; then rm -rf "$build_dir"; fi
mkdir -p "$build_dir"

echo "== Kokkos ${kokkos_version:-4.x} at $kokkos_root (devices: $devices, arch: $(kokkos_setting Kokkos_ARCH))"
echo "== CXX $cxx; build dir $build_dir; tests $tests; benchmarks $benchmarks; targets ${targets[*]}"
# An existing cache keeps its generator: only pass -G for a new build directory.
if [ -f "$build_dir/CMakeCache.txt" ]; then generator=(); fi
if ! cmake -S "$source_dir" -B "$build_dir" "${generator[@]}" \
      -DCMAKE_BUILD_TYPE=Release \
      -DKokkos_ROOT="$kokkos_root" \
      -DCMAKE_CXX_COMPILER="$cxx" \
      -DSPIKEWEAVE_BUILD_TESTS="$tests" \
      -DSPIKEWEAVE_BUILD_VALIDATION_TESTS="$validation" \
      -DSPIKEWEAVE_BUILD_PYTHON="$python" \
      -DSPIKEWEAVE_BUILD_BENCHMARKS="$benchmarks" \
      "${extra[@]}" > "$build_dir/cuda_compile_check.configure.log" 2>&1; then
  tail -n 40 "$build_dir/cuda_compile_check.configure.log" >&2
  echo "cuda_compile_check: configure failed (log: $build_dir/cuda_compile_check.configure.log)" >&2
  exit 2
fi
grep -E 'Kokkos (version|Backends|devices)|Enabled Kokkos' "$build_dir/cuda_compile_check.configure.log" || true

# Keep going past failures so that every broken translation unit shows up.
if [ -f "$build_dir/build.ninja" ]; then keep_going=(-k 0); else keep_going=(-k); fi
start=$(date +%s)
build_args=()
for t in "${targets[@]}"; do build_args+=(--target "$t"); done
cmake --build "$build_dir" -j "$jobs" "${build_args[@]}" -- "${keep_going[@]}" > "$log" 2>&1
build_rc=$?
elapsed=$(( $(date +%s) - start ))
echo "$build_rc" > "$build_dir/cuda_compile_check.rc"
echo "$elapsed" > "$build_dir/cuda_compile_check.seconds"
fi

# Every translation unit the targets need, from the compile commands CMake wrote.
python3 - "$build_dir" "$log" "$build_rc" "$elapsed" "${targets[@]}" <<'EOF'
import json, os, re, subprocess, sys

build_dir, log, rc, elapsed, targets = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
text = open(log, errors="replace").read().splitlines()
srcdir = None
try:
    for line in open(os.path.join(build_dir, "CMakeCache.txt")):
        if line.startswith("CMAKE_HOME_DIRECTORY:"):
            srcdir = line.split("=", 1)[1].strip()
except OSError:
    pass

def rel(p):
    p = os.path.normpath(os.path.join(build_dir, p)) if not os.path.isabs(p) else p
    for base in (srcdir, build_dir):
        if base and p.startswith(base + "/"):
            return os.path.relpath(p, base)
    return p

# Objects the requested targets need: ninja knows exactly; otherwise every compile command.
objects = {}  # object path (relative to build dir) -> source
as_cuda = set()  # objects nvcc compiles as CUDA (the rest: the host compiler)
if os.path.exists(os.path.join(build_dir, "build.ninja")):
    out = subprocess.run(["ninja", "-C", build_dir, "-t", "commands"] + targets,
                         capture_output=True, text=True).stdout
    for cmd in out.splitlines():
        m_o = re.search(r"\s-o\s+(\S+\.o)\b", cmd)
        m_c = re.search(r"\s-c\s+(\S+)", cmd)
        if m_o and m_c:
            objects[m_o.group(1)] = m_c.group(1)
            # nvcc_wrapper compiles as CUDA unless --host-only; behind Kokkos' launcher only the
            # lines with -DKOKKOS_DEPENDENCE reach nvcc_wrapper.
            if ("nvcc_wrapper" in cmd and "--host-only" not in cmd
                    and ("kokkos_launch_compiler" not in cmd or "KOKKOS_DEPENDENCE" in cmd)):
                as_cuda.add(m_o.group(1))
else:
    for e in json.load(open(os.path.join(build_dir, "compile_commands.json"))):
        m_o = re.search(r"\s-o\s+(\S+)", e["command"])
        if m_o:
            o = os.path.relpath(os.path.join(e["directory"], m_o.group(1)), build_dir)
            objects[o] = e["file"]

# Failed steps and the first error line of each.
failed = {}   # output -> first error line
fail_re = re.compile(r"^FAILED: (.*)$")
make_re = re.compile(r"^(?:g?make)\[\d+\]: \*\*\* \[\S*?:\d+: (\S+)\] Error")
error_re = re.compile(r"(\berror\b|\bError\b|undefined reference|catastrophic)")
i = 0
while i < len(text):
    m = fail_re.match(text[i])
    if m:
        outs = m.group(1).split()
        first = ""
        j = i + 2  # FAILED line, then the command, then the tool's output
        while j < len(text) and not fail_re.match(text[j]) and not text[j].startswith("["):
            if error_re.search(text[j]) and not first:
                first = text[j].strip()
            j += 1
        for o in outs:
            failed[o] = first or "(no error line found; see the log)"
        i = j
        continue
    m = make_re.match(text[i])
    if m:
        failed.setdefault(m.group(1), "(see the log)")
    i += 1
if not any(fail_re.match(l) for l in text):  # make: attach the first error above each failure
    last_error = ""
    for l in text:
        if error_re.search(l) and not make_re.match(l):
            last_error = last_error or l.strip()
        m = make_re.match(l)
        if m:
            failed[m.group(1)] = last_error or failed[m.group(1)]
            last_error = ""

failed_objs = {o: e for o, e in failed.items() if o in objects or o.endswith(".o")}
failed_other = {o: e for o, e in failed.items() if o not in failed_objs}
compiled = [o for o in objects if o not in failed_objs and os.path.exists(os.path.join(build_dir, o))]
not_built = [o for o in objects if o not in failed_objs and o not in compiled]

print()
print(f"== Summary ({elapsed} s, build exit status {rc})")
print(f"translation units: {len(objects)} needed, {len(compiled)} compiled, "
      f"{len(failed_objs)} failed, {len(not_built)} not attempted")
if as_cuda or objects:
    print(f"compiled as CUDA by nvcc: {len(as_cuda)}; by the host compiler: {len(objects) - len(as_cuda)}"
          + ("" if os.path.exists(os.path.join(build_dir, "build.ninja")) else " (unknown: not Ninja)"))
if failed_objs:
    print("failed translation units (first error line):")
    for o in sorted(failed_objs, key=lambda o: rel(objects.get(o, o))):
        print(f"  {rel(objects.get(o, o))}\n      {failed_objs[o]}")
if failed_other:
    print("other failed steps (links, generators):")
    for o in sorted(failed_other):
        print(f"  {o}\n      {failed_other[o]}")
if not_built:
    print("not attempted (an input failed): " + " ".join(sorted(rel(objects[o]) for o in not_built)))
if rc != 0 and not failed:
    print("the build failed without a recognisable failed step: see the log")
print(f"full log: {log}")
sys.exit(0 if rc == 0 and not failed else 1)
EOF
