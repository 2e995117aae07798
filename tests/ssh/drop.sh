#!/bin/sh
# drop.sh: a connection that drops during a command (the sshd serving it
# killed, or frozen so that nothing answers) is reported within 10 s;
# connecting to a port that accepts but never speaks times out; a closed
# port is refused at once.
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init drop
fx_start
out=$FX/out
unset SSH_AUTH_SOCK

# Wait until the session runs "sleep 30" (bounded).
wait_for_sleep()
{
	n=0
	while [ $n -lt 100 ]; do
		for p in $(fx_session_pids); do
			case $(ps -o args= -p "$p" 2>/dev/null) in
			"sleep 30") return 0 ;;
			esac
		done
		sleep 0.1
		n=$((n + 1))
	done
	fail "the command never started: $(cat "$out")"
}

# Wait at most $1 tenths of a second for process $2 to end.
wait_bounded()
{
	n=0
	while kill -0 "$2" 2>/dev/null; do
		[ $n -lt "$1" ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 0
}

for sig in KILL STOP; do
	note "the session's sshd gets SIG$sig during a command"
	drv -l root -i "$FX_KEY" "$FX_ADDR" run 'echo go; sleep 30' >"$out" &
	pid=$!
	wait_for_sleep
	fx_kill_sessions "$sig"
	wait_bounded 100 "$pid" ||
	    fail "SIG$sig: not reported within 10 s: $(cat "$out")"
	rc=0; wait "$pid" || rc=$?
	assert_eq "$rc" 11 "dropped connection (SIG$sig)"
	assert_grep "node1: connection to $FX_ADDR:$FX_PORT lost during the command" "$out"
	assert_grep 'run: rc=-1 exit=-1 out_lines=1' "$out"
	fx_kill_sessions CONT
	fx_kill_sessions KILL
done

note "cancelled while the server is frozen: still ends within 10 s"
drv -l root -i "$FX_KEY" "$FX_ADDR" connect cancel-after 1500 run 'sleep 30' >"$out" &
pid=$!
wait_for_sleep
fx_kill_sessions STOP
wait_bounded 100 "$pid" || fail "cancel on a frozen server: still running after 10 s"
rc=0; wait "$pid" || rc=$?
assert_eq "$rc" 15 "cancelled on a frozen server"
fx_kill_sessions CONT
fx_kill_sessions KILL

note "a port that accepts but never speaks: connect timeout"
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.20.1", 0))
s.listen(5)
print(s.getsockname()[1], flush=True)
time.sleep(60)
' >"$FX/port" &
py=$!
FX_EXTRA_PIDS="$FX_EXTRA_PIDS $py"
n=0
while [ ! -s "$FX/port" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
port=$(cat "$FX/port")
[ -n "$port" ] || fail "no listener"
rc=0
timeout 15 "$DRIVER" -T 2 -p "$port" -k "$FX_KH" -F none -l root -i "$FX_KEY" \
    "$FX_ADDR" run true >"$out" || rc=$?
assert_eq "$rc" 14 "connect timeout"
assert_grep "node1: connecting to $FX_ADDR:$port timed out after 2 s" "$out"

note "cancelled while connecting"
rc=0
timeout 15 "$DRIVER" -T 10 -p "$port" -k "$FX_KH" -F none -l root \
    -i "$FX_KEY" "$FX_ADDR" cancel-after 300 run true >"$out" || rc=$?
assert_eq "$rc" 15 "cancelled connect"
assert_grep "connect: rc=-5" "$out"
kill "$py"

note "a closed port"
port=$(python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.20.1", 0))
print(s.getsockname()[1])
s.close()
')
rc=0
timeout 15 "$DRIVER" -T 5 -p "$port" -k "$FX_KH" -F none -l root "$FX_ADDR" \
    run true >"$out" || rc=$?
assert_eq "$rc" 11 "closed port"
assert_grep "node1: cannot connect to $FX_ADDR:$port: " "$out"
assert_grep "refused" "$out"
echo "PASS"
