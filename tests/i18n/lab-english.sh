#!/bin/sh
# tests/i18n/lab-english.sh: a user with LANG=zh_CN.UTF-8 meets no English.
# On a 4-node lab: the main menu, every wizard step, the node check, the
# install question, the progress screen (each capture as taken), the final
# screen, the menu again, the status screen and its keys, the reset
# question; then the plain front end: add-node with a failing join (the
# failure report and its reason), resume, status; add-node on the screens
# (five nodes: the progress list, aligned); reset of one worker, --help. Every
# screen and every line goes through english.py: English words other than
# identifiers (names, addresses, paths, commands, versions, the tools'
# names) fail the test. The nodes' own output (the panes' log lines, the
# "|" tail of a failure) is left out: servers print what they print.
# I18N_SAVE=DIR keeps every checked screen.
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
lab_up 127.0.159 5 --os centos7
"$LAB" config --profile classic --nodes 3 >"$TUI_TMP/three.yaml"
"$LAB" config --profile classic --nodes 4 >"$TUI_TMP/four.yaml"
"$LAB" config --profile classic --nodes 5 >"$TUI_TMP/five.yaml"
i18n_catalog "$TUI_TMP/locale"
TUI_LANG=zh_CN.UTF-8
TUI_ENV="KUBEWIZ_LOCALEDIR=$TUI_TMP/locale"
ENGLISH="$top_srcdir/tests/i18n/english.py"
bad=0
seen=0
found="${I18N_SAVE:-$TUI_TMP}/english.txt"
: >"$found"

# english NAME FILE [ARGS...]: check FILE for English (ARGS for english.py:
# --panes, --skip REGEX). The cluster is called "lab"; the lab's fake
# commands fail with "injected fault".
english() {
	name=$1 file=$2
	shift 2
	seen=$((seen + 1))
	if [ -n "${I18N_SAVE:-}" ]; then
		cp "$file" "$I18N_SAVE/$seen-$name.txt"
	fi
	python3 "$ENGLISH" --name "$name" --allow lab --allow injected \
	    --allow fault "$@" <"$file" >>"$found" || bad=$((bad + 1))
}

# screen NAME [ARGS...]: check the screen now.
screen() {
	name=$1
	shift
	tui_capture >"$TUI_TMP/screen.txt"
	english "$name" "$TUI_TMP/screen.txt" "$@"
}

# Check a capture of the progress panes ($1) for English.
check_panes() {
	english progress "$1" --panes
}

# Check a capture of the progress list ($1) for English and alignment.
check_list() {
	english progress-list "$1" --panes
	python3 "$SCREEN_PY" check 80 <"$1" >"$TUI_TMP/screen.err" ||
	    fail "misaligned list: $(cat "$TUI_TMP/screen.err")"
}

# Until the final screen, check at most $2 captures of the live progress
# screen ($1 names it) with the command $4 given the capture; a failed
# task fails ("a task failed $3"), as does never seeing the screen.
# Sets WATCHED to the number of captures checked.
watch_progress() {
	_wp_file="$TUI_TMP/progress.txt"
	_wp_n=0
	_wp_seen=0
	while [ "$_wp_n" -lt 3000 ]; do
		tui_capture >"$_wp_file" 2>/dev/null
		case $(cat "$_wp_file") in
		*"已安装"*) break ;;
		*"有任务失败"*) fail "a task failed $3" ;;
		*"个任务"*)
			if [ "$_wp_seen" -lt "$2" ]; then
				"$4" "$_wp_file"
				_wp_seen=$((_wp_seen + 1))
			fi
			;;
		esac
		_wp_n=$((_wp_n + 1))
		sleep 0.2
	done
	[ "$_wp_seen" -gt 0 ] || fail "the $1 screen was never seen"
	WATCHED=$_wp_seen
}

# plain NAME ARGS...: run the plain front end, check what it prints (both
# streams) except the quoted tails of failures and the "key: value" lines
# of the summary, which stay as they are for scripts.
plain() {
	name=$1
	shift
	env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 \
	    KUBEWIZ_LOCALEDIR="$TUI_TMP/locale" HOME="$TUI_TMP/home" \
	    XDG_STATE_HOME="$TUI_TMP/state" "$KUBEWIZ" --no-tui "$@" \
	    >"$TUI_TMP/$name.out" 2>&1 </dev/null
	rc=$?
	english "$name" "$TUI_TMP/$name.out" --skip '^    \| ' \
	    --skip '^[a-z-]+: '
	return "$rc"
}

