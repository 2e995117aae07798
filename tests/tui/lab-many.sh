#!/bin/sh
# tests/tui/lab-many.sh: 30 lab nodes at 80x24 use the list with a detail
# pane; every node can be reached and selected; q stops cleanly.
. "${top_srcdir:-.}/tests/tui/lib.sh"

lab_up 127.0.144 30 --os rocky9
"$LAB" config --profile modern --nodes 30 >"$TUI_TMP/lab.yaml"
# kubeadm init waits, so the install is still running while the list is
# looked at (the lab's fakes are fast enough to finish 30 nodes first).
printf '120\tkubeadm init\n' >"$KUBEWIZ_LAB/delays"

tui_start 80 24 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_keys C-n C-n C-n C-n C-n C-n
tui_wait "Step 7 of 7: Review"
tui_keys BTab Enter
tui_wait "on 30 nodes"
tui_keys y
tui_wait "30 nodes" 30
tui_wait "k8s-node1 " 30
tui_has "k8s-node29" && fail "all 30 rows drawn in 24 lines"
tui_keys End
tui_wait "k8s-node29" 10
# The detail pane follows the selection.
tui_capture | grep -q "k8s-node29 $KUBEWIZ_LAB_NET.30" ||
	fail "the detail pane does not show the selected node"
tui_keys q
tui_wait "Stop the install?"
tui_keys y
tui_wait "[exit" 300
exit 0
