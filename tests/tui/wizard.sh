#!/bin/sh
# tests/tui/wizard.sh: fill the install wizard by keystrokes for a 3-node
# cluster, save it from the review step, and check that 'kubewiz validate'
# accepts the file and that it holds what was typed.
. "${top_srcdir:-.}/tests/tui/lib.sh"

tui_start 80 24 "$KUBEWIZ" install
tui_wait "Step 1 of 7: Nodes"
tui_type demo
tui_keys Tab
for line in "127.0.10.1 k8s-master control-plane" \
    "127.0.10.2 k8s-node1 worker" "127.0.10.3 k8s-node2 worker"; do
	tui_type "$line"
	tui_keys Enter
done
tui_wait "k8s-node2"
tui_has "127.0.10.3" || fail "pasted rows missing"
tui_keys C-n
tui_wait "Step 2 of 7: SSH"
# Authentication: key file, then the identity file.
tui_keys Down Down Left
tui_wait "< key file >"
tui_keys Tab
tui_type "/tmp/kw-test-id"
tui_keys C-n
tui_wait "Step 3 of 7: Registry"
# Preset: China mirrors (Aliyun), one Left from Upstream.
tui_keys Left
tui_wait "registry.cn-hangzhou.aliyuncs.com/google_containers"
tui_keys C-n
tui_wait "Step 4 of 7: Kubernetes"
tui_keys C-u
tui_type 1.20.9
tui_wait "classic profile"
tui_keys C-n
tui_wait "Step 5 of 7: Network"
tui_keys Down C-u
tui_type 10.96.0.0/16
tui_keys C-n
tui_wait "Step 6 of 7: Dashboard"
tui_keys C-n
tui_wait "Step 7 of 7: Review"
tui_wait "The configuration is valid"
# Esc goes back and nothing typed is lost.
tui_keys Escape
tui_wait "Step 6 of 7: Dashboard"
tui_keys Escape Escape
tui_wait "Step 4 of 7: Kubernetes"
tui_has "1.20.9" || fail "the version typed was lost going back"
tui_keys C-n C-n C-n
tui_wait "Step 7 of 7: Review"
# Save with F2 to the default path (demo.yaml in the working directory).
tui_keys F2
tui_wait "Saved to"
[ -f "$TUI_TMP/demo.yaml" ] || fail "demo.yaml was not written"
# Install asks first, and the answer defaults to No.
tui_keys BTab
tui_keys Enter
tui_wait "Install Kubernetes 1.20.9 on 3 nodes"
tui_keys Enter
tui_wait_gone "Install Kubernetes 1.20.9 on 3 nodes"
tui_has "Step 7 of 7: Review" || fail "No did not return to the review"
tui_keys F10
tui_wait "Leave the wizard?"
tui_keys y
tui_wait "[exit 0]"

"$KUBEWIZ" validate -f "$TUI_TMP/demo.yaml" ||
	{ cat "$TUI_TMP/demo.yaml"; fail "kubewiz validate refused the saved file"; }
for want in "k8s-master" "127.0.10.3" "1.20.9" \
    "registry.cn-hangzhou.aliyuncs.com/google_containers" \
    "https://mirrors.aliyun.com" "10.96.0.0/16" "/tmp/kw-test-id"; do
	grep -q -- "$want" "$TUI_TMP/demo.yaml" ||
		{ cat "$TUI_TMP/demo.yaml"; fail "saved file lacks $want"; }
done
exit 0
