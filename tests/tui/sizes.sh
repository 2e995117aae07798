#!/bin/sh
# tests/tui/sizes.sh: the wizard at 80x24 and 120x40 and across a resize;
# below 80x24 the size message, then recovery with nothing lost.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_start 80 24 "$KUBEWIZ" install
tui_wait "Step 1 of 7: Nodes"
tui_type demo
tui_keys Tab
tui_type "127.0.10.1 k8s-master control-plane"
tui_keys Enter
tui_wait "k8s-master"
tui_has "Tab/Up/Down move" || fail "footer missing at 80x24"

tui_resize 120 40
tui_wait "1 Nodes"
tui_has "k8s-master" || fail "rows lost at 120x40"
[ "$(tui_capture | wc -l)" -ge 39 ] || fail "not redrawn at 40 lines"

tui_resize 60 20
tui_wait "kubewiz needs at least 80x24 (now 60x20)"
tui_has "k8s-master" && fail "drew the wizard below 80x24"

tui_resize 80 24
tui_wait "Step 1 of 7: Nodes"
tui_has "k8s-master" || fail "rows lost after the too-small state"
tui_has "demo" || fail "cluster name lost after resizes"
tui_keys F10
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"
exit 0
