#!/bin/sh
# fault-reboot.sh: k8s-node2 reboots in the middle of the install (its
# packages stage has just installed kubelet). The install goes on or fails
# that node; resume finishes with init once and each join once; the
# rebooted node's volatile state (swap off, br_netfilter, ip_forward, the
# kubelet) is what the stages set, every node Ready; and after one more
# reboot it still is (the stages made it persistent).
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-fault-reboot
# shellcheck disable=SC2034
E2E_NET=127.0.78
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state

out=$E2E_TMP/install.out
rel_install_bg "$st" "$out"
rel_wait_journal 3 '^yum install -y kubelet' 300
"$LAB" reboot 3 >/dev/null
e2e_ok "k8s-node2 rebooted after its kubelet package"
rc=0
wait "$REL_PID" || rc=$?
case "$rc" in
0) ;;
1)
	grep -Eq '^  k8s-node2 +worker +FAILED' "$out" ||
		{ cat "$out"; e2e_fail "the summary does not name k8s-node2"; }
	rel_resume_ok "$st" "$E2E_TMP/resume.out"
	out=$E2E_TMP/resume.out
	;;
*) cat "$out"; e2e_fail "install exited $rc" ;;
esac
why=$(rel_check_end_state "$st" "$out" 2 3) || e2e_fail "$why"
why=$(rel_check_node_live 3) || e2e_fail "$why"
e2e_ok "finished: init once, each join once; k8s-node2 Ready with swap off, modules, sysctl"
"$LAB" reboot 3 >/dev/null
why=$(rel_check_node_live 3) || e2e_fail "after another reboot: $why"
e2e_ok "and so after another reboot"
