#!/bin/sh
# config-corpus.sh: replay the examples and the bad-config fixtures through
# the config fuzz harness (no fuzzing: quick and deterministic); built with
# --enable-fuzzing.
set -eu
fuzzer=${top_builddir:?}/tests/fuzz/fuzz_config
[ -x "$fuzzer" ] || exit 77
exec "$fuzzer" -runs=0 "${top_srcdir:?}/examples" "$top_srcdir/tests/unit/data"
