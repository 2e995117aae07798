#!/bin/sh
# tests/i18n/lab-progress.sh: a whole install on a 3-node lab at 80x24 with
# LANG=zh_CN.UTF-8: the wizard, the progress screen and the final screen
# are in Chinese, and every screen fits 80 columns with its boxes lined up
# (by display width: CJK characters take two columns).
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
lab_up 127.0.157 3 --os centos7
"$LAB" config --profile classic >"$TUI_TMP/lab.yaml"
i18n_catalog "$TUI_TMP/locale"
TUI_LANG=zh_CN.UTF-8
TUI_ENV="KUBEWIZ_LOCALEDIR=$TUI_TMP/locale"

# no_english FILE [all]: none of kubewiz's English words on the title,
# counter and key lines of the screen in FILE (or, with all, anywhere: the
# panes quote the nodes' own output, which stays as the servers print it).
no_english() {
	if [ "${2:-}" = all ]; then
		cp "$1" "$TUI_TMP/words.txt"
	else
		sed -n '1,2p' "$1" >"$TUI_TMP/words.txt"
		grep . "$1" | tail -n 1 >>"$TUI_TMP/words.txt"
	fi
	for word in Step Install Nodes nodes failed elapsed tasks installed \
	    Token Ready skipped select retry leave quit never; do
		if grep -qw "$word" "$TUI_TMP/words.txt"; then
			fail "English word '$word' on a Chinese screen"
		fi
	done
}

tui_start 80 24 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "第 1 步，共 7 步：节点"
tui_has "$KUBEWIZ_LAB_NET.3" || fail "the wizard is not pre-filled from -f"
# The node check (F5 in the SSH step): its table under its headings.
tui_keys C-n
tui_wait "第 2 步，共 7 步：SSH"
tui_keys F5
tui_wait "所有节点均可访问，并通过了预检。" 120
i18n_check_screen 80
for pair in "系统:centos" "内存:4096 MB" "root:root    "; do
	h=$(($(i18n_col " ${pair%%:*}") + 1))
	v=$(tui_capture | grep '^ k8s-master ' |
	    python3 "$SCREEN_PY" col "${pair#*:}")
	[ "$h" = "$v" ] ||
	    fail "check table: '${pair#*:}' at column $v, its heading at $h"
done
tui_keys Escape
tui_wait "第 2 步，共 7 步：SSH"
tui_keys C-n C-n C-n C-n C-n
tui_wait "配置有效。"
i18n_check_screen 80
tui_keys BTab Enter
tui_wait "在 3 个节点上安装 Kubernetes 1.20.9"
tui_keys y
# The progress screen while it runs, each capture checked as taken (the
# screen changes all the time), until the final screen.
seen=0
n=0
while [ "$n" -lt 3000 ]; do
	tui_capture >"$TUI_TMP/progress.txt" 2>/dev/null
	case $(cat "$TUI_TMP/progress.txt") in
	*"已安装"*) break ;;
	*"有任务失败"*) fail "a task failed before the final screen" ;;
	*"3 个节点，Kubernetes 1.20.9"*"个任务"*)
		python3 "$SCREEN_PY" check 80 <"$TUI_TMP/progress.txt" \
		    >"$TUI_TMP/screen.err" ||
		    fail "misaligned progress screen: $(cat "$TUI_TMP/screen.err")"
		no_english "$TUI_TMP/progress.txt"
		seen=$((seen + 1))
		;;
	esac
	n=$((n + 1))
	sleep 0.1
done
[ "$seen" -gt 0 ] || fail "the progress screen was never seen in Chinese"
echo "the progress screen checked $seen times"
tui_wait "已安装"
tui_has "集群已启动并通过验证。" || fail "the final screen is not Chinese"
tui_has "https://$KUBEWIZ_LAB_NET.1:" || fail "no Dashboard URL"
i18n_check_screen 80
tui_capture >"$TUI_TMP/final.txt"
no_english "$TUI_TMP/final.txt" all
tui_keys q
tui_wait "[exit "

# The plain status tables, columns padded by display width.
env LC_ALL=zh_CN.UTF-8 KUBEWIZ_LOCALEDIR="$TUI_TMP/locale" \
    HOME="$TUI_TMP/home" XDG_STATE_HOME="$TUI_TMP/state" \
    "$KUBEWIZ" --no-tui status lab >"$TUI_TMP/status.txt" 2>&1
cat "$TUI_TMP/status.txt"
head=$(grep '^节点 ' "$TUI_TMP/status.txt" | python3 "$SCREEN_PY" col "状态")
row=$(grep '^k8s-master ' "$TUI_TMP/status.txt" | python3 "$SCREEN_PY" col "Ready")
if [ "$head" -le 0 ] || [ "$head" != "$row" ]; then
	fail "the status table's STATUS column is at $head, Ready at $row"
fi
# The status screen: the node table's STATUS column under its heading.
tui_start 80 24 "$KUBEWIZ" status lab
tui_wait "系统 Pod（问题优先）" 60
i18n_check_screen 80
tui_capture >"$TUI_TMP/status-screen.txt"
head=$(grep '名称 .*状态' "$TUI_TMP/status-screen.txt" | head -n 1 |
    python3 "$SCREEN_PY" col "状态")
row=$(grep ' k8s-master ' "$TUI_TMP/status-screen.txt" | head -n 1 |
    python3 "$SCREEN_PY" col "Ready")
if [ "$head" -le 0 ] || [ "$head" != "$row" ]; then
	fail "the status screen's STATUS column is at $head, Ready at $row"
fi
tui_keys q
tui_wait "[exit "
echo "ok: a lab install in Chinese, every screen aligned"
