#!/bin/sh
# fault-hang.sh: a command that hangs. With a 60 s stage timeout
# (KUBEWIZ_STAGE_TIMEOUT), k8s-node2's runtime stage (a yum that never
# returns) is stopped: the node is marked FAILED "timed out", the hanging
# command is killed on the node, and the other nodes go on: k8s-node1 joins, the master goes up to
# ready, which waits for every join (exit 1).
# With the fault gone, resume finishes.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-fault-hang
# shellcheck disable=SC2034
E2E_NET=127.0.76
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state
"$LAB" fault 3 'yum install -y docker-ce*' hang

out=$E2E_TMP/install.out
rc=0
KUBEWIZ_STAGE_TIMEOUT=60 "$KUBEWIZ" --no-tui --state-dir "$st" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$out"; e2e_fail "install exited $rc, not 1"; }
grep -Eq '^  k8s-node2 +worker +FAILED at runtime' "$out" ||
	{ cat "$out"; e2e_fail "the summary does not name k8s-node2's runtime"; }
grep -q 'timed out' "$out" || { cat "$out"; e2e_fail "no 'timed out' reason"; }
grep -Eq '^  k8s-node1 +worker +ok' "$out" || { cat "$out"; e2e_fail "k8s-node1 did not finish"; }
# The master went as far as it could: ready waits for every join.
grep -Eq '^  k8s-master +control-plane +not finished: ready blocked by k8s-node2' "$out" ||
	{ cat "$out"; e2e_fail "k8s-master did not stop at ready, blocked by k8s-node2"; }
[ "$(e2e_journal_count 2 0 '^kubeadm join ')" -eq 1 ] || e2e_fail "k8s-node1 did not join"
i=0
while "$LAB" ssh 3 pgrep -f 'yum install' >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 50 ] || e2e_fail "the hanging yum still runs on k8s-node2"
	sleep 0.2
done
e2e_ok "the hung stage timed out, k8s-node2 marked, its command killed, the others finished"

"$LAB" fault 3 --clear
rel_resume_ok "$st" "$E2E_TMP/resume.out"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "resume finished: init once, each join once"
