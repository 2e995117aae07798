#!/bin/sh
# reset.sh: "kubewiz reset" on the lab after a classic install (1 control
# plane + 2 workers). Checks: without a terminal or with the wrong name it
# refuses (exit 3) and changes nothing; with the name it resets every node
# (exit 0), each node is left clean, the logs stay, the state is marked
# reset (no task done, no admin.conf) and status says something is wrong;
# an install afterwards succeeds with a fresh kubeadm init. Then
# "reset --node k8s-node2" drains and deletes the worker, resets it only
# and drops it from the saved config; status is healthy without it; a
# control plane is refused (exit 2). Last, the reset screen (tmux): a wrong
# name is refused, the right one resets the rest and q leaves with 0.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=reset
# shellcheck disable=SC2034
E2E_NET=${RESET_E2E_NET:-127.0.72}
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/e2e/day2-lib.sh
. "$top_srcdir/tests/e2e/day2-lib.sh"

e2e_classic_lab
day2_install "$E2E_TMP/cluster.yaml"
st=$E2E_TMP/state/lab

# Refusals change nothing.
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" reset lab </dev/null \
    >"$E2E_TMP/refused.out" 2>&1 || rc=$?
[ "$rc" -eq 3 ] || { cat "$E2E_TMP/refused.out"; e2e_fail "reset without a terminal exited $rc, not 3"; }
grep -q 'yes-i-typed-the-name=lab' "$E2E_TMP/refused.out" ||
	e2e_fail "the refusal does not say how to confirm in scripts"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" reset lab \
    --yes-i-typed-the-name=other </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 3 ] || e2e_fail "reset with the wrong name exited $rc, not 3"
"$LAB" ssh 1 test -f /etc/kubernetes/admin.conf ||
	e2e_fail "a refused reset touched the master"
[ -f "$st/admin.conf" ] || e2e_fail "a refused reset touched the state"
e2e_ok "refused without a terminal or with the wrong name (exit 3)"

# The reset.
out=$E2E_TMP/reset.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" reset lab \
    --yes-i-typed-the-name=lab </dev/null >"$out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$out"; e2e_fail "reset exited $rc"; }
for i in 1 2 3; do
	day2_node_clean "$i" || e2e_fail "node $i is not clean after the reset"
done
for n in k8s-master k8s-node1 k8s-node2; do
	grep -q "^\[$n\] clean$" "$out" || e2e_fail "$n not reported clean"
	[ -s "$st/logs/$n/reset.log" ] || e2e_fail "no reset log for $n"
	[ -s "$st/logs/$n/07-init.log" ] || [ "$n" != k8s-master ] ||
		e2e_fail "the install logs of $n are gone"
done
for i in 1 2 3; do
	[ "$(e2e_journal_count "$i" 0 '^kubeadm reset( |$)')" -eq 1 ] ||
		e2e_fail "kubeadm reset did not run once on node $i"
done
e2e_ok "every node reset and clean, logs kept"

grep -q '^  RESET_AT: ' "$st/state.yaml" || e2e_fail "state not marked reset"
! grep -q 'status: done' "$st/state.yaml" ||
	e2e_fail "the state still records done tasks"
[ ! -e "$st/admin.conf" ] || e2e_fail "admin.conf of the old cluster kept"
rc=$(day2_status "$E2E_TMP/status.out")
[ "$rc" -eq 1 ] || { cat "$E2E_TMP/status.out"; e2e_fail "status of a reset cluster exited $rc, not 1"; }
grep -q 'problem: cluster lab was reset' "$E2E_TMP/status.out" ||
	e2e_fail "status does not say the cluster was reset"
e2e_ok "state marked reset; status says something is wrong"

# Installing again starts afresh and succeeds.
l1=$(e2e_journal_len 1)
day2_install "$E2E_TMP/cluster.yaml"
n=$(e2e_journal_count 1 "$l1" '^kubeadm init( |$)')
m=$(e2e_journal_count 1 "$l1" '^kubeadm init phase')
[ $((n - m)) -eq 1 ] || e2e_fail "the install after the reset ran kubeadm init $((n - m)) times"
rc=$(day2_status "$E2E_TMP/status.out")
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/status.out"; e2e_fail "status after the new install exited $rc"; }
e2e_ok "install after the reset: fresh init, healthy"

# One worker out.
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" reset lab --node k8s-master \
    --yes-i-typed-the-name=k8s-master </dev/null >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || e2e_fail "reset --node of the control plane exited $rc, not 2"
