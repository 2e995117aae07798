#!/bin/sh
# valgrind.sh: the lab end-to-end install (3 nodes, classic, plain front
# end) runs under valgrind memcheck: it must finish, with no invalid
# access, no use of uninitialised memory and no definite leak (exit 99 from
# valgrind otherwise); then a resume (everything skipped) the same way.
# Skipped without valgrind, and for sanitizer builds (ASan and valgrind do
# not mix; CI's sanitizer build runs the e2e tests under ASan+UBSan).
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-valgrind
# shellcheck disable=SC2034
E2E_NET=127.0.81
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

command -v valgrind >/dev/null || { echo "SKIP: no valgrind"; exit 77; }
e2e_require_lab
if ldd "$KUBEWIZ" 2>/dev/null | grep -q 'libasan'; then
	echo "SKIP: a sanitizer build"
	exit 77
fi
e2e_lab_up 3 --os centos7
"$LAB" config --profile classic >"$E2E_TMP/cluster.yaml"
st=$E2E_TMP/state

# No suppressions: kubewiz, libssh, libyaml and glibc are clean.
vg() {
	_log=$1
	shift
	valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
	    --track-origins=yes --num-callers=30 --log-file="$_log" \
	    "$KUBEWIZ" --no-tui --state-dir "$st" "$@"
}
for what in install resume; do
	rc=0
	if [ "$what" = install ]; then
		vg "$E2E_TMP/vg.$what" install -f "$E2E_TMP/cluster.yaml" --yes \
		    >"$E2E_TMP/$what.out" 2>&1 || rc=$?
	else
		vg "$E2E_TMP/vg.$what" resume lab >"$E2E_TMP/$what.out" 2>&1 || rc=$?
	fi
	if [ "$rc" -eq 99 ]; then
		cat "$E2E_TMP/vg.$what"
		e2e_fail "valgrind found errors in the $what"
	fi
	[ "$rc" -eq 0 ] || { cat "$E2E_TMP/$what.out"; e2e_fail "the $what exited $rc under valgrind"; }
	grep -q 'ERROR SUMMARY: 0 errors' "$E2E_TMP/vg.$what" ||
		{ cat "$E2E_TMP/vg.$what"; e2e_fail "valgrind's summary of the $what is not clean"; }
	! grep -q 'definitely lost: [1-9]' "$E2E_TMP/vg.$what" ||
		e2e_fail "definite leaks in the $what"
	e2e_ok "$what under memcheck: $(grep -o 'ERROR SUMMARY: .*' "$E2E_TMP/vg.$what")"
done
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "init once, each join once"
