#!/bin/sh
# hostile.sh: hostile config values (shell substitutions, separators,
# quotes, newlines, option injection, NUL and non-UTF-8 bytes, 70000-byte
# strings) in every string field of cluster.yaml (hostile-gen.py). Each is
# refused by validation (exit 2 with an error naming a file position), or,
# when accepted, is installed on the lab on top of a finished install, so
# the stages that use the changed field run again with it. A canary file
# that any unquoted value would create must never exist, on the machine
# running kubewiz or on any node.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-hostile
# shellcheck disable=SC2034
E2E_NET=127.0.74
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_require_lab
e2e_lab_up 3 --os centos7
canary=/tmp/KWCANARY-$$
st=$E2E_TMP/state
"$LAB" config --profile classic >"$E2E_TMP/cluster.yaml"

# Is the canary anywhere? Prints where.
canary_seen() {
	[ ! -e "$canary" ] || echo "host"
	for i in 1 2 3; do
		if "$LAB" ssh "$i" test -e "$canary"; then echo "node $i"; fi
	done
}
# The check can fail: a canary made on a node is seen.
"$LAB" ssh 2 touch "$canary"
[ "$(canary_seen)" = "node 2" ] || e2e_fail "the canary check does not see node 2's canary"
"$LAB" ssh 2 rm -f "$canary"
[ -z "$(canary_seen)" ] || e2e_fail "a canary is left"

rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" \
    --yes >"$E2E_TMP/base.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/base.out"; e2e_fail "the base install exited $rc"; }

mkdir "$E2E_TMP/h"
n=$(python3 "$top_srcdir/tests/reliability/hostile-gen.py" \
    "$E2E_TMP/cluster.yaml" "$canary" "$E2E_TMP/h")
[ "$n" -ge 400 ] || e2e_fail "only $n hostile configs"
refused=0
installed=0
for f in "$E2E_TMP"/h/*.yaml; do
	what=$(cat "${f%.yaml}.txt")
	rc=0
	"$KUBEWIZ" validate -f "$f" >"$E2E_TMP/v.out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		[ "$rc" -eq 2 ] || e2e_fail "validate exited $rc on $what"
		grep -q "^$f:[0-9]*:[0-9]*: error: " "$E2E_TMP/v.out" ||
			{ cat "$E2E_TMP/v.out"; e2e_fail "no positioned error for $what"; }
		refused=$((refused + 1))
		continue
	fi
	# Accepted: install it over the finished cluster (only what the field
	# changes runs again); it may fail, it must not run the value. make
	# check installs the first 5 accepted values of each field (the
	# substitutions, separators and quotes); HOSTILE_ALL=1 all of them.
	field=${what%% = *}
	echo "$field" >>"$E2E_TMP/fields"
	if [ "${HOSTILE_ALL:-0}" != 1 ] &&
	    [ "$(grep -cxF "$field" "$E2E_TMP/fields")" -gt 5 ]; then
		continue
	fi
	rc=0
	"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$f" --yes \
	    >"$E2E_TMP/i.out" 2>&1 || rc=$?
	case "$rc" in
	0 | 1 | 2 | 3) ;;
	*) cat "$E2E_TMP/i.out"; e2e_fail "install exited $rc on $what" ;;
	esac
	seen=$(canary_seen)
	[ -z "$seen" ] || e2e_fail "the canary was created ($seen) by $what"
	installed=$((installed + 1))
done
[ -z "$(canary_seen)" ] || e2e_fail "the canary was created"
[ -f "$st/lab/state.yaml" ] || e2e_fail "the state is gone"
e2e_ok "$n hostile values: $refused refused by validation, $((n - refused)) accepted, $installed of them installed without running them"
