#!/bin/sh
# add-node.sh: adding a worker to an installed cluster on the lab. A
# 1 control plane + 1 worker classic cluster is installed, then
# "kubewiz add-node lab -f FILE" with a second worker. Checks: a file
# that changes more than nodes is refused (exit 2); the add exits 0; only
# the new node installs packages and joins (once), the other nodes'
# journals show no new package installs or kubeadm init/join calls (init
# and packages are skipped as done; system runs again, converging), and
# their /etc/hosts learn the new name; status is healthy with 3 nodes.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=add-node
# shellcheck disable=SC2034
E2E_NET=${ADD_NODE_E2E_NET:-127.0.73}
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/e2e/day2-lib.sh
. "$top_srcdir/tests/e2e/day2-lib.sh"

e2e_require_lab
e2e_lab_up 3 --os centos7
"$LAB" config --profile classic --nodes 2 >"$E2E_TMP/two.yaml"
"$LAB" config --profile classic --nodes 3 >"$E2E_TMP/three.yaml"
day2_install "$E2E_TMP/two.yaml"
[ "$(e2e_journal_len 3)" -eq 0 ] || e2e_fail "the 2-node install touched node 3"

# More than nodes changed: refused before anything runs.
sed 's/1\.20\.9/1.21.14/' "$E2E_TMP/three.yaml" >"$E2E_TMP/changed.yaml"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" add-node lab \
    -f "$E2E_TMP/changed.yaml" >"$E2E_TMP/changed.out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { cat "$E2E_TMP/changed.out"; e2e_fail "add-node with another version exited $rc, not 2"; }
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" add-node lab \
    -f "$E2E_TMP/two.yaml" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || e2e_fail "add-node without a new node exited $rc, not 2"
[ "$(e2e_journal_len 3)" -eq 0 ] || e2e_fail "a refused add-node touched node 3"
e2e_ok "add-node refuses files that change more than nodes"

l1=$(e2e_journal_len 1)
l2=$(e2e_journal_len 2)
out=$E2E_TMP/add.out
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" add-node lab \
    -f "$E2E_TMP/three.yaml" >"$out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { tail -n 60 "$out"; e2e_fail "add-node exited $rc"; }

# The new node did everything, once.
[ "$(e2e_journal_count 3 0 '^yum .*install')" -ge 1 ] ||
	e2e_fail "node 3 installed no packages"
[ "$(e2e_journal_count 3 0 '^kubeadm join ')" -eq 1 ] ||
	e2e_fail "node 3 did not join exactly once"
# The others: no package installs, no kubeadm init or join.
[ "$(e2e_journal_count 1 "$l1" '^(yum|rpm|dnf|apt-get) .*install')" -eq 0 ] ||
	e2e_fail "the master installed packages again"
[ "$(e2e_journal_count 1 "$l1" '^kubeadm (init|join|reset)( |$)')" -eq 0 ] ||
	e2e_fail "the master ran kubeadm init/join/reset"
[ "$(e2e_journal_count 2 "$l2" '^(yum|rpm|dnf|apt-get) .*install')" -eq 0 ] ||
	e2e_fail "k8s-node1 installed packages again"
[ "$(e2e_journal_count 2 "$l2" '^kubeadm')" -eq 0 ] ||
	e2e_fail "k8s-node1 ran kubeadm"
[ "$(e2e_journal_count 1 "$l1" '^kubeadm token create')" -ge 1 ] ||
	e2e_fail "no fresh join token was made for node 3"
# What the existing nodes did: init and the packages skipped as done;
# system ran again (the hosts file names the new node) and converged.
grep -Eq '^\[k8s-master\] (init: skipped|skipped.*: .*\<init\>)' "$out" ||
	{ grep 'init' "$out"; e2e_fail "init was not skipped on the master"; }
grep -Eq '^\[k8s-node1\] (packages: skipped|skipped.*: .*\<packages\>)' "$out" ||
	e2e_fail "packages were not skipped on k8s-node1"
grep -Eq 'k8s-node1 system: runs again' "$out" ||
	e2e_fail "system did not run again on k8s-node1 for the new hosts entry"
e2e_ok "only the new node installed and joined; fresh join data"

for i in 1 2; do
	"$LAB" ssh "$i" grep -q k8s-node2 /etc/hosts ||
		e2e_fail "node $i's /etc/hosts does not name the new node"
done
grep -q 'k8s-node2' "$E2E_TMP/state/lab/config.yaml" ||
	e2e_fail "the saved config lacks the new node"
rc=$(day2_status "$E2E_TMP/status.out")
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/status.out"; e2e_fail "status after add-node exited $rc"; }
for n in k8s-master k8s-node1 k8s-node2; do
	grep -Eq "^$n +Ready " "$E2E_TMP/status.out" ||
		e2e_fail "$n is not Ready after add-node"
done
e2e_ok "hosts updated, status healthy with 3 nodes"
