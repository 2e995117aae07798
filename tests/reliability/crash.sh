#!/bin/sh
# crash.sh: make check's crash-anywhere test: tests/reliability/crash-loop
# until 20 kill points (CRASH_KILLS) have been exercised, at most 20 runs.
# The long variant is by hand: tests/reliability/crash-loop --runs 200.
set -eu
exec "$(dirname "$0")/crash-loop" --runs "${CRASH_RUNS:-20}" \
    --kills "${CRASH_KILLS:-20}" ${CRASH_SEED:+--seed "$CRASH_SEED"}
