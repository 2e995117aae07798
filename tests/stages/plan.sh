#!/bin/sh
# tests/stages/plan.sh: "kubewiz plan" prints exactly the scripts an install
# would run, with placeholders for run-time secrets, and refuses bad
# arguments with exit 2.
set -eu

top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
KUBEWIZ=${KUBEWIZ:-$top_builddir/kubewiz}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kw-plan.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0

# Report a failed check and go on.
fail() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# Run kubewiz, keeping stdout, stderr and the exit status.
run() {
	rc=0
	"$KUBEWIZ" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}

# shellcheck source=tests/stages/configs.sh
. "$top_srcdir/tests/stages/configs.sh"
stage_test_configs "$tmp"
classic=$tmp/classic.yaml
if [ -f "$top_srcdir/examples/classic.yaml" ]; then
	classic=$top_srcdir/examples/classic.yaml
fi

# A worker's join: join-prep on the first control plane, then the join.
run plan -f "$classic" --node k8s-node1 --stage join
[ "$rc" -eq 0 ] || fail "plan --stage join exited $rc: $(cat "$tmp/err")"
grep -q '^# ==== kubewiz plan: node k8s-master (.*), join-prep for k8s-node1 ====$' "$tmp/out" ||
	fail "no join-prep task header for k8s-node1"
grep -q '^# ==== kubewiz plan: node k8s-node1 (.*), stage join ====$' "$tmp/out" ||
	fail "no join task header for k8s-node1"
grep -q '^# --- join.sh ---$' "$tmp/out" || fail "no join.sh in the plan"
grep -q 'kubeadm join --config "\$cfg"' "$tmp/out" ||
	fail "the join script does not run kubeadm join from its JoinConfiguration"
grep -q '^kind: JoinConfiguration$' "$tmp/out" || fail "the join script writes no JoinConfiguration"
grep -q "^KW_NODE_NAME='k8s-node1'\$" "$tmp/out" || fail "KW_NODE_NAME is not k8s-node1"
grep -q "^KW_TOKEN='<from join-prep at run time>'\$" "$tmp/out" ||
	fail "the join token is not a placeholder"
grep -q "^KW_TOKEN='<generated at run time>'\$" "$tmp/out" ||
	fail "join-prep's token is not a placeholder"
if grep -q "^KW_CERT_KEY=" "$tmp/out"; then
	fail "a worker join carries a certificate key"
fi
if grep -q '^# --- init.sh ---$' "$tmp/out"; then
	fail "--stage join printed init"
fi
# The whole output is valid sh.
sh -n "$tmp/out" || fail "the plan output is not valid sh"

# A control-plane join carries the certificate key (placeholder).
run plan -f "$tmp/rocky9.yaml" --node cp2 --stage join
[ "$rc" -eq 0 ] || fail "plan cp2 join exited $rc"
grep -q "^KW_JOIN_CONTROL_PLANE='1'\$" "$tmp/out" || fail "join-prep for cp2 is not a control-plane prep"
grep -q "^KW_CERT_KEY='<from join-prep at run time>'\$" "$tmp/out" ||
	fail "cp2's join has no certificate key placeholder"

# init shows its secrets as placeholders, and the classic flags.
run plan -f "$classic" --stage init
[ "$rc" -eq 0 ] || fail "plan --stage init exited $rc"
grep -q "^KW_TOKEN='<generated at run time>'\$" "$tmp/out" || fail "init token is not a placeholder"
grep -q "^KW_CERT_KEY='<generated at run time>'\$" "$tmp/out" || fail "init cert key is not a placeholder"
[ "$(grep -c '^# ==== kubewiz plan: ' "$tmp/out")" -eq 1 ] || fail "init is not exactly one task"

# The whole plan: every task once (3 nodes: 6 stages each, init, network,
# 2 join-preps, 2 joins, ready, dashboard).
run plan -f "$classic"
[ "$rc" -eq 0 ] || fail "plan exited $rc"
n=$(grep -c '^# ==== kubewiz plan: ' "$tmp/out")
[ "$n" -eq 26 ] || fail "the classic plan has $n tasks, expected 26"

# The connect script runs as printed (read-only) and reports facts.
run plan -f "$classic" --node k8s-master --stage connect
[ "$rc" -eq 0 ] || fail "plan --stage connect exited $rc"
sh -s <"$tmp/out" >"$tmp/facts" 2>&1 || fail "the connect script failed: $(cat "$tmp/facts")"
for key in os_family cpus mem_mb hostname cgroup ipv4_nets; do
	grep -q "^::kubewiz:: fact $key=" "$tmp/facts" || fail "connect printed no fact $key"
done

# Usage errors: exit 2 with a message.
run plan -f "$classic" --stage nonsense
[ "$rc" -eq 2 ] || fail "a bad --stage exited $rc, not 2"
grep -q "unknown stage 'nonsense'" "$tmp/err" || fail "no message for a bad --stage"
run plan -f "$classic" --node nobody
[ "$rc" -eq 2 ] || fail "a bad --node exited $rc, not 2"
run plan -f "$classic" --node k8s-node1 --stage init
[ "$rc" -eq 2 ] || fail "a stage that does not run on the node exited $rc, not 2"
run plan --stage join
[ "$rc" -eq 2 ] || fail "plan without -f exited $rc, not 2"
run plan -f "$tmp/missing.yaml"
[ "$rc" -eq 2 ] || fail "plan of a missing file exited $rc, not 2"

[ "$failed" -eq 0 ] && echo "plan: all checks passed"
[ "$failed" -eq 0 ]
