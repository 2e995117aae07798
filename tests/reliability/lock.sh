#!/bin/sh
# lock.sh: two kubewiz runs on one cluster at once, with the real binary on
# the lab. While an install runs, a second run (resume, install) is refused
# with exit 2 and a message naming the holder's pid, and touches no node.
# After the holder is SIGKILLed its lock is stale: a lock file naming a
# live but unrelated pid (1) does not block either; the next run takes the
# lock over, writes its own pid and finishes with init once and each join
# once.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=rel-lock
# shellcheck disable=SC2034
E2E_NET=127.0.72
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=tests/e2e/e2e-lib.sh
. "$top_srcdir/tests/e2e/e2e-lib.sh"
# shellcheck source=tests/reliability/rel-lib.sh
. "$top_srcdir/tests/reliability/rel-lib.sh"

# The SSH logins the nodes' sshd accepted so far.
rel_logins() {
	cat "$KUBEWIZ_LAB"/nodes/*/sshd.log | grep -c 'Accepted ' || true
}

e2e_classic_lab
st=$E2E_TMP/state
lock=$st/lab/lock

# Hold the first run in its runtime stage on the master: a hanging yum.
"$LAB" fault 1 'yum install -y docker-ce*' hang
"$KUBEWIZ" --no-tui --state-dir "$st" install -f "$E2E_TMP/cluster.yaml" \
    --yes >"$E2E_TMP/first.out" 2>&1 &
pid=$!
i=0
until [ -f "$lock" ] && ! flock -n "$lock" true; do
	kill -0 "$pid" 2>/dev/null || { cat "$E2E_TMP/first.out"; e2e_fail "the first run ended"; }
	i=$((i + 1))
	[ "$i" -lt 600 ] || e2e_fail "the first run took no lock in 60 s"
	sleep 0.1
done
[ "$(cat "$lock")" = "$pid" ] || e2e_fail "the lock holds $(cat "$lock"), not $pid"
# Let it settle: logged in to every node, hanging on the master.
i=0
until "$LAB" journal 1 | awk -F '\t' '$2 == "hang"' | grep -q . &&
    [ "$(grep -l 'Accepted ' "$KUBEWIZ_LAB"/nodes/*/sshd.log | wc -l)" -eq 3 ]; do
	kill -0 "$pid" 2>/dev/null || { cat "$E2E_TMP/first.out"; e2e_fail "the first run ended"; }
	i=$((i + 1))
	[ "$i" -lt 600 ] || e2e_fail "the first run did not reach the hang in 60 s"
	sleep 0.1
done
e2e_ok "the first run (pid $pid) holds the lock"

# The refused run must not even connect to a node. The first run may
# still log in (a reconnect), so sshd's counts alone cannot tell the two
# apart: with strace, the second run's own connect() calls are traced.
trace=
if command -v strace >/dev/null 2>&1 && strace -qq -o /dev/null true 2>/dev/null; then
	trace="strace -f -qq -e trace=connect -o $E2E_TMP/second.strace"
fi
for how in resume install; do
	logins=$(rel_logins)
	rc=0
	rm -f "$E2E_TMP/second.strace"
	if [ "$how" = resume ]; then
		$trace "$KUBEWIZ" --no-tui --state-dir "$st" resume lab \
		    >"$E2E_TMP/second.out" 2>&1 || rc=$?
	else
		$trace "$KUBEWIZ" --no-tui --state-dir "$st" install \
		    -f "$E2E_TMP/cluster.yaml" --yes >"$E2E_TMP/second.out" 2>&1 || rc=$?
	fi
	[ "$rc" -eq 2 ] || { cat "$E2E_TMP/second.out"; e2e_fail "a second $how exited $rc, not 2"; }
	grep -q "in use by another kubewiz (pid $pid)" "$E2E_TMP/second.out" ||
		{ cat "$E2E_TMP/second.out"; e2e_fail "the refusal does not name pid $pid"; }
	if [ -n "$trace" ]; then
		! grep -q 'sin_port=htons(2222)' "$E2E_TMP/second.strace" ||
			e2e_fail "the refused $how connected to a node"
	else
		[ "$(rel_logins)" = "$logins" ] ||
			e2e_fail "the refused $how logged in to a node"
	fi
	kill -0 "$pid" || e2e_fail "the first run died"
	[ "$(cat "$lock")" = "$pid" ] || e2e_fail "the refused $how rewrote the lock"
done
e2e_ok "a second resume and install are refused, naming pid $pid"

kill -9 "$pid"
wait "$pid" 2>/dev/null || true
# The dead run's lock names its pid; make it name a live process instead
# (pid reuse): only the flock counts.
echo 1 >"$lock"
"$LAB" fault 1 --clear
rc=0
"$KUBEWIZ" --no-tui --state-dir "$st" resume lab >"$E2E_TMP/resume.out" 2>&1 &
rpid=$!
wait "$rpid" || rc=$?
[ "$rc" -eq 0 ] || { cat "$E2E_TMP/resume.out"; e2e_fail "resume after the kill exited $rc"; }
[ "$(cat "$lock")" = "$rpid" ] || e2e_fail "the resume did not write its pid ($rpid) in the lock"
why=$(rel_check_end_state "$st" "$E2E_TMP/resume.out" 2 3) || e2e_fail "$why"
e2e_ok "the stale lock was taken over; init once, each join once, lock free"
