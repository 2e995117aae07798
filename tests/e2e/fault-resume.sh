#!/bin/sh
# fault-resume.sh: a worker whose container runtime install fails leaves
# the others finishing; kubewiz exits 1 and the summary names the node,
# the stage and the log. Once the fault is cleared, resume (from the saved
# state alone) finishes without rerunning what was done.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=fault-resume
# shellcheck disable=SC2034
E2E_NET=127.0.62
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_classic_lab
"$LAB" fault 2 'yum install -y docker-ce*' fail

out=$E2E_TMP/install.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$out"; e2e_fail "install exited $rc, not 1"; }
grep -Eq '^  k8s-node1 +worker +FAILED at runtime' "$out" ||
	{ cat "$out"; e2e_fail "the summary does not name k8s-node1 runtime"; }
grep -Eq '^  k8s-node2 +worker +ok' "$out" ||
	e2e_fail "k8s-node2 did not finish"
log=$(sed -n 's/^    log: \(.*04-runtime.log\)$/\1/p' "$out" | head -n 1)
[ -f "$log" ] || e2e_fail "no runtime log named in the summary"
grep -q '^resume: kubewiz ' "$out" || e2e_fail "no resume command"
[ "$(e2e_journal_count 3 0 '^kubeadm join ')" -eq 1 ] ||
	e2e_fail "k8s-node2 did not join"
[ "$(e2e_journal_count 2 0 '^kubeadm')" -eq 0 ] ||
	e2e_fail "kubeadm ran on the failed worker"
e2e_ok "exit 1, the failed worker named, the other one joined"

"$LAB" fault 2 --clear
l1=$(e2e_journal_len 1)
l3=$(e2e_journal_len 3)
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" resume lab --show-token \
    >"$E2E_TMP/resume.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/resume.out"; e2e_fail "resume exited $rc"; }
grep -q '^dashboard: https://' "$E2E_TMP/resume.out" || e2e_fail "no URL"
[ "$(e2e_journal_count 1 "$l1" '^kubeadm init( |$)')" -eq 0 ] ||
	e2e_fail "resume ran kubeadm init again"
[ "$(e2e_journal_count 3 "$l3" '^(kubeadm join|yum install)')" -eq 0 ] ||
	e2e_fail "resume redid k8s-node2's work"
[ "$(e2e_journal_count 2 0 '^kubeadm join ')" -eq 1 ] ||
	e2e_fail "k8s-node1 did not join exactly once"
grep -Eq '^\[k8s-node2\] skipped, done earlier.*: .* join' "$E2E_TMP/resume.out" ||
	e2e_fail "k8s-node2's join not skipped"
e2e_ok "resume finished without redoing done work"
