#!/bin/sh
# tests/tui/color.sh: NO_COLOR and --no-color leave no colour SGR codes;
# with colour the error is coloured; TERM=linux gets ASCII line drawing.
. "${top_srcdir:-.}/tests/tui/lib.sh"

# Whether a capture with attributes holds a colour SGR (30-38,
# 40-48, 90-97, 100-107) in any ESC [ ... m sequence.
has_colour() {
	tui_capture -e | grep -o "$(printf '\033')\[[0-9;]*m" |
	    tr -d '\033[m' | tr ';' '\n' |
	    grep -Eq '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}

# Reach a screen with an error, a disabled button and the breadcrumb.
fill_error() {
	tui_wait "Step 1 of 7: Nodes"
	tui_type demo
	tui_keys Tab
	tui_type "10.0.0.x k8s-master control-plane"
	tui_keys Enter
	tui_wait "is not an IPv4 or IPv6 address"
}

TUI_TERM=xterm-256color
tui_start 80 24 "$KUBEWIZ" install
fill_error
has_colour || fail "no colour codes even with colour on (test is blind)"

TUI_ENV=NO_COLOR=1
tui_start 80 24 "$KUBEWIZ" install
fill_error
has_colour && fail "NO_COLOR: colour SGR codes found"
tui_has "✗" || fail "error not marked by a glyph without colour"
TUI_ENV=

tui_start 80 24 "$KUBEWIZ" --no-color install
fill_error
has_colour && fail "--no-color: colour SGR codes found"

TUI_TERM=linux
tui_start 80 24 "$KUBEWIZ" install
fill_error
tui_has "─" && fail "TERM=linux: UTF-8 line drawing used"
tui_has "✗" && fail "TERM=linux: UTF-8 glyph used"
tui_has "x " || fail "TERM=linux: no ASCII error mark"
exit 0
