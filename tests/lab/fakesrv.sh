#!/bin/bash
# The node scripts below are single-quoted on purpose: they expand on the node.
# shellcheck disable=SC2016
# fakesrv.sh: the lab's fake server and shim (tests/lab/README.md, "The fake
# server") behave as the Python fake run directly: the same output, errors,
# exit status and journal for the same calls (stdin, working directory,
# umask, a non-root caller), signals reach the fake (TERM, INT) and a killed
# caller takes its fake with it, and without a server the shim runs the
# Python fake itself. Exit 77 (skipped) when not root or without namespaces.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

here=$(cd "$(dirname "$0")" && pwd)
LABCMD=$here/lab
if [ "$(id -u)" -ne 0 ]; then
	echo "fakesrv: not root; skipped"
	exit 77
fi
if ! unshare --mount --uts --pid --fork true 2>/dev/null; then
	echo "fakesrv: cannot create namespaces; skipped"
	exit 77
fi
for t in sshd ssh python3 cc; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || { echo "fakesrv: $t missing; skipped"; exit 77; }
done

KUBEWIZ_LAB=$(mktemp -d /tmp/kw-lab-fakesrv.XXXXXX)
rmdir "$KUBEWIZ_LAB"
export KUBEWIZ_LAB
# A subnet of its own, locked as selftest.sh locks its ones.
NET=""
for n in 18 $(seq 190 199); do
	exec {lockfd}>"/tmp/kubewiz-lab-net-127.0.$n.lock"
	if flock -n "$lockfd" && ! ss -Hltn | awk '{print $4}' | grep -q "^127\.0\.$n\." &&
		[ ! -L "/tmp/kubewiz-lab-claims/127.0.$n:2222" ]; then
		NET=127.0.$n
		break
	fi
	exec {lockfd}>&-
done
[ -n "$NET" ] || { echo "fakesrv: no free 127.0.x subnet"; exit 1; }
export KUBEWIZ_LAB_NET=$NET
fails=0

cleanup() {
	"$LABCMD" down >/dev/null 2>&1 || true
	rm -rf "$KUBEWIZ_LAB"
}
trap cleanup EXIT

ok() { echo "ok: $1"; }
fail() { echo "FAIL: $1"; fails=$((fails + 1)); }
# check WHAT GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}
node() { "$LABCMD" ssh 1 "$@"; }

"$LABCMD" up 1 --user kwuser >/dev/null || { echo "fakesrv: lab up failed"; exit 1; }
if [ ! -x "$KUBEWIZ_LAB/fakes/shim" ]; then
	echo "fakesrv: lab up built no shim; skipped"
	exit 77
fi

# The tools point to the shim (sudo to the Python fake) and the server listens.
got=$(node 'readlink /usr/local/sbin/sysctl; readlink /usr/local/bin/sudo; test -S /run/kubewiz-lab-fakes.sock && echo listening')
want="/var/lib/kubewiz-lab/fakes/shim
/var/lib/kubewiz-lab/fakes/fake
listening"
check "symlinks and socket" "$got" "$want"

# Each call through the shim, then the same through the Python fake: stdout,
# stderr and exit status must be byte for byte the same.
same() {
	local name=$1 cmd=$2 a b
	a=$(node "cd /tmp; { $cmd; } 2>&1; echo \"exit \$?\"" | cksum)
	b=$(node "cd /tmp; PATH=/tmp/direct:\$PATH; { $cmd; } 2>&1; echo \"exit \$?\"" | cksum)
	check "$name: the same as the Python fake" "$a" "$b"
}
# /tmp/direct/TOOL runs the Python fake for TOOL (as the shim does without a server).
node 'mkdir -p /tmp/direct && for t in sysctl systemctl getenforce swapon curl gpg yum; do
	printf "#!/bin/sh\nexec /usr/bin/python3 /var/lib/kubewiz-lab/fakes/fake --lab-tool %s \"\$@\"\n" "$t" >/tmp/direct/$t
	chmod 755 /tmp/direct/$t; done'
