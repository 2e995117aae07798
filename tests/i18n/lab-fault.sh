#!/bin/sh
# tests/i18n/lab-fault.sh: a failed task on a 3-node lab at 80x24 with
# LANG=zh_CN.UTF-8: the progress screen names the failure in Chinese, the
# log pager and the stop question are Chinese, and every screen fits 80
# columns with its boxes lined up.
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
lab_up 127.0.158 3 --os centos7
"$LAB" config --profile classic >"$TUI_TMP/lab.yaml"
"$LAB" fault 3 'yum install*docker*' fail
i18n_catalog "$TUI_TMP/locale"
TUI_LANG=zh_CN.UTF-8
TUI_ENV="KUBEWIZ_LOCALEDIR=$TUI_TMP/locale"

tui_start 80 24 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "第 1 步，共 7 步：节点"
tui_keys C-n C-n C-n C-n C-n C-n
tui_wait "配置有效。"
tui_keys BTab Enter
tui_wait "在 3 个节点上安装"
tui_keys y
tui_wait "有任务失败" 300
tui_has "运行时 失败" || fail "the failed stage is not named in Chinese"
i18n_check_screen 80
# The panes' own lines (the lab's "yum: injected fault" is the node's).
i18n_no_english failed --panes --allow lab --allow injected --allow fault
tui_select_node k8s-node2
tui_keys Enter
tui_wait "k8s-node2 的日志"
i18n_check_screen 80
# The pager's title and its two key lines (the rest is the node's log).
tui_capture | grep . | sed -n '1p; $p' >"$TUI_TMP/pager.txt"
tui_capture | grep . | tail -n 2 | head -n 1 >>"$TUI_TMP/pager.txt"
python3 "$top_srcdir/tests/i18n/english.py" --name pager <"$TUI_TMP/pager.txt" ||
    fail "English in the pager's title or keys"
tui_keys q
tui_wait_gone "k8s-node2 的日志"
# q asks to stop the run, or to leave once it is over (failed tasks).
tui_keys q
tui_wait "[ 否 ]"
tui_has "停止安装？" || tui_has "带着失败的任务离开？" ||
    fail "the question to leave is not Chinese"
i18n_check_screen 80
i18n_no_english leave --box '─ 停止 ─' 
tui_keys y
tui_wait "[exit "
i18n_no_english after-leaving --allow lab --skip '^\[exit '
tui_has "的安装未完成；状态已保存。" || fail "the note after leaving is not Chinese"
echo "ok: a failure in Chinese, every screen aligned"
