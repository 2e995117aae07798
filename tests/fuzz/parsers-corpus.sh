#!/bin/sh
# parsers-corpus.sh: replay the seed corpora of the status-output and
# facts harnesses (no fuzzing: quick and deterministic); built with
# --enable-fuzzing.
set -eu
b=${top_builddir:?}/tests/fuzz
c=${top_srcdir:?}/tests/fuzz/corpus
[ -x "$b/fuzz_status" ] && [ -x "$b/fuzz_facts" ] || exit 77
"$b/fuzz_status" -runs=0 "$c/status" "$c/markers"
"$b/fuzz_facts" -runs=0 "$c/facts"
