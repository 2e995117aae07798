#!/bin/sh
# fault-fail.sh: commands that fail once during an install. A failed image
# pull on k8s-node1 is transient: the stage retries it and the install
# finishes it. A failed package install on k8s-node2 is not retried: that
# node's runtime task FAILS and the summary names the node, the stage, the
# reason and the log, while the other nodes finish (exit 1); resume then
# finishes with init once and each join once.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-fault-fail
# shellcheck disable=SC2034
E2E_NET=127.0.75
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state
"$LAB" fault 2 'kubeadm config images pull*' fail --once
"$LAB" fault 3 'yum install -y docker-ce*' fail --once

out=$E2E_TMP/install.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" \
    --yes >"$out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$out"; e2e_fail "install exited $rc, not 1"; }
"$LAB" journal 2 | awk -F '\t' '$3 ~ /^kubeadm config images pull/ { print $2 }' |
    tr '\n' ' ' >"$E2E_TMP/pulls"
[ "$(cat "$E2E_TMP/pulls")" = "1 0 " ] ||
	e2e_fail "k8s-node1's image pulls exited: $(cat "$E2E_TMP/pulls") (not a failure, then a retry)"
grep -Eq '^  k8s-node1 +worker +ok' "$out" || { cat "$out"; e2e_fail "k8s-node1 did not finish after the retried pull"; }
grep -Eq '^  k8s-node2 +worker +FAILED at runtime' "$out" ||
	{ cat "$out"; e2e_fail "the summary does not name k8s-node2's runtime"; }
grep -q 'injected fault' "$st/lab/logs/k8s-node2/04-runtime.log" ||
	e2e_fail "the runtime log does not hold yum's error"
grep -q "log: $st/lab/logs/k8s-node2/04-runtime.log" "$out" ||
	e2e_fail "the summary does not name the log"
grep -q '^resume: kubewiz ' "$out" || e2e_fail "no resume command"
[ "$(e2e_journal_count 3 0 '^kubeadm join ')" -eq 0 ] ||
	e2e_fail "k8s-node2 joined after its runtime failed"
e2e_ok "a failed pull retried; a failed package install reported (node, stage, log, resume)"

rel_resume_ok "$st" "$E2E_TMP/resume.out"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "resume finished: init once, each join once, the lab's Dashboard token"
