#!/bin/sh
# kill-resume.sh: kubewiz is killed with SIGKILL right after kubeadm init
# (the joins are starting); the lab's clock then moves a day on, so any
# token made before has expired. Resume must take the lock the dead run
# left, finish, and end with kubeadm init run once and each worker joined
# once.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=kill-resume
# shellcheck disable=SC2034
E2E_NET=127.0.63
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_classic_lab

out=$E2E_TMP/install.out
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 &
pid=$!
i=0
until grep -q '^\[k8s-master\] init: done' "$out"; do
	kill -0 "$pid" 2>/dev/null || { cat "$out"; e2e_fail "install ended early"; }
	i=$((i + 1))
	[ "$i" -lt 1200 ] || e2e_fail "init did not finish in 120 s"
	sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
e2e_ok "killed after init"

"$LAB" clock +25h >/dev/null
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" resume lab \
    >"$E2E_TMP/resume.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/resume.out"; e2e_fail "resume exited $rc"; }
n=$(e2e_journal_count 1 0 '^kubeadm init( |$)')
m=$(e2e_journal_count 1 0 '^kubeadm init phase')
[ $((n - m)) -eq 1 ] || e2e_fail "kubeadm init ran $((n - m)) times"
for i in 2 3; do
	n=$(e2e_journal_count "$i" 0 '^kubeadm join ')
	[ "$n" -eq 1 ] || e2e_fail "node $i joined $n times"
done
# Skipped from the state, or (if the kill beat the state write) run again
# and found done by the script itself.
grep -Eq '^\[k8s-master\] (skipped, done earlier.*: .* init|init: already done)' \
    "$E2E_TMP/resume.out" ||
	e2e_fail "init was not skipped on resume"
e2e_ok "resume a day later: init once, each worker joined once"
