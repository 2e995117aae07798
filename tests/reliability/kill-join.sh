#!/bin/sh
# kill-join.sh: kubewiz SIGKILLed while both workers' "kubeadm join" runs,
# its work done (kubelet.conf written, the Node registered) but not its
# last lines (the lab holds it there 6 s). Without their output pipe the
# joins then fail (exit 141): what crash-loop seed 525428736 once hit.
# Resumed at once, kubewiz must not take kubelet.conf for a finished join:
# it waits for the orphaned join, resets the node and joins again, so each
# worker ends with exactly one join that completed (exit 0).
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-kill-join
# shellcheck disable=SC2034
E2E_NET=127.0.84
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state
# The lab holds each join 6 s once its work is done (fk_kubeadm.py).
printf '6\tlab-hold kubeadm-join-done\n' >"$KUBEWIZ_LAB/delays"

# Have both workers' joins written kubelet.conf?
workers_have_kubelet_conf() {
	"$LAB" ssh 2 test -f /etc/kubernetes/kubelet.conf &&
	    "$LAB" ssh 3 test -f /etc/kubernetes/kubelet.conf
}

rel_install_bg "$st" "$E2E_TMP/install.out"
# Both joins have done their work and are held when kubewiz dies.
rel_wait_for 60 "kubelet.conf on both workers" workers_have_kubelet_conf
kill -9 "$REL_PID"
wait "$REL_PID" 2>/dev/null || true
for i in 2 3; do
	[ "$(e2e_journal_count "$i" 0 '^kubeadm join ')" -eq 0 ] ||
		e2e_fail "node $i's join ended before kubewiz was killed"
done
rm -f "$KUBEWIZ_LAB/delays"
e2e_ok "kubewiz killed during both workers' kubeadm join"

# Resume at once: the orphaned joins are still running on the nodes.
rel_resume_ok "$st" "$E2E_TMP/resume.out"
for i in 2 3; do
	got=$("$LAB" journal "$i" |
	    awk -F '\t' '$3 ~ /^kubeadm join / { printf "%s%s", s, $2; s = " " }')
	[ "$got" = "141 0" ] ||
		e2e_fail "node $i: kubeadm join exit statuses '$got', not '141 0' (the killed join, then one that completed)"
	[ "$(e2e_journal_count "$i" 0 '^kubeadm reset')" -eq 1 ] ||
		e2e_fail "node $i: the unfinished join was not reset once"
done
grep -q 'interrupted kubeadm join left partial state' "$E2E_TMP/resume.out" ||
	e2e_fail "no warning about the interrupted joins"
e2e_ok "the unfinished joins (kubelet.conf written, exit 141) were reset, not skipped"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "init once, each worker joined once by a join that completed"
