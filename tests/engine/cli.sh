#!/bin/sh
# cli.sh: install, resume and check from the command line, without a lab:
# nodes on a closed loopback port fail at connect. Checks exit codes,
# the summary, what the state directory holds, resume with and without a
# name, and refusals (unknown cluster, several clusters, corrupt state,
# a run already holding the lock).
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
KUBEWIZ=${KUBEWIZ:-$top_srcdir/build/kubewiz}
tmp=$(mktemp -d /tmp/kw-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: cli: $*" >&2
	exit 1
}

# A cluster whose nodes nobody answers for (port 1 on loopback).
config() {
	cat <<EOC
name: $1
kubernetes:
  version: "1.30.4"
ssh:
  user: root
  port: 1
  knownHosts: $tmp/known_hosts
nodes:
  - { name: cp, address: 127.0.99.1, role: control-plane }
  - { name: w1, address: 127.0.99.2, role: worker }
EOC
}
config demo >"$tmp/demo.yaml"
config other >"$tmp/other.yaml"
: >"$tmp/known_hosts"
st=$tmp/state

# install: exit 1, a summary naming connect, the resume command.
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$tmp/demo.yaml" --yes \
    >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/out"; fail "install exited $rc, not 1"; }
grep -Eq '^  cp +control-plane +FAILED at connect' "$tmp/out" ||
	{ cat "$tmp/out"; fail "no summary row for cp"; }
grep -q "^resume: kubewiz --state-dir '$st' resume demo$" "$tmp/out" ||
	fail "no exact resume command"
grep -q '^\[w1\] join: blocked' "$tmp/out" || fail "join not blocked"
[ "$(stat -c %a "$st/demo")" = 700 ] || fail "state directory not 0700"
for f in config.yaml state.yaml lock; do
	[ "$(stat -c %a "$st/demo/$f")" = 600 ] || fail "$f not 0600"
done
grep -q '^kubewiz-state: 1$' "$st/demo/state.yaml" || fail "no state header"
grep -q 'connect: {status: failed' "$st/demo/state.yaml" ||
	fail "the failed connect is not recorded"
[ -f "$st/demo/logs/cp/01-connect.log" ] || fail "no connect log"
echo "ok: install fails at connect with exit 1, state recorded"

# resume with the only saved cluster, and by name.
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/out"; fail "resume exited $rc, not 1"; }
grep -q 'cp connect: ' "$tmp/out" || fail "resume did not run connect"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume demo >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "resume demo exited $rc, not 1"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume nope >"$tmp/out" 2>&1 || rc=$?
{ [ "$rc" -eq 2 ] && grep -q "no saved state for cluster 'nope'" "$tmp/out"; } ||
	{ cat "$tmp/out"; fail "resume of an unknown cluster: exit $rc"; }
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$tmp/other.yaml" --yes \
    >/dev/null 2>&1 || true
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume >"$tmp/out" 2>&1 || rc=$?
{ [ "$rc" -eq 2 ] && grep -q "2 saved clusters" "$tmp/out"; } ||
	{ cat "$tmp/out"; fail "resume without a name among two: exit $rc"; }
echo "ok: resume by name, the only cluster, refusals"

# A run holding the lock is named; the state is not touched.
cp "$st/demo/state.yaml" "$tmp/before"
flock "$st/demo/lock" sh -c "echo \$\$ >'$st/demo/lock'; sleep 5" &
holder=$!
sleep 1
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume demo >"$tmp/out" 2>&1 || rc=$?
{ [ "$rc" -eq 2 ] && grep -q "in use by another kubewiz (pid" "$tmp/out"; } ||
	{ cat "$tmp/out"; fail "a held lock: exit $rc"; }
cmp -s "$tmp/before" "$st/demo/state.yaml" || fail "state changed"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
echo "ok: a second run is refused while the lock is held"

# A corrupt state is refused and left as it is.
printf 'kubewiz-state: 1\ncluster: demo\nnodes: [\n' >"$st/demo/state.yaml"
cp "$st/demo/state.yaml" "$tmp/before"
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume demo >"$tmp/out" 2>&1 || rc=$?
{ [ "$rc" -eq 2 ] && grep -q "is corrupt" "$tmp/out"; } ||
	{ cat "$tmp/out"; fail "a corrupt state: exit $rc"; }
cmp -s "$tmp/before" "$st/demo/state.yaml" || fail "corrupt state overwritten"
echo "ok: a corrupt state is refused and kept"

# check: connect and preflight only, no state directory.
rc=0
"$KUBEWIZ" --no-tui --state-dir "$tmp/check-state" check -f "$tmp/demo.yaml" \
    >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || { cat "$tmp/out"; fail "check exited $rc, not 1"; }
[ ! -e "$tmp/check-state" ] || fail "check created a state directory"
! grep -q 'system:' "$tmp/out" || fail "check planned more than preflight"
rc=0
"$KUBEWIZ" --no-tui check >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "check without -f exited $rc, not 2"
echo "ok: check runs connect and preflight only"
