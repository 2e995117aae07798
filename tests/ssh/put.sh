#!/bin/sh
# put.sh: uploads as root: SFTP when logged in as root, SFTP to a private
# temporary directory then install through sudo otherwise, a stream over
# exec when the server has no SFTP; missing parents are made 0700, files
# get the mode asked for (0600 by default), content is exact.
. "${top_srcdir:-.}/tests/ssh/sshd-fixture.sh"
fx_init put
out=$FX/out
unset SSH_AUTH_SOCK KW_TEST_PASSWORD
head -c 1500000 /dev/urandom >"$FX/data"
want=$(sha256sum <"$FX/data")
mkdir -p "$FX/remote"
chmod 0755 "$FX/remote"

# Check an uploaded file: content, mode, owner root.
check_file()
{
	[ -f "$1" ] || fail "$1 was not written: $(cat "$out")"
	assert_eq "$(sha256sum <"$1")" "$want" "content of $1"
	assert_eq "$(stat -c '%a %U' "$1")" "$2 root" "mode and owner of $1"
}

# List the upload directories of the test user in /tmp.
staged()
{
	find /tmp -maxdepth 1 -name 'kubewiz.*' -user "$FX_USER_SUDO" | sort
}

for sftp in yes no; do
	if [ $sftp = yes ]; then
		fx_start
	else
		fx_stop
		FX_SFTP=''
		fx_start
	fi
	d=$FX/remote/$sftp

	note "root login, SFTP $sftp"
	drv -l root -i "$FX_KEY" "$FX_ADDR" put "$FX/data" "$d/root/sub/file" 600 \
	    put "$FX/data" "$d/root/sub/public" 644 >"$out" ||
	    fail "root put: $(cat "$out")"
	check_file "$d/root/sub/file" 600
	check_file "$d/root/sub/public" 644
	assert_eq "$(stat -c %a "$d/root/sub")" 700 "mode of a created parent"
	assert_eq "$(stat -c %a "$d/root")" 700 "mode of a created grandparent"

	note "sudo with a password, SFTP $sftp"
	staged >"$FX/staged-before"
	KW_TEST_SUDO_PASSWORD=$FX_PASSWORD drv -l "$FX_USER_SUDO" -i "$FX_KEY" \
	    "$FX_ADDR" put "$FX/data" "$d/sudo/file" 640 >"$out" ||
	    fail "sudo put: $(cat "$out")"
	check_file "$d/sudo/file" 640
	staged >"$FX/staged-after"
	assert_eq "$(comm -13 "$FX/staged-before" "$FX/staged-after")" "" \
	    "temporary upload directories left"

	note "overwrite keeps the asked mode, SFTP $sftp"
	chmod 0666 "$d/sudo/file"
	drv -l "$FX_USER_NOPW" -i "$FX_KEY" "$FX_ADDR" \
	    put "$FX/data" "$d/sudo/file" 600 >"$out" || fail "nopw put: $(cat "$out")"
	check_file "$d/sudo/file" 600
done
assert_grep 'subsystem not found' "$FX/sshd.log"	# the fallback was used

note "a server that freezes during an upload: lost within the call timeout (-T)"
fx_stop
FX_SFTP='Subsystem sftp internal-sftp'
fx_start
head -c 20000000 /dev/zero >"$FX/zero"
for how in freeze cancel; do
	if [ $how = cancel ]; then extra="cancel-after 500"; else extra=; fi
	rm -f "$out"
	# shellcheck disable=SC2086
	drv -T 3 -l root -i "$FX_KEY" "$FX_ADDR" connect pause 1500 $extra \
	    put "$FX/zero" "$FX/remote/frozen" 600 >"$out" &
	pid=$!
	n=0
	until grep -q 'root_method=' "$out" 2>/dev/null; do
		[ $n -lt 100 ] || fail "no connection: $(cat "$out")"
		sleep 0.1
		n=$((n + 1))
	done
	fx_kill_sessions STOP
	n=0
	while kill -0 "$pid" 2>/dev/null; do
		[ $n -lt 100 ] || fail "$how: upload still hanging after 10 s"
		sleep 0.1
		n=$((n + 1))
	done
	rc=0; wait "$pid" || rc=$?
	if [ $how = cancel ]; then
		assert_eq "$rc" 15 "upload cancelled on a frozen server"
		assert_grep 'node1: cancelled' "$out"
	else
		assert_eq "$rc" 11 "upload to a frozen server"
		assert_grep "node1: connection to $FX_ADDR:$FX_PORT lost during an upload" "$out"
	fi
	fx_kill_sessions CONT
	fx_kill_sessions KILL
done

note "relative paths are refused"
rc=0
drv -l root -i "$FX_KEY" "$FX_ADDR" put "$FX/data" relative/file 600 >"$out" || rc=$?
assert_eq "$rc" 11 "relative path"
assert_grep "the path must be absolute" "$out"
echo "PASS"
