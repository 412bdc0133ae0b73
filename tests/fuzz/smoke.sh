#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang and runs each for a short time
# (default 60 s) seeded from samples/, the test fixtures and the html5lib
# corpus. Any crash, leak or sanitizer report fails the run and leaves the
# reproducer in the build folder. Usage: tests/fuzz/smoke.sh [SECONDS]
#
# The run is reproducible: a fixed libFuzzer seed (OCTAVO_FUZZ_SEED, default
# 1) and a fresh working corpus each time, so a slower machine explores a
# prefix of the same input sequence rather than a different one. A finding in
# CI therefore reproduces here; new ground is broken by the long campaign in
# docs/fuzzing.md, whose findings become regression tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
build=${OCTAVO_FUZZ_BUILD:-build/fuzz}
CC=clang cmake -S . -B "$build" -DOCTAVO_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_text fuzz_html fuzz_pipeline \
  octavo_plugin_text octavo_plugin_html octavo_plugin_markdown octavo_plugin_epub \
  octavo_plugin_docx >/dev/null
shared=../shared/corpora
for h in text html pipeline; do
  work="$build/fuzz/corpus-$h"
  rm -rf "$work"
  mkdir -p "$work"
  seeds=(samples)
  for d in tests/text/fixtures tests/html/fixtures tests/regress/inputs "$shared/html5lib/inputs"; do
    [ -d "$d" ] && seeds+=("$d")
  done
  echo "fuzz_$h: ${seconds}s"
  (cd "$build/fuzz" && ./"fuzz_$h" -seed="${OCTAVO_FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -dict="$OLDPWD/tests/fuzz/octavo.dict" -print_final_stats=1 \
      "$OLDPWD/$work" $(printf "$OLDPWD/%s " "${seeds[@]}") 2>&1 | tail -n 12)
done
