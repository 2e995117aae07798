#!/bin/sh
# interrupt.sh: Ctrl-C (SIGINT) while a worker's container runtime
# install hangs: kubewiz cancels the running command, stops within
# seconds with exit 1, records the task as cancelled, names it in the
# summary and prints the resume command; resume then finishes.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=interrupt
# shellcheck disable=SC2034
E2E_NET=127.0.65
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_classic_lab
"$LAB" fault 2 'yum install -y docker-ce*' hang

out=$E2E_TMP/install.out
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install \
    -f "$E2E_TMP/cluster.yaml" --yes >"$out" 2>&1 &
pid=$!
i=0
until grep -q '^\[k8s-node1\] runtime: Docker CE 20' "$out"; do
	kill -0 "$pid" 2>/dev/null || { cat "$out"; e2e_fail "install ended early"; }
	i=$((i + 1))
	[ "$i" -lt 1200 ] || e2e_fail "the runtime stage did not start in 120 s"
	sleep 0.1
done
sleep 1
kill -INT "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -lt 200 ] || { kill -9 "$pid"; e2e_fail "no exit 20 s after Ctrl-C"; }
	sleep 0.1
done
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 1 ] || { cat "$out"; e2e_fail "exit $rc after Ctrl-C, not 1"; }
grep -q '^\[kubewiz\] stopping' "$out" || e2e_fail "no stopping line"
grep -Eq '^  k8s-node1 +worker +stopped at runtime' "$out" ||
	{ cat "$out"; e2e_fail "the summary does not say where k8s-node1 stopped"; }
grep -q '^resume: kubewiz ' "$out" || e2e_fail "no resume command"
grep -q 'runtime: {status: cancelled' "$E2E_TMP/state/lab/state.yaml" ||
	e2e_fail "the cancelled task is not recorded"
e2e_ok "Ctrl-C: cancelled within seconds, exit 1, state saved"

"$LAB" fault 2 --clear
rc=0
"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" resume lab \
    >"$E2E_TMP/resume.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/resume.out"; e2e_fail "resume exited $rc"; }
grep -q 'k8s-node1 runtime: runs again (cancelled last time)' \
    "$E2E_TMP/resume.out" || e2e_fail "resume does not say runtime reruns"
e2e_ok "resume after Ctrl-C finishes"
