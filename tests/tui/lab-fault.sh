#!/bin/sh
# tests/tui/lab-fault.sh: a fault on one worker shows FAIL with its stage
# while the others go on; after the fault is cleared, r retries it and the
# install finishes on the final screen.
. "${top_srcdir:-.}/tests/tui/lib.sh"

lab_up 127.0.142 3 --os centos7
"$LAB" config --profile classic >"$TUI_TMP/lab.yaml"
"$LAB" fault 3 'yum install*docker*' fail

tui_start 100 30 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_keys C-n C-n C-n C-n C-n C-n
tui_wait "The configuration is valid"
tui_keys BTab Enter
tui_wait "Install Kubernetes"
tui_keys y
tui_wait "FAIL" 300
tui_has "runtime failed" || fail "the failed stage is not named"
tui_wait "A task failed" 300
"$LAB" fault 3 --clear
tui_select_node k8s-node2
tui_keys r
# With a failed task the run waits for the operator, so only the retry can
# bring it to the final screen (the "Retrying" note may be gone by then).
tui_wait_installed 600
tui_has "✓ k8s-node2" || fail "k8s-node2 is not Ready after the retry"
tui_keys q
tui_wait "[exit 0]"
exit 0
