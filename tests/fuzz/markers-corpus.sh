#!/bin/sh
# markers-corpus.sh: replay the seed corpus through the marker fuzz harness
# (no fuzzing, so it is quick and deterministic); built with --enable-fuzzing.
set -eu
fuzzer=${top_builddir:?}/tests/fuzz/fuzz_markers
corpus=${top_srcdir:?}/tests/fuzz/corpus/markers
[ -x "$fuzzer" ] || exit 77
exec "$fuzzer" -runs=0 "$corpus"
