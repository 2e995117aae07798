#!/bin/sh
# tests/tui/signals.sh: the terminal is restored when kubewiz is told to
# stop: SIGTERM and SIGHUP end it with the signal and leave the alternate
# screen; Ctrl-C asks before leaving the wizard (default No).
. "${top_srcdir:-.}/tests/tui/lib.sh"

# The pid of kubewiz in the pane.
kw_pid() {
	pgrep -P "$(tmux_ display -p '#{pane_pid}')" -x kubewiz ||
	    pgrep -P "$(tmux_ display -p '#{pane_pid}')" -f "$KUBEWIZ"
}

for sig in TERM HUP; do
	tui_start 80 24 "$KUBEWIZ" install
	tui_wait "Step 1 of 7: Nodes"
	[ "$(tmux_ display -p '#{alternate_on}')" = 1 ] ||
		fail "the wizard is not on the alternate screen"
	pid=$(kw_pid)
	[ -n "$pid" ] || fail "cannot find the kubewiz process"
	kill -s "$sig" "$pid"
	tui_wait "[exit"
	[ "$(tmux_ display -p '#{alternate_on}')" = 0 ] ||
		fail "SIG$sig left the terminal on the alternate screen"
	case $sig in
	TERM) want=143 ;;
	HUP) want=129 ;;
	esac
	tui_has "[exit $want]" || fail "SIG$sig: not ended by the signal"
done

tui_start 80 24 "$KUBEWIZ" install
tui_wait "Step 1 of 7: Nodes"
tui_keys C-c
tui_wait "Leave the wizard?"
tui_keys Enter
tui_wait_gone "Leave the wizard?"
tui_has "Step 1 of 7: Nodes" || fail "Ctrl-C + Enter (No) left the wizard"
tui_keys C-c
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"
[ "$(tmux_ display -p '#{alternate_on}')" = 0 ] ||
	fail "leaving left the terminal on the alternate screen"
exit 0
