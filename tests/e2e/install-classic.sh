#!/bin/sh
# install-classic.sh: the guide's layout (CentOS 7, Kubernetes 1.20.9,
# Docker, 1 control plane + 2 workers) installed from the lab's config
# with the plain front end. Checks: exit 0; the Dashboard URL and token
# printed are the ones the lab issued; kubeadm init ran exactly once on
# the master; each worker joined exactly once; the state records every
# task done; a second install skips everything done.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=install-classic
# shellcheck disable=SC2034
E2E_NET=127.0.61
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_classic_lab

out=$E2E_TMP/install.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes --show-token >"$out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$out"
	e2e_fail "install exited $rc"
fi
e2e_ok "install exit 0"
grep -q '^The cluster is installed\.' "$out" || e2e_fail "no success line"

# The URL and token printed are those the lab's API server issued.
url=$(e2e_summary "$out" dashboard)
token=$(e2e_summary "$out" token)
[ -n "$url" ] || e2e_fail "no 'dashboard:' line"
[ -n "$token" ] || e2e_fail "no 'token:' line"
case "$url" in
"https://$E2E_NET.1:"*/) ;;
*) e2e_fail "URL $url is not on the master ($E2E_NET.1)" ;;
esac
port=${url##*:}
port=${port%/}
# The lab signs each token afresh, so compare what identifies the issuer
# and the account (header, subject) with a token read from its API now.
"$LAB" ssh 1 kubectl --kubeconfig /etc/kubernetes/admin.conf \
    -n kubernetes-dashboard get secret -o json >"$E2E_TMP/secrets.json" ||
	e2e_fail "cannot read the Dashboard secrets from the lab"
"$LAB" ssh 1 kubectl --kubeconfig /etc/kubernetes/admin.conf \
    -n kubernetes-dashboard get svc -o json >"$E2E_TMP/svc.json" ||
	e2e_fail "cannot read the Dashboard services from the lab"
(umask 077; printf '%s\n' "$token" >"$E2E_TMP/token")
python3 "$top_srcdir/tests/e2e/check-token.py" "$E2E_TMP/secrets.json" \
    "$E2E_TMP/svc.json" "$E2E_TMP/token" "$port" ||
	e2e_fail "URL or token not the lab's"
e2e_ok "URL $url and token are the lab's"

# The token file and the kubeconfig are 0600 in a 0700 directory.
file=$(e2e_summary "$out" token-file)
[ "$(cat "$file")" = "$token" ] || e2e_fail "token file differs"
[ "$(stat -c %a "$file")" = 600 ] || e2e_fail "token file not 0600"
kc=$(e2e_summary "$out" kubeconfig)
[ "$(stat -c %a "$kc")" = 600 ] || e2e_fail "admin.conf not 0600"
[ "$(stat -c %a "$E2E_TMP/state/lab")" = 700 ] || e2e_fail "state not 0700"
! grep -rqF "$token" "$E2E_TMP/state/lab/logs" ||
	e2e_fail "the token is in a log"
e2e_ok "secrets 0600, not in logs"

# kubeadm init once, each worker joined once.
n=$(e2e_journal_count 1 0 '^kubeadm init( |$)')
m=$(e2e_journal_count 1 0 '^kubeadm init phase')
[ $((n - m)) -eq 1 ] || e2e_fail "kubeadm init ran $((n - m)) times"
for i in 2 3; do
	n=$(e2e_journal_count "$i" 0 '^kubeadm join ')
	[ "$n" -eq 1 ] || e2e_fail "node $i joined $n times"
done
e2e_ok "init once, each worker joined once"

# Installing again changes nothing: every task but connect is skipped.
l1=$(e2e_journal_len 1)
l2=$(e2e_journal_len 2)
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$E2E_TMP/again.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/again.out"; e2e_fail "second install exited $rc"; }
[ "$(e2e_journal_count 1 "$l1" '^kubeadm (init|join)')" -eq 0 ] ||
	e2e_fail "the second install ran kubeadm on the master"
[ "$(e2e_journal_count 2 "$l2" '^(kubeadm|yum install)')" -eq 0 ] ||
	e2e_fail "the second install ran kubeadm or yum on a worker"
grep -Eq '^\[k8s-node1\] skipped, done earlier.*: preflight system runtime packages images join$' \
    "$E2E_TMP/again.out" ||
	e2e_fail "join not reported as skipped"
e2e_ok "a second install skips what is done"
