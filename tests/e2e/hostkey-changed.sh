#!/bin/sh
# hostkey-changed.sh: a worker whose host key no longer matches
# known_hosts (a reinstalled or impersonated machine) is refused: nothing
# runs on it, the other nodes still install (the other worker joins), and
# kubewiz exits 3, saying so in the summary.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=hostkey-changed
# shellcheck disable=SC2034
E2E_NET=127.0.64
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_classic_lab

# known_hosts with a different ed25519 key for node 3.
ssh-keygen -q -t ed25519 -N '' -f "$E2E_TMP/other" >/dev/null
kh=$KUBEWIZ_LAB/known_hosts
awk -v key="$(cut -d' ' -f1,2 "$E2E_TMP/other.pub")" \
    -v host="[$E2E_NET.3]:2222" \
    '$1 == host { print host " " key; next } { print }' "$kh" >"$kh.new"
mv "$kh.new" "$kh"
grep -qF "[$E2E_NET.3]:2222 $(cut -d' ' -f1,2 "$E2E_TMP/other.pub")" "$kh" ||
	e2e_fail "could not change the known key of node 3"

out=$E2E_TMP/install.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 || rc=$?
[ "$rc" -eq 3 ] || { cat "$out"; e2e_fail "install exited $rc, not 3"; }
grep -Eq '^  k8s-node2 +worker +REFUSED at connect \(host key\)' "$out" ||
	{ cat "$out"; e2e_fail "the summary does not say node2's key was refused"; }
grep -q '^Stopped for safety' "$out" || e2e_fail "no safety line"
[ "$(e2e_journal_len 3)" -eq 0 ] || e2e_fail "something ran on node 3"
[ "$(e2e_journal_count 2 0 '^kubeadm join ')" -eq 1 ] ||
	e2e_fail "k8s-node1 did not join"
[ "$(e2e_journal_count 1 0 '^kubeadm init( |$)')" -eq 1 ] ||
	e2e_fail "the control plane was not initialised"
e2e_ok "changed host key: that node refused, exit 3, the others installed"