# The main menu with no cluster yet.
tui_start 80 24 "$KUBEWIZ"
tui_wait "kubewiz"
screen menu-empty
tui_keys q
tui_wait "[exit "

# The wizard, step by step, with the node check.
tui_start 80 24 "$KUBEWIZ" install -f "$TUI_TMP/three.yaml"
tui_wait "第 1 步，共 7 步：节点"
screen wizard-1
tui_keys F1
sleep 0.5
screen wizard-help
tui_keys Escape
tui_wait "第 1 步，共 7 步：节点"
for step in 2 3 4 5 6 7; do
	tui_keys C-n
	tui_wait "第 $step 步，共 7 步"
	# The review shows the file to be saved: YAML keys, comments in it.
	screen "wizard-$step" --skip '│ *(#|- |[A-Za-z]+:)'
	if [ "$step" -eq 6 ]; then
		# The Dashboard choice "none", then back.
		tui_keys Left
		tui_wait "不安装"
		screen wizard-6-none
		tui_keys Right
		tui_wait "< kubernetes-dashboard >"
	fi
	if [ "$step" -eq 2 ]; then
		tui_keys F5
		tui_wait "所有节点均可访问，并通过了预检。" 120
		screen node-check
		tui_keys Escape
		tui_wait "第 2 步，共 7 步：SSH"
	fi
done
tui_wait "配置有效。"
tui_keys BTab Enter
tui_wait "在 3 个节点上安装 Kubernetes 1.20.9"
screen install-question --skip '│ *(#|- |[A-Za-z]+:)'
tui_keys y

# Progress, each capture checked as taken, until the final screen.
watch_progress progress 40 "before the final screen" check_panes
progress=$WATCHED
tui_wait "已安装"
# The command that makes a new token, indented, is a command.
screen final --skip '^    [^ ]'
tui_keys v
sleep 0.3
screen final-token --skip '^    [^ ]'
tui_keys q
tui_wait "[exit "

# The menu with the installed cluster, its status screen and keys.
tui_start 80 24 "$KUBEWIZ"
tui_wait "lab"
screen menu
tui_keys q
tui_wait "[exit "
tui_start 80 24 "$KUBEWIZ" status lab
tui_wait "系统 Pod（问题优先）" 60
screen status
tui_keys '?'
sleep 0.5
screen status-keys
tui_keys Escape q
tui_wait "[exit "

# The plain front end: a worker whose kubeadm join fails; the failure
# report gives join.sh's reason (kw_die), translated.
"$LAB" fault 4 'kubeadm join*' fail
plain add-node-fails add-node lab -f "$TUI_TMP/four.yaml" &&
    fail "add-node with a failing node exited 0"
grep -q '^  k8s-node3 加入集群: kubeadm join 失败' "$TUI_TMP/add-node-fails.out" ||
    { cat "$TUI_TMP/add-node-fails.out"; fail "no translated reason for k8s-node3"; }
"$LAB" fault 4 --clear
plain resume resume lab ||
    { cat "$TUI_TMP/resume.out"; fail "resume exited $rc"; }
plain status status lab ||
    { cat "$TUI_TMP/status.out"; fail "status exited $rc"; }

# A fifth node from the screens: five nodes are a list with a detail pane
# at 80x24, its stage column padded by display width.
tui_start 80 24 "$KUBEWIZ" add-node lab -f "$TUI_TMP/five.yaml"
watch_progress "add-node progress list" 20 "in add-node" check_list
tui_wait "已安装"
screen add-node-final --skip '^    [^ ]'
tui_keys q
tui_wait "[exit "
plain reset-node reset lab --node k8s-node3 \
    --yes-i-typed-the-name=k8s-node3 ||
    { cat "$TUI_TMP/reset-node.out"; fail "reset --node exited $rc"; }
# --help: the commands' names, in their column, are names.
env LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 KUBEWIZ_LOCALEDIR="$TUI_TMP/locale" \
    "$KUBEWIZ" --help >"$TUI_TMP/help.out" 2>&1
english help "$TUI_TMP/help.out" --skip '^ *[a-z][a-z-]*  '

# The reset screen: the question and the end.
tui_start 80 24 "$KUBEWIZ" reset lab
sleep 1
tui_wait "lab"
screen reset-question
tui_type lab
tui_keys Enter
tui_wait "按 q 离开" 120
screen reset-done
tui_keys q
tui_wait "[exit "

if [ "$bad" -gt 0 ]; then
	cat "$found"
	fail "$bad of $seen screens and outputs show English"
fi
echo "ok: $seen screens and outputs in Chinese ($progress of progress)"
