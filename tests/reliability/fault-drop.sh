#!/bin/sh
# fault-drop.sh: the SSH connection of k8s-node1 drops in the middle of its
# packages stage. That task fails with a connection error (or is redone
# over a new connection); the other nodes go on; resume reconnects and
# finishes with init once and each join once.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-fault-drop
# shellcheck disable=SC2034
E2E_NET=127.0.77
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state
"$LAB" fault 2 'yum install -y kubelet*' drop --once

out=$E2E_TMP/install.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" \
    --yes >"$out" 2>&1 || rc=$?
"$LAB" journal 2 | awk -F '\t' '$2 == "drop"' | grep -q . ||
	e2e_fail "the connection was not dropped"
case "$rc" in
0) ;;
1)
	grep -Eq '^  k8s-node1 +worker +FAILED at packages' "$out" ||
		{ cat "$out"; e2e_fail "the summary does not name k8s-node1's packages"; }
	grep -Eq '^  k8s-node2 +worker +ok' "$out" ||
		{ cat "$out"; e2e_fail "k8s-node2 did not finish"; }
	e2e_ok "the dropped connection failed k8s-node1's packages; the others finished"
	rel_resume_ok "$st" "$E2E_TMP/resume.out"
	out=$E2E_TMP/resume.out
	;;
*) cat "$out"; e2e_fail "install exited $rc" ;;
esac
why=$(rel_check_end_state "$st" "$out" 2 3) || e2e_fail "$why"
e2e_ok "after the drop: reconnected, init once, each join once"