same "sysctl -n" 'sysctl -n net.ipv4.ip_forward'
same "unknown sysctl key" 'sysctl -n net.nothing.here'
same "systemctl is-active (exit 3)" 'systemctl is-active docker'
same "getenforce" 'getenforce'
same "swapon --show" 'swapon --show'
same "yum without -y (stdin not a terminal)" 'yum install kubeadm </dev/null'
same "curl 404" 'curl -fsSL https://download.docker.com/linux/centos/nothing.repo'
same "stdin passed (gpg --dearmor)" 'curl -fsSL https://download.docker.com/linux/centos/gpg | gpg --dearmor'
same "non-root caller" 'su -s /bin/sh kwuser -c "PATH=$PATH; systemctl start docker; setenforce 0"'
# Working directory and umask: a relative output file, made with umask 077.
got=$(node 'cd /tmp && umask 077 && rm -f rel.gpg && curl -fsSL -o rel.gpg https://download.docker.com/linux/centos/gpg && stat -c %a rel.gpg')
check "working directory and umask" "$got" 600
# The journal: one line per call, the same as before.
got=$(node 'tail -n 1 /var/lib/kubewiz-lab/self/journal' | cut -f2-)
check "journal line" "$got" "$(printf '0\tcurl -fsSL -o rel.gpg https://download.docker.com/linux/centos/gpg')"

# Signals: TERM kills the fake (143 through the shell), INT ends it as
# KeyboardInterrupt (130); SIGKILL of the caller takes the fake with it. A
# hanging fault keeps the fake running until then; the worker that ran it
# is gone afterwards (the server has one worker fewer), and the next call
# works.
"$LABCMD" fault 1 'nproc' hang >/dev/null
got=$(node 'set -m; srv=$(pgrep -of "^python3 .*fakesrv"); for s in TERM INT KILL; do
	nproc & p=$!; sleep 1; during=$(pgrep -P $srv | wc -l); kill -$s $p; wait $p; printf "%s " $?
	sleep 0.5; printf "%s " $((during - $(pgrep -P $srv | wc -l))); done' 2>/dev/null)
check "signals and a killed caller" "$got" "143 1 130 1 137 1 "
"$LABCMD" fault 1 --clear >/dev/null
check "a call after the killed ones" "$(node 'sysctl -n net.ipv4.ip_forward; echo "exit $?"')" "0
exit 0"

# Workers are reused: twenty calls in a row leave at most two workers; a
# non-root caller's worker ends after its call, and the next calls have
# their own environment, directory and umask.
got=$(node 'srv=$(pgrep -of "^python3 .*fakesrv"); for i in $(seq 20); do sysctl -n net.ipv4.ip_forward >/dev/null; done
	n=$(pgrep -P $srv | wc -l); [ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo reused
	before=$(pgrep -P $srv | wc -l)
	su -s /bin/sh kwuser -c "PATH=$PATH; getenforce" >/dev/null
	sleep 0.3; after=$(pgrep -P $srv | wc -l)
	[ "$after" -eq $((before - 1)) ] && echo "the non-root caller'"'"'s worker ended"')
check "workers reused" "$got" "reused
the non-root caller's worker ended"
same "a call after a non-root one" 'cd /; umask 022; FOO=bar sysctl -n net.ipv4.ip_forward'
got=$(node 'cd /tmp && umask 027 && rm -f rel2.gpg && curl -fsSL -o rel2.gpg https://download.docker.com/linux/centos/gpg && stat -c %a rel2.gpg')
check "directory and umask of the next call" "$got" 640

# Without a server, the shim runs the Python fake.
got=$(node 'kill -KILL $(pgrep -f "^python3 .*fakesrv"); sleep 0.5; sysctl -n net.ipv4.ip_forward; echo "exit $?"')
check "no server: the Python fake" "$got" "0
exit 0"
# A reboot starts it again.
"$LABCMD" reboot 1 >/dev/null
got=$(node 'test -S /run/kubewiz-lab-fakes.sock && pgrep -f "^python3 .*fakesrv" >/dev/null && echo up')
check "server back after a reboot" "$got" up

if [ "$fails" -ne 0 ]; then
	echo "fakesrv: $fails check(s) failed"
	exit 1
fi
echo "fakesrv: all checks passed"
