#!/bin/sh
# tests/tui/lab-secret.sh: a non-root user's sudo password is asked in a
# dialog without echo (the typed text never shows), and with it the node
# check passes through sudo.
. "${top_srcdir:-.}/tests/tui/lib.sh"

pw=tui-Sudo-pw-3141
lab_up 127.0.146 1 --os rocky9 --user bob --sudo-password "$pw"
"$LAB" config --profile modern --nodes 1 |
    sed 's/^\( *user:\) .*/\1 bob/' >"$TUI_TMP/lab.yaml"
grep -q 'user: bob' "$TUI_TMP/lab.yaml" || fail "cannot set the SSH user"

tui_start 100 30 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_keys C-n
tui_wait "Check nodes"
tui_keys F5
tui_wait "Secret for k8s-master" 60
tui_type "$pw"
tui_has "$pw" && fail "the password is echoed"
tui_has "****" && fail "the password's length is shown"
tui_wait "(typed, not shown)"
tui_keys Enter
tui_wait "Every node is reachable and passes the preflight checks" 120
tui_has "sudo" || fail "the check did not go through sudo"
tui_has "$pw" && fail "the password shows after the check"
tui_keys Escape F10
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"
exit 0
