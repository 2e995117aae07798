# shellcheck shell=sh disable=SC2034
# (variables here are used by the tests that source this file)
# sshd-fixture.sh: a private OpenSSH sshd on 127.0.20.1 for the transport
# tests. Sourced by tests/ssh/*.sh; needs root (skips with 77 otherwise).
#
# After fx_init NAME and fx_start, these are set:
#   FX        the fixture's directory (removed at exit)
#   FX_ADDR   127.0.20.1
#   FX_PORT   the port sshd listens on
#   FX_KEY    a client key (no passphrase) root and the test users accept
#   FX_KH     a known_hosts file holding the server's host key
#   FX_CFG    an ssh_config file (used by the driver with -F)
#   DRIVER    the test driver program
# Test users (created once, kept): kwtest-sudo (sudo with a password) and
# kwtest-nopw (sudo without one), both with password $FX_PASSWORD.

FX_ADDR=127.0.20.1
FX_PASSWORD='kw-Test-pw1'
FX_USER_SUDO=kwtest-sudo
FX_USER_NOPW=kwtest-nopw
FX_SSHD_PID=
FX_EXTRA_PIDS=

# Print a failure and stop the test.
fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

# Print progress.
note()
{
	echo "== $*"
}

# Stop everything the fixture started and remove its directory.
fx_cleanup()
{
	for p in $FX_EXTRA_PIDS; do
		kill -CONT "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	fx_stop
	if [ -n "${FX:-}" ] && [ -d "$FX" ]; then
		if [ "${FX_KEEP:-}" = 1 ]; then
			echo "fixture kept in $FX" >&2
		else
			rm -rf "$FX"
		fi
	fi
}

# Create the test users and their sudo rules once (shared by all tests).
fx_users()
{
	exec 9>/tmp/kw-ssh-fixture-users.lock
	flock 9
	for u in "$FX_USER_SUDO" "$FX_USER_NOPW"; do
		if ! getent passwd "$u" >/dev/null; then
			useradd -m -s /bin/sh "$u" || fail "useradd $u"
		fi
		echo "$u:$FX_PASSWORD" | chpasswd || fail "chpasswd $u"
	done
	printf '%s ALL=(ALL) ALL\n%s ALL=(ALL) NOPASSWD: ALL\n' \
	    "$FX_USER_SUDO" "$FX_USER_NOPW" >/etc/sudoers.d/kwtest.tmp
	chmod 0440 /etc/sudoers.d/kwtest.tmp
	mv /etc/sudoers.d/kwtest.tmp /etc/sudoers.d/kwtest
	flock -u 9
	exec 9>&-
}

