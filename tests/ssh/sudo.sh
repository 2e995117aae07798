#!/bin/sh
# sudo.sh: a non-root login becomes root with sudo -n, or with the sudo
# password on stdin; the password never shows in any process's arguments
# and never reaches the shell; a wrong password is a quick, clear error.
# shellcheck disable=SC2016 # remote scripts expand on the node
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init sudo
fx_start
out=$FX/out
unset SSH_AUTH_SOCK KW_TEST_PASSWORD KW_TEST_SUDO_PASSWORD

note "root login"
drv -l root -i "$FX_KEY" "$FX_ADDR" run 'echo "$KW_ROOT_METHOD"' >"$out" ||
    fail "root: $(cat "$out")"
assert_grep 'root_method=root' "$out"

note "sudo without a password"
KW_TEST_OUT=$FX/stdout drv -l "$FX_USER_NOPW" -i "$FX_KEY" "$FX_ADDR" \
    run 'id -u; echo "$KW_ROOT_METHOD"' >"$out" || fail "nopw: $(cat "$out")"
assert_grep 'root_method=sudo-nopasswd' "$out"
assert_grep 'prompts=0' "$out"
assert_eq "$(cat "$FX/stdout")" "0
sudo-nopasswd" "output under sudo -n"

# The command lines of this test's processes: the descendants of this
# shell (the fixture's sshd and its sessions, the driver), not those of
# tests running beside it (whose arguments may hold the same password).
own_args() {
	ps -eo pid=,ppid=,args= | awk -v root=$$ '
	    { pid = $1; parent[pid] = $2; sub(/^ *[0-9]+ +[0-9]+ /, ""); args[pid] = $0 }
	    END { for (p in args) { q = p; n = 0
		while (q != "" && q != root && q != 0 && q != 1 && n++ < 64) q = parent[q]
		if (q == root) print args[p] } }'
}

note "sudo with a password, never in argv"
: >"$FX/ps"
(
	while [ ! -e "$FX/done" ]; do
		own_args >>"$FX/ps"
		sleep 0.05
	done
) &
sampler=$!
FX_EXTRA_PIDS="$FX_EXTRA_PIDS $sampler"
KW_TEST_SUDO_PASSWORD=$FX_PASSWORD KW_TEST_OUT=$FX/stdout KW_TEST_ERR=$FX/stderr \
    drv -l "$FX_USER_SUDO" -i "$FX_KEY" "$FX_ADDR" \
    run 'id -u; echo "$KW_ROOT_METHOD"; sleep 1; echo done' >"$out" ||
    fail "sudo password: $(cat "$out")"
touch "$FX/done"
wait "$sampler"
assert_grep "prompt: node1: [sudo] password for $FX_USER_SUDO on node1:" "$out"
assert_grep 'root_method=sudo-password' "$out"
assert_grep 'prompts=1' "$out"
assert_eq "$(cat "$FX/stdout")" "0
sudo-password
done" "output under sudo -S"
assert_grep 'sudo -S -k -p' "$FX/ps"	# the sampler saw the commands
assert_no_grep "$FX_PASSWORD" "$FX/ps"
assert_no_grep "$FX_PASSWORD" "$FX/stderr"	# never read by the shell
assert_no_grep "not found" "$FX/stderr"
assert_no_grep "$FX_PASSWORD" "$FX/sshd.log"

note "a timed-out script under sudo -S is killed through sudo"
rc=0
KW_TEST_SUDO_PASSWORD=$FX_PASSWORD timeout 20 "$DRIVER" -p "$FX_PORT" \
    -k "$FX_KH" -F none -l "$FX_USER_SUDO" -i "$FX_KEY" "$FX_ADDR" \
    run 'sleep 39' 1 >"$out" || rc=$?
assert_eq "$rc" 14 "timeout under sudo"
own_args >"$FX/ps"
assert_no_grep 'sleep 39' "$FX/ps"

note "wrong sudo password: a quick clear error"
rc=0
KW_TEST_SUDO_PASSWORD=wrong-one timeout 20 "$DRIVER" -p "$FX_PORT" -k "$FX_KH" \
    -F none -l "$FX_USER_SUDO" -i "$FX_KEY" "$FX_ADDR" run "touch $FX/marker" \
    >"$out" || rc=$?
assert_eq "$rc" 13 "wrong sudo password"
assert_grep "sudo refused the password of $FX_USER_SUDO" "$out"
[ ! -e "$FX/marker" ] || fail "ran after a wrong sudo password"

note "no sudo password given"
rc=0
drv -l "$FX_USER_SUDO" -i "$FX_KEY" "$FX_ADDR" run true >"$out" || rc=$?
assert_eq "$rc" 13 "no sudo password"
assert_grep "sudo needs the password of $FX_USER_SUDO, and none was given" "$out"
echo "PASS"
