#!/bin/sh
# fault-cp-reboot.sh: the first control plane reboots right after the
# kubeadm init command (its init task still running), and on a fresh lab
# right after its init task is done. Once init is done, the joins wait
# for the control plane and its API server to come back (the kubelet
# starts it at boot) and go on; the task that was running on it fails and
# resume finishes. Either way kubeadm init ran once (never again on a
# resumed install), each worker joined once, every node is Ready.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-fault-cp-reboot
# shellcheck disable=SC2034
E2E_NET=127.0.79
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_require_lab
e2e_lab_up 3 --os centos7
for when in command task; do
	[ "$when" = command ] || rel_lab_fresh 3 --os centos7
	"$LAB" config --profile classic >"$E2E_TMP/cluster.yaml"
	st=$E2E_TMP/state.$when
	out=$E2E_TMP/install.$when.out
	rel_install_bg "$st" "$out"
	if [ "$when" = command ]; then
		rel_wait_journal 1 '^kubeadm init --' 300
	else
		i=0
		until grep -q '^\[k8s-master\] init: done' "$out"; do
			kill -0 "$REL_PID" 2>/dev/null || { cat "$out"; e2e_fail "install ended before init was done"; }
			i=$((i + 1))
			[ "$i" -lt 1500 ] || e2e_fail "init not done in 300 s"
			sleep 0.2
		done
	fi
	"$LAB" reboot 1 >/dev/null
	e2e_ok "the control plane rebooted after kubeadm init ($when)"
	rc=0
	wait "$REL_PID" || rc=$?
	case "$rc" in
	0) e2e_ok "the install went on and finished" ;;
	1)
		grep -q '^  k8s-master .*FAILED' "$out" ||
			{ cat "$out"; e2e_fail "the summary does not name k8s-master"; }
		e2e_ok "the install failed: $(grep '^  k8s-master ' "$out")"
		# init was done: the joins must have waited for the control
		# plane to come back, then joined.
		if [ "$when" = task ] || grep -q '^  k8s-master .*FAILED at network' "$out"; then
			for w in k8s-node1 k8s-node2; do
				grep -Eq "^  $w +worker +ok" "$out" ||
					{ cat "$out"; e2e_fail "$w's join did not wait for the rebooted control plane"; }
			done
			e2e_ok "the joins waited for the control plane and went on"
		fi
		rel_resume_ok "$st" "$E2E_TMP/resume.out"
		out=$E2E_TMP/resume.out
		e2e_ok "resume finished"
		;;
	*) cat "$out"; e2e_fail "install exited $rc" ;;
	esac
	why=$(rel_check_end_state "$st" "$out" 2 3) || e2e_fail "$why"
	why=$(rel_check_node_live 1) || e2e_fail "$why"
	e2e_ok "init once, each join once, every node Ready"
done