l1=$(e2e_journal_len 1)
l2=$(e2e_journal_len 2)
out=$E2E_TMP/remove.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" reset lab --node k8s-node2 \
    --yes-i-typed-the-name=k8s-node2 </dev/null >"$out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$out"; e2e_fail "reset --node k8s-node2 exited $rc"; }
[ "$(e2e_journal_count 1 "$l1" '^kubectl .*drain .*k8s-node2')" -ge 1 ] ||
	e2e_fail "k8s-node2 was not drained"
[ "$(e2e_journal_count 1 "$l1" '^kubectl .*delete node k8s-node2')" -eq 1 ] ||
	e2e_fail "k8s-node2 was not deleted"
day2_node_clean 3 || e2e_fail "k8s-node2 is not clean"
[ "$(e2e_journal_count 2 "$l2" '^kubeadm')" -eq 0 ] ||
	e2e_fail "reset --node touched k8s-node1"
"$LAB" ssh 1 test -f /etc/kubernetes/admin.conf ||
	e2e_fail "reset --node touched the master"
! grep -q 'k8s-node2' "$st/config.yaml" ||
	e2e_fail "k8s-node2 is still in the saved config"
rc=$(day2_status "$E2E_TMP/status.out")
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/status.out"; e2e_fail "status after removing k8s-node2 exited $rc"; }
! grep -q '^k8s-node2 ' "$E2E_TMP/status.out" ||
	e2e_fail "status still lists k8s-node2"
e2e_ok "reset --node: drained, deleted, reset, dropped from the config"

# The reset screen (tmux on a private server): a wrong name is refused
# (exit 3, nothing done); the right one resets what is left of the
# cluster, shows each node clean and leaves with 0 on q.
if command -v tmux >/dev/null 2>&1; then
	sock=kw-reset-$$
	# Run kubewiz's reset screen in tmux; its exit status goes to $1.
	tui_reset() {
		rm -f "$1"
		tmux -L "$sock" new-session -d -x 132 -y 40 \
		    "'$KUBEWIZ' --state-dir '$E2E_TMP/state' reset lab; echo \$? >'$1'; sleep 60"
	}
	# Wait (bounded) until the screen shows fixed string $1.
	tui_wait() {
		_i=0
		while ! tmux -L "$sock" capture-pane -p | grep -qF "$1"; do
			_i=$((_i + 1))
			if [ $_i -ge 600 ]; then
				tmux -L "$sock" capture-pane -p
				tmux -L "$sock" kill-server
				e2e_fail "the reset screen never showed '$1'"
			fi
			sleep 0.2
		done
	}
	# Wait (bounded) for the exit status file $1 and print it.
	tui_rc() {
		_i=0
		while [ ! -s "$1" ] && [ $_i -lt 100 ]; do
			sleep 0.2
			_i=$((_i + 1))
		done
		tmux -L "$sock" kill-server 2>/dev/null || true
		cat "$1" 2>/dev/null || echo none
	}

	tui_reset "$E2E_TMP/tui1.rc"
	tui_wait "Type 'lab' to confirm"
	tui_wait "This DESTROYS cluster lab"
	tmux -L "$sock" send-keys 'not-lab' Enter
	[ "$(tui_rc "$E2E_TMP/tui1.rc")" = 3 ] ||
		e2e_fail "the screen did not refuse a wrong name with exit 3"
	"$LAB" ssh 1 test -f /etc/kubernetes/admin.conf ||
		e2e_fail "a refused screen reset touched the master"

	tui_reset "$E2E_TMP/tui2.rc"
	tui_wait "Type 'lab' to confirm"
	tmux -L "$sock" send-keys 'lab' Enter
	tui_wait "Done. q leaves."
	tmux -L "$sock" capture-pane -p >"$E2E_TMP/tui-reset.txt"
	for n in k8s-master k8s-node1; do
		grep -qF "[$n] clean" "$E2E_TMP/tui-reset.txt" ||
			e2e_fail "the screen does not show $n clean"
	done
	tmux -L "$sock" send-keys q
	[ "$(tui_rc "$E2E_TMP/tui2.rc")" = 0 ] ||
		e2e_fail "the reset screen did not leave with 0"
	for i in 1 2; do
		day2_node_clean "$i" || e2e_fail "node $i is not clean after the screen's reset"
	done
	e2e_ok "reset screen: wrong name refused, right name resets, q leaves with 0"
fi