# Prepare a fixture directory, keys and users. Skips unless root.
fx_init()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: the SSH tests need root (sshd, useradd)" >&2
		exit 77
	fi
	for p in /usr/sbin/sshd ssh-keygen sudo python3; do
		command -v "$p" >/dev/null 2>&1 || {
			echo "SKIP: $p is not installed" >&2
			exit 77
		}
	done
	: "${top_builddir:=.}"
	: "${top_srcdir:=.}"
	DRIVER=${DRIVER:-$top_builddir/tests/ssh/ssh-driver}
	[ -x "$DRIVER" ] || fail "no driver at $DRIVER"
	FX=$(mktemp -d "/tmp/kw-ssh-$1.XXXXXX") || fail "mktemp"
	chmod 0755 "$FX"
	trap fx_cleanup EXIT
	trap 'exit 1' INT TERM HUP
	mkdir -p /run/sshd "$FX/ak"
	ssh-keygen -q -t ed25519 -N '' -C kw-host -f "$FX/host_ed25519" ||
	    fail "host key"
	ssh-keygen -q -t ed25519 -N '' -C kw-client -f "$FX/id_ed25519" ||
	    fail "client key"
	FX_KEY=$FX/id_ed25519
	fx_users
	for u in root "$FX_USER_SUDO" "$FX_USER_NOPW"; do
		cp "$FX/id_ed25519.pub" "$FX/ak/$u"
	done
	chmod 0644 "$FX"/ak/*
	FX_KH=$FX/known_hosts
	FX_CFG=$FX/ssh_config
	: >"$FX_CFG"
	FX_EXTRA=
}

# Write sshd_config and start sshd on a free port. Extra lines come from
# $FX_EXTRA, written first (sshd keeps the first value of a keyword);
# FX_SFTP='' starts it without the SFTP subsystem.
fx_start()
{
	tries=0
	while :; do
		tries=$((tries + 1))
		[ "$tries" -le 20 ] || fail "could not start sshd: $(tail -3 "$FX/sshd.log")"
		FX_PORT=$((2200 + $(od -An -N2 -tu2 /dev/urandom) % 700))
		{
			printf '%s\n' "$FX_EXTRA"
			cat <<-EOF
			ListenAddress $FX_ADDR:$FX_PORT
			HostKey $FX/host_ed25519
			PidFile $FX/sshd.pid
			AuthorizedKeysFile $FX/ak/%u
			StrictModes no
			PermitRootLogin prohibit-password
			UsePAM yes
			PasswordAuthentication yes
			KbdInteractiveAuthentication no
			${FX_SFTP-Subsystem sftp internal-sftp}
			AllowTcpForwarding yes
			MaxAuthTries 20
			ClientAliveInterval 0
			LogLevel VERBOSE
			EOF
		} >"$FX/sshd_config"
		: >"$FX/sshd.log"
		/usr/sbin/sshd -D -e -f "$FX/sshd_config" 2>>"$FX/sshd.log" &
		FX_SSHD_PID=$!
		n=0
		while [ $n -lt 100 ]; do
			if grep -q 'Server listening' "$FX/sshd.log"; then
				break 2
			fi
			kill -0 "$FX_SSHD_PID" 2>/dev/null || break
			sleep 0.05
			n=$((n + 1))
		done
		kill "$FX_SSHD_PID" 2>/dev/null
		wait "$FX_SSHD_PID" 2>/dev/null
		FX_SSHD_PID=
	done
	printf '[%s]:%s %s\n' "$FX_ADDR" "$FX_PORT" \
	    "$(cut -d' ' -f1-2 "$FX/host_ed25519.pub")" >"$FX_KH"
}

# Stop sshd and its sessions (fx_start may follow with another config).
fx_stop()
{
	[ -n "$FX_SSHD_PID" ] || return 0
	fx_kill_sessions KILL
	kill "$FX_SSHD_PID" 2>/dev/null
	wait "$FX_SSHD_PID" 2>/dev/null
	FX_SSHD_PID=
}

# Print the pids of every process descending from sshd (the sessions).
fx_session_pids()
{
	[ -n "$FX_SSHD_PID" ] || return 0
	todo=$FX_SSHD_PID
	while [ -n "$todo" ]; do
		next=
		for p in $todo; do
			for c in $(ps -o pid= --ppid "$p"); do
				echo "$c"
				next="$next $c"
			done
		done
		todo=$next
	done
}

# Send a signal to every session process of this fixture's sshd.
fx_kill_sessions()
{
	for p in $(fx_session_pids); do
		kill -"$1" "$p" 2>/dev/null
	done
}

# Run the driver with the fixture's defaults; extra arguments follow.
drv()
{
	"$DRIVER" -p "$FX_PORT" -k "$FX_KH" -F "$FX_CFG" "$@"
}

# Assert that a file contains a fixed string.
assert_grep()
{
	grep -q -F -e "$1" "$2" || {
		echo "--- $2:" >&2
		cat "$2" >&2
		fail "expected '$1' in $2"
	}
}

# Assert that a file does not contain a fixed string.
assert_no_grep()
{
	if grep -q -F -e "$1" "$2"; then
		echo "--- $2:" >&2
		cat "$2" >&2
		fail "did not expect '$1' in $2"
	fi
}

# Assert that two values are equal.
assert_eq()
{
	[ "$1" = "$2" ] || fail "${3:-values differ}: expected '$2', got '$1'"
}
