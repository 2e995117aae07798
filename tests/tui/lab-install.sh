#!/bin/sh
# tests/tui/lab-install.sh: the wizard pre-filled from a 3-node lab config
# is confirmed, the install runs on the progress screen and the final
# screen shows the Dashboard URL and the token the lab issued; v reveals
# it, c copies it with OSC 52, w writes it to a 0600 file.
. "${top_srcdir:-.}/tests/tui/lib.sh"

lab_up 127.0.141 3 --os centos7
"$LAB" config --profile classic >"$TUI_TMP/lab.yaml"

tui_start 100 30 "$KUBEWIZ" install -f "$TUI_TMP/lab.yaml"
tui_wait "Step 1 of 7: Nodes"
tui_has "$KUBEWIZ_LAB_NET.3" || fail "the wizard is not pre-filled from -f"
tui_keys C-n C-n C-n C-n C-n C-n
tui_wait "The configuration is valid"
tui_keys BTab Enter
tui_wait "Install Kubernetes 1.20.9 on 3 nodes"
tui_keys y
tui_wait_progress "3 nodes, Kubernetes 1.20.9" 20
tui_wait_installed 600

tui_has "https://$KUBEWIZ_LAB_NET.1:" || fail "no Dashboard URL on the node's address"
tui_has "Ready" || fail "nodes not shown Ready"
tui_has "cluster-admin" || fail "no cluster-admin warning"
# The token the lab issues for admin-user, read on the control plane the
# classic way (the lab signs each read anew, so compare its header and
# subject, and compare what was copied and written with kubewiz's record).
labtok=$("$LAB" ssh 1 "kubectl -n kubernetes-dashboard get secret \
    \$(kubectl -n kubernetes-dashboard get sa/admin-user \
    -o jsonpath='{.secrets[0].name}') -o jsonpath='{.data.token}' | base64 -d")
[ -n "$labtok" ] || fail "the lab issued no token"
token=$(cat "$TUI_TMP/state/kubewiz/lab/dashboard-token")
[ "${token%%.*}" = "${labtok%%.*}" ] || fail "token header is not the lab's"
payload=$(printf %s "$token" | cut -d. -f2 | tr '_-' '/+')
while [ $(( ${#payload} % 4 )) -ne 0 ]; do payload="$payload="; done
printf %s "$payload" | base64 -d 2>/dev/null |
    grep -q 'system:serviceaccount:kubernetes-dashboard:admin-user' ||
	fail "the token is not the admin-user's"
head=$(printf %s "$token" | cut -c1-60)
tui_has "$head" && fail "the token shows before it is revealed"
tui_keys v
tui_wait "$head"
tmux_ set-option -s set-clipboard on
tui_keys c
tui_wait "Token sent to the clipboard"
[ "$(tmux_ show-buffer)" = "$token" ] || fail "OSC 52 copied another text"
tui_keys w
tui_wait "File to create"
tui_keys Enter
tui_wait "mode 0600"
f="$TUI_TMP/lab-dashboard-token"
[ "$(stat -c %a "$f")" = 600 ] || fail "token file is not 0600"
[ "$(cat "$f")" = "$token" ] || fail "the written token differs"
tui_keys q
tui_wait "[exit 0]"
tui_has "is installed" || fail "no summary left in the terminal"
exit 0
