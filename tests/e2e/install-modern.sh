#!/bin/sh
# install-modern.sh: the modern profile (current Kubernetes, containerd)
# on Rocky 9 and on Ubuntu 22.04, 1 control plane + 5 workers, with the
# plain front end: exit 0, kubeadm init once, each worker joined once,
# every task recorded done, the Dashboard URL and a token file.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=install-modern
# shellcheck disable=SC2034
E2E_NET=127.0.67
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_require_lab
for os in rocky9 ubuntu2204; do
	if [ -n "${E2E_TMP:-}" ]; then
		"$LAB" down >/dev/null 2>&1 || true
		rm -rf "$E2E_TMP"
	fi
	e2e_lab_up 6 --os "$os"
	"$LAB" config --profile modern >"$E2E_TMP/cluster.yaml"
	out=$E2E_TMP/install.out
	rc=0
	"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
	    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || { tail -n 80 "$out"; e2e_fail "$os: install exited $rc"; }
	n=$(e2e_journal_count 1 0 '^kubeadm init( |$)')
	m=$(e2e_journal_count 1 0 '^kubeadm init phase')
	[ $((n - m)) -eq 1 ] || e2e_fail "$os: kubeadm init ran $((n - m)) times"
	for i in 2 3 4 5 6; do
		[ "$(e2e_journal_count "$i" 0 '^kubeadm join ')" -eq 1 ] ||
			e2e_fail "$os: node $i did not join exactly once"
	done
	grep -q "^dashboard: https://$E2E_NET.1:" "$out" ||
		e2e_fail "$os: no Dashboard URL on the control plane"
	file=$(e2e_summary "$out" token-file)
	[ -s "$file" ] || e2e_fail "$os: no token file"
	[ "$(stat -c %a "$file")" = 600 ] || e2e_fail "$os: token file not 0600"
	! grep -E 'status: (failed|running|cancelled)' \
	    "$E2E_TMP/state/lab/state.yaml" >/dev/null ||
		e2e_fail "$os: the state records unfinished tasks"
	[ "$(grep -c 'status: done' "$E2E_TMP/state/lab/state.yaml")" -eq \
	    $((6 * 6 + 4 + 5)) ] || e2e_fail "$os: not every task is recorded done"
	e2e_ok "$os 1+5: installed, init once, each worker joined once"
done
