# shellcheck shell=sh
# tests/tui/lib.sh: drive kubewiz in a detached tmux on a private socket.
# Sync is by anchor text and stable captures with bounded waits, never by
# fixed sleeps alone. Sourced by the tests in this directory.

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
: "${KUBEWIZ:?KUBEWIZ must name the built binary}"

TUI_N=0
TUI_SOCK="kwtest$$-0"
TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/kwtui.XXXXXX")

tmux_() {
	tmux -L "$TUI_SOCK" -f /dev/null "$@"
}

tui_cleanup() {
	tmux_ kill-server >/dev/null 2>&1
	rm -rf "$TUI_TMP"
}

# A fresh server (and socket) for each start, so a dying server never
# races the next one.
tui_new_server() {
	tmux_ kill-server >/dev/null 2>&1
	TUI_N=$((TUI_N + 1))
	TUI_SOCK="kwtest$$-$TUI_N"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM HUP

# tui_start W H CMD...: run CMD in a W x H pane (C.UTF-8, ESCDELAY=25).
tui_start() {
	w=$1 h=$2
	shift 2
	tui_new_server
	tmux_ new-session -d -x "$w" -y "$h" \
	    "cd '$TUI_TMP' && env LANG='${TUI_LANG:-C.UTF-8}' \
	    LC_ALL='${TUI_LANG:-C.UTF-8}' TERM='${TUI_TERM:-screen}' \
	    ESCDELAY=25 HOME='$TUI_TMP/home' XDG_STATE_HOME='$TUI_TMP/state' \
	    ${TUI_ENV:-} $*; echo \"[exit \$?]\"; sleep 600"
}

# tui_capture [-e]: the pane's text (with attributes when -e).
tui_capture() {
	tmux_ capture-pane -p "$@"
}

# tui_dump: show the screen for a failure message.
tui_dump() {
	echo "---- screen ----"
	tui_capture
	echo "----------------"
}

fail() {
	echo "FAIL: $*"
	tui_dump
	exit 1
}

# tui_wait TEXT [SECONDS]: wait until TEXT is on screen and the screen
# stopped changing (3 identical captures 0.1 s apart).
tui_wait() {
	text=$1 limit=${2:-30}
	i=0 same=0 prev=""
	while [ "$i" -lt $((limit * 10)) ]; do
		cur=$(tui_capture 2>/dev/null)
		case $cur in
		*"$text"*)
			if [ "$cur" = "$prev" ]; then
				same=$((same + 1))
				[ "$same" -ge 2 ] && return 0
			else
				same=0
			fi
			;;
		esac
		prev=$cur
		i=$((i + 1))
		sleep 0.1
	done
	fail "timed out waiting for '$text'"
}

# tui_wait_progress TEXT [SECONDS]: wait until the progress screen shows
# TEXT once, or the run has already reached its final screen. A live
# progress screen changes every second, so it is not waited on to settle.
tui_wait_progress() {
	text=$1 limit=${2:-30}
	i=0
	while [ "$i" -lt $((limit * 10)) ]; do
		case $(tui_capture 2>/dev/null) in
		*"$text"* | *"is installed"*) return 0 ;;
		esac
		i=$((i + 1))
		sleep 0.1
	done
	fail "timed out waiting for '$text'"
}

# tui_wait_gone TEXT [SECONDS]: wait until TEXT is no longer shown.
tui_wait_gone() {
	text=$1 limit=${2:-30}
	i=0
	while [ "$i" -lt $((limit * 10)) ]; do
		case $(tui_capture 2>/dev/null) in
		*"$text"*) ;;
		*) return 0 ;;
		esac
		i=$((i + 1))
		sleep 0.1
	done
	fail "timed out waiting for '$text' to go away"
}

# tui_keys KEY...: send keys one at a time (tmux key names).
tui_keys() {
	for k in "$@"; do
		tmux_ send-keys "$k"
		sleep 0.02
	done
}

# tui_type TEXT: type literal text, one character at a time.
tui_type() {
	s=$1
	while [ -n "$s" ]; do
		c=${s%"${s#?}"}
		tmux_ send-keys -l "$c"
		s=${s#?}
	done
	sleep 0.02
}

# tui_has TEXT: whether TEXT is on screen now.
tui_has() {
	case $(tui_capture) in
	*"$1"*) return 0 ;;
	esac
	return 1
}

# tui_resize W H
tui_resize() {
	tmux_ resize-window -x "$1" -y "$2"
}

# lab_up NET N [ARGS...]: start a private lab of N nodes, on NET.1..NET.N
# (e.g. 127.0.141) or, when another build's test holds NET, on a free
# random 127.x.y network; KUBEWIZ_LAB_NET says which. Skips (77) when the
# lab cannot run here (not root, no namespaces).
lab_up() {
	KUBEWIZ_LAB_NET=$1
	n=$2
	shift 2
	KUBEWIZ_LAB="$TUI_TMP/lab"
	export KUBEWIZ_LAB KUBEWIZ_LAB_NET
	LAB="${top_srcdir:-.}/tests/lab/lab"
	if [ "$(id -u)" -ne 0 ]; then
		echo "the lab needs root: skipped"
		exit 77
	fi
	trap 'tui_cleanup_lab' EXIT
	trap 'exit 1' INT TERM HUP
	tries=0
	until "$LAB" up "$n" "$@" >"$TUI_TMP/lab-up.log" 2>&1; do
		"$LAB" down >/dev/null 2>&1
		tries=$((tries + 1))
		if ! grep -q 'already in use\|is used by the lab' \
		    "$TUI_TMP/lab-up.log" || [ "$tries" -ge 20 ]; then
			cat "$TUI_TMP/lab-up.log"
			echo "the lab cannot start here: skipped"
			exit 77
		fi
		KUBEWIZ_LAB_NET=127.$(od -An -N2 -tu1 /dev/urandom |
		    awk '{ print 100 + $1 % 100 "." 1 + $2 % 250 }')
	done
}

# tui_wait_installed [SECONDS]: wait for the final screen; fail at once
# when the run reports a failed task instead.
tui_wait_installed() {
	limit=${1:-600}
	i=0
	while [ "$i" -lt $((limit * 5)) ]; do
		case $(tui_capture 2>/dev/null) in
		*"is installed"*)
			tui_wait "is installed"
			return 0
			;;
		*"A task failed"*)
			fail "a task failed before the final screen"
			;;
		esac
		i=$((i + 1))
		sleep 0.2
	done
	fail "timed out waiting for the final screen"
}

tui_cleanup_lab() {
	"$LAB" down >/dev/null 2>&1
	tui_cleanup
}

# tui_select_node NAME: move the progress selection to node NAME. Panes
# mark the selected one with "> NAME"; the list view shows the selected
# node's address in the detail pane's title.
tui_select_node() {
	tui_keys Home
	i=0
	while [ "$i" -lt 200 ]; do
		screen=$(tui_capture)
		case $screen in
		*"> $1 "*) return 0 ;;
		*"> "*) ;;
		*)
			printf '%s\n' "$screen" | grep -q "[^ ] $1 [0-9]" &&
				return 0
			;;
		esac
		tui_keys Down
		i=$((i + 1))
	done
	fail "cannot select node $1"
}
