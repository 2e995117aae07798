#!/bin/sh
# tests/tui/lab-check.sh: "Check nodes" in the wizard's SSH step connects
# to every node and runs the preflight checks without changing anything;
# an unknown host key is shown with its fingerprint and, once accepted,
# that node passes too.
. "${top_srcdir:-.}/tests/tui/lib.sh"

lab_up 127.0.145 2 --os rocky9
"$LAB" config --profile modern --nodes 2 >"$TUI_TMP/lab.yaml"
grep -vF "$KUBEWIZ_LAB_NET.2" "$KUBEWIZ_LAB/known_hosts" >"$TUI_TMP/known_hosts"
sed "s|knownHosts: .*|knownHosts: $TUI_TMP/known_hosts|" "$TUI_TMP/lab.yaml" \
    >"$TUI_TMP/check.yaml"

tui_start 100 30 "$KUBEWIZ" install -f "$TUI_TMP/check.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_keys C-n
tui_wait "Check nodes"
tui_keys F5
tui_wait "Host key of k8s-node1" 60
tui_has "SHA256:" || fail "no fingerprint in the host key question"
tui_keys y
tui_wait "Every node is reachable and passes the preflight checks" 120
tui_has "FAIL" && fail "a node failed the check"
grep -qF "$KUBEWIZ_LAB_NET.2" "$TUI_TMP/known_hosts" ||
	fail "the accepted key was not added to known_hosts"
[ -d "$TUI_TMP/state/kubewiz/lab" ] && fail "the check wrote a state directory"
"$LAB" journal 1 | grep -Eq 'kubeadm|yum|dnf install' &&
	fail "the check changed a node"
tui_keys Escape
tui_wait "Step 2 of 7: SSH"
tui_keys F10
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"
exit 0
