#!/bin/sh
# kill-init.sh: kubewiz SIGKILLed while the master's "kubeadm init" runs
# (the lab holds it 3 s before it starts), resumed at once. The init goes
# on without its output pipe; the resumed init must wait for it (init.lock)
# and then take what it left: never a second kubeadm init beside it. Found
# by crash-loop: two inits ran side by side and both created the cluster.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-kill-init
# shellcheck disable=SC2034
E2E_NET=127.0.85
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

e2e_classic_lab
st=$E2E_TMP/state
printf '3\tkubeadm init --config*\n' >"$KUBEWIZ_LAB/delays"

rel_install_bg "$st" "$E2E_TMP/install.out"
rel_wait_for 60 "kubeadm init on the master" \
    grep -q '^\[k8s-master\] init: kubeadm init ' "$E2E_TMP/install.out"
sleep 0.5
kill -9 "$REL_PID"
wait "$REL_PID" 2>/dev/null || true
rm -f "$KUBEWIZ_LAB/delays"
[ "$(e2e_journal_count 1 0 '^kubeadm init --config')" -eq 0 ] ||
	e2e_fail "kubeadm init ended before kubewiz was killed"
e2e_ok "kubewiz killed during kubeadm init"

# Resume at once: the orphaned init is still in the lab's hold.
rel_resume_ok "$st" "$E2E_TMP/resume.out"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
# Two inits side by side: one of them fails kubeadm's preflight (ports in
# use, files there), or both pass it and create the cluster twice.
if "$LAB" journal 1 | awk -F '\t' '$2 != 0 && $2 != 141 && $3 ~ /^kubeadm init /' | grep -q .; then
	e2e_fail "a kubeadm init ran beside the killed run's and failed: $("$LAB" journal 1 | grep 'kubeadm init ' | tr '\n\t' '; ')"
fi
grep -q 'waiting for an earlier kubeadm init' "$E2E_TMP/resume.out" ||
	e2e_fail "the resumed init did not wait for the orphaned one"
e2e_ok "the resumed init waited for the killed run's; the master was initialised once"
