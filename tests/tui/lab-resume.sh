#!/bin/sh
# tests/tui/lab-resume.sh: stop an install midway (q, confirmed), then open
# the main menu, which shows the cluster's state, and resume it to the end.
. "${top_srcdir:-.}/tests/tui/lib.sh"

lab_up 127.0.143 3 --os centos7
"$LAB" config --profile classic >"$TUI_TMP/lab.yaml"
# Hold the images stage on the control plane so the stop lands midway.
"$LAB" fault 1 'kubeadm config images pull*' hang

tui_start 100 30 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_keys C-n C-n C-n C-n C-n C-n
tui_wait "The configuration is valid"
tui_keys BTab Enter
tui_wait "Install Kubernetes"
tui_keys y
tui_wait "images" 300
tui_keys q
tui_wait "Stop the install?"
tui_keys y
tui_wait "[exit" 120
tui_has "kubewiz resume lab" || fail "no resume hint after stopping"
"$LAB" fault 1 --clear

tui_start 100 30 "$KUBEWIZ"
tui_wait "New install"
tui_has "lab: " || fail "the saved cluster is not in the menu"
tui_has "lab: installed" && fail "a stopped install shows as installed"
tui_keys Down Enter
tui_wait_progress "runs again" 60
tui_wait_installed 600
tui_keys q
tui_wait "[exit 0]"
exit 0
