#!/bin/sh
# tests/i18n/wizard.sh: the install wizard at 80x24 with LANG=zh_CN.UTF-8:
# every step is in Chinese, no line is wider than the terminal, boxes line
# up, and the node table's columns start where their headings do (by
# display width: CJK characters take two columns).
. "${top_srcdir:-.}/tests/tui/lib.sh"
. "${top_srcdir:-.}/tests/i18n/lib.sh"

i18n_locale
i18n_catalog "$TUI_TMP/locale"
TUI_LANG=zh_CN.UTF-8
TUI_ENV="KUBEWIZ_LOCALEDIR=$TUI_TMP/locale"

# same_col A B: A and the heading B (a word after a space) start in the
# same screen column.
same_col() {
	a=$(i18n_col "$1")
	b=$(($(i18n_col " $2") + 1))
	if [ "$a" -lt 0 ] || [ "$a" != "$b" ]; then
		fail "'$1' is at column $a, its heading '$2' at $b"
	fi
}

tui_start 80 24 "$KUBEWIZ" install
tui_wait "第 1 步，共 7 步：节点"
tui_has "集群名称" || fail "field labels are not Chinese"
i18n_check_screen 80
tui_type demo
tui_keys Tab
for line in "127.0.10.1 k8s-master control-plane" \
    "127.0.10.2 k8s-node1 worker" "127.0.10.3 k8s-node2 worker"; do
	tui_type "$line"
	tui_keys Enter
done
tui_wait "k8s-node2"
same_col "k8s-master" "名称"
same_col "127.0.10.1" "内网地址"
same_col "control-plane" "角色"
i18n_check_screen 80
tui_keys C-n
tui_wait "第 2 步，共 7 步：SSH"
tui_has "认证方式" || fail "the SSH step is not Chinese"
i18n_check_screen 80
tui_keys Down Down Left
tui_wait "< 密钥文件 >"
tui_keys Tab
tui_type "/tmp/kw-test-id"
tui_keys C-n
tui_wait "第 3 步，共 7 步：镜像仓库"
tui_keys Left
tui_wait "国内镜像（阿里云）"
tui_has "registry.cn-hangzhou.aliyuncs.com/google_containers" ||
    fail "the Aliyun preset did not fill the image repository"
i18n_check_screen 80
tui_keys C-n
tui_wait "第 4 步，共 7 步：Kubernetes"
tui_keys C-u
tui_type 1.20.9
tui_wait "经典方案"
i18n_check_screen 80
tui_keys C-n
tui_wait "第 5 步，共 7 步：网络"
i18n_check_screen 80
tui_keys C-n
tui_wait "第 6 步，共 7 步：仪表盘"
i18n_check_screen 80
tui_keys C-n
tui_wait "第 7 步，共 7 步：检查确认"
tui_wait "配置有效。"
i18n_check_screen 80
tui_keys F2
tui_wait "已保存到"
[ -f "$TUI_TMP/demo.yaml" ] || fail "demo.yaml was not written"
tui_keys BTab Enter
tui_wait "在 3 个节点上安装 Kubernetes 1.20.9"
i18n_check_screen 80
tui_capture >"$TUI_TMP/last.txt"
for word in Step Install Cancel Nodes Review; do
	grep -qw "$word" "$TUI_TMP/last.txt" && fail "English word '$word' on screen"
done
tui_keys Escape
tui_wait_gone "在 3 个节点上安装"
tui_keys F10
tui_wait "离开向导？"
i18n_check_screen 80
tui_keys y
tui_wait "[exit "
echo "ok: the wizard in Chinese, aligned"
