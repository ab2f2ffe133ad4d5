#!/usr/bin/env bash
# Fuzzes every libFuzzer harness of build-asan for SECONDS each (default 60), starting from its
# committed seed corpus (tests/fuzz/corpus/<name>). New inputs go to a scratch corpus, not the
# repository; a crash, leak, timeout or sanitizer report stops with a non-zero status and leaves
# the reproducer in build-asan/fuzz-artifacts/: add it to tests/fuzz/corpus/<name>/ once fixed.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS ...]      (docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(network_toml overrides dataset_options hdf5_readers)
fi
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
# The harnesses start no MPI: the fast unwinder is enough (sanitize.sh's slow one is for MPI).
export ASAN_OPTIONS="detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
artifacts="$PWD/build-asan/fuzz-artifacts"
mkdir -p "$artifacts"
for name in "${harnesses[@]}"; do
  binary="build-asan/tests/fuzz/fuzz_$name"
  if [ ! -x "$binary" ]; then
    echo "fuzz: $binary is missing; build the asan-ubsan preset first" >&2
    exit 2
  fi
  scratch="build-asan/fuzz-corpus/$name"
  mkdir -p "$scratch"
  echo "fuzz: $name for ${seconds} s"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a parse must not explode memory.
  log="build-asan/fuzz-$name.log"
  status=0
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name-" "$scratch" "tests/fuzz/corpus/$name" >"$log" 2>&1 ||
    status=$?
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "fuzz: $name FAILED (status $status); reproducers in $artifacts" >&2
    exit 1
  fi
done
echo "fuzz: ${#harnesses[@]} harnesses ran ${seconds} s each without a finding"
