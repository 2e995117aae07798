#!/bin/sh
# tests/tui/wizard-errors.sh: a wrong address shows the validator's error
# under the table and Next stays disabled until it is fixed; overlapping
# subnets are flagged inline.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_start 80 24 "$KUBEWIZ" install
tui_wait "Step 1 of 7: Nodes"
tui_type demo
tui_keys Tab
tui_type "127.0.10.1 k8s-master control-plane"
tui_keys Enter
tui_type "127.0.10.x k8s-node1 worker"
tui_keys Enter
tui_wait "127.0.10.x"
tui_has "is not an IPv4 or IPv6 address" || fail "no inline address error"
tui_has "( Next )" || fail "Next is not shown disabled"
tui_keys C-n
tui_wait "Fix the marked fields to continue."
tui_has "Step 1 of 7: Nodes" || fail "Next moved on with an error"
# Focus is on the bad cell: fix it.
tui_keys BSpace
tui_type 2
tui_wait_gone "is not an IPv4 or IPv6 address"
tui_has "[ Next ]" || fail "Next did not become enabled"
tui_keys C-n
tui_wait "Step 2 of 7: SSH"
tui_keys C-n C-n C-n
tui_wait "Step 5 of 7: Network"
tui_keys Down C-u
tui_type 192.168.0.0/24
tui_wait "overlap"
tui_has "( Next )" || fail "Next enabled with overlapping subnets"
tui_keys F10
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"
exit 0
