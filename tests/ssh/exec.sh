#!/bin/sh
# exec.sh: running scripts: exit codes (0, 1, 137 for kill -9), 10 MB of
# binary output streamed without loss, long and unterminated lines, a
# large script on stdin, one session for many commands, command timeout
# and cancellation from another thread.
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init exec
fx_start
out=$FX/out
unset SSH_AUTH_SOCK
r()
{
	drv -l root -i "$FX_KEY" "$FX_ADDR" "$@"
}

note "exit codes and one session for many commands"
logins=$(grep -c 'Accepted publickey' "$FX/sshd.log")
r run 'exit 0' run 'false' run 'kill -9 $$' run 'echo still here' \
    >"$out" || fail "exit codes: $(cat "$out")"
assert_grep 'run: rc=0 exit=0 ' "$out"
assert_grep 'run: rc=0 exit=1 ' "$out"
assert_grep 'run: rc=0 exit=137 ' "$out"
assert_grep 'run: rc=0 exit=0 out_lines=1 err_lines=0 out_bytes=10 ' "$out"
assert_eq "$(grep -c 'Accepted publickey' "$FX/sshd.log")" "$((logins + 1))" \
    "logins for four commands"

note "10 MB of binary output, stdout and stderr at once"
head -c 10485760 /dev/urandom >"$FX/big"
echo >>"$FX/big"	# output ends with a newline: lines rebuild it exactly
head -c 1048576 /dev/urandom | base64 >"$FX/big-err"
KW_TEST_OUT=$FX/got KW_TEST_ERR=$FX/got-err \
    r run "cat '$FX/big-err' >&2 & cat '$FX/big'; wait" >"$out" ||
    fail "big: $(cat "$out")"
assert_grep 'run: rc=0 exit=0 ' "$out"
assert_eq "$(sha256sum <"$FX/got")" "$(sha256sum <"$FX/big")" "stdout sha256"
assert_eq "$(sha256sum <"$FX/got-err")" "$(sha256sum <"$FX/big-err")" \
    "stderr sha256"

note "long lines come in 1 MiB pieces, a final unterminated line"
KW_TEST_OUT=$FX/got r run "head -c 3145728 /dev/zero | tr '\\0' x; echo; printf 'a\\nb'" \
    >"$out" || fail "long: $(cat "$out")"
assert_grep 'run: rc=0 exit=0 out_lines=5 err_lines=0 out_bytes=3145730 err_bytes=0 longest=1048576 ' "$out"
assert_eq "$(tail -n 2 "$FX/got")" "a
b" "last lines"

note "a large script on stdin"
i=0
{
	while [ $i -lt 2000 ]; do
		echo ": padding line $i $(printf '%0500d' 0)"
		i=$((i + 1))
	done
	echo 'echo script-end'
} >"$FX/script"
KW_TEST_OUT=$FX/got r runfile "$FX/script" >"$out" ||
    fail "large script: $(cat "$out")"
assert_eq "$(cat "$FX/got")" "script-end" "end of a 1 MB script"

note "a silent command is kept alive, not taken for a dead connection"
r run 'sleep 8; echo woke' >"$out" || fail "silent: $(cat "$out")"
assert_grep 'run: rc=0 exit=0 out_lines=1 ' "$out"

note "command timeout"
rc=0
timeout 20 "$DRIVER" -p "$FX_PORT" -k "$FX_KH" -F none -l root -i "$FX_KEY" \
    "$FX_ADDR" run 'echo started; sleep 37' 2 run 'echo after' >"$out" || rc=$?
assert_eq "$rc" 14 "command timeout"
assert_grep 'run: rc=-4 exit=-1 out_lines=1' "$out"
assert_grep 'the command timed out after 2 s' "$out"
ps -eo args >"$FX/ps"
assert_no_grep 'sleep 37' "$FX/ps"	# what the script started was killed

note "cancellation from another thread"
rc=0
timeout 20 "$DRIVER" -p "$FX_PORT" -k "$FX_KH" -F none -l root -i "$FX_KEY" \
    "$FX_ADDR" connect cancel-after 500 run 'sleep 38' >"$out" || rc=$?
assert_eq "$rc" 15 "cancelled"
assert_grep 'run: rc=-5' "$out"
assert_grep 'node1: cancelled' "$out"
ps -eo args >"$FX/ps"
assert_no_grep 'sleep 38' "$FX/ps"
echo "PASS"
