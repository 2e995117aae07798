#!/bin/sh
# run-all.sh: fuzz every libFuzzer harness of a build for a bounded time,
# one after another, each starting from its seed corpus (copied: the
# checked-in corpus is never written). Builds nothing: configure the build
# with CC=clang --enable-fuzzing --enable-sanitizers and make check first.
# A crash leaves crash-* files in the work directory (kept) and exit 1;
# each one becomes a regression input in tests/fuzz/corpus/.
#
# usage: tests/fuzz/run-all.sh BUILDDIR [SECONDS]   (default 60 each)
set -eu
build=${1:?usage: run-all.sh BUILDDIR [SECONDS]}
secs=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/kw-fuzz.XXXXXX)
failed=0
for h in config markers status facts; do
	bin=$build/tests/fuzz/fuzz_$h
	[ -x "$bin" ] || { echo "run-all: no $bin (configure --enable-fuzzing)" >&2; exit 2; }
	mkdir -p "$work/$h"
	case $h in
	config) seeds="$src/examples $src/tests/unit/data" ;;
	status) seeds="$src/tests/fuzz/corpus/status $src/tests/fuzz/corpus/markers" ;;
	*) seeds=$src/tests/fuzz/corpus/$h ;;
	esac
	echo "run-all: fuzz_$h for ${secs}s"
	# shellcheck disable=SC2086 # seeds is a list of directories
	if ! (cd "$work/$h" && "$bin" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 "$work/$h" $seeds \
	    >"$work/$h.log" 2>&1); then
		echo "run-all: fuzz_$h FAILED; see $work/$h.log and $work/$h/crash-*" >&2
		tail -n 30 "$work/$h.log" >&2
		failed=1
	else
		grep -E '^stat::number_of_executed_units' "$work/$h.log" | sed "s/^/  fuzz_$h /"
	fi
done
if [ "$failed" -eq 0 ]; then
	rm -rf "$work"
	echo "run-all: no crash"
fi
exit "$failed"
