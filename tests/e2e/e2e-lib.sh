# shellcheck shell=sh
# e2e-lib.sh: helpers for the end-to-end scenarios on the lab (sourced).
# Each scenario gets its own lab directory and loopback network, so that
# scenarios (and other people's labs) never collide.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
KUBEWIZ=${KUBEWIZ:-$top_srcdir/build/kubewiz}
LAB=$top_srcdir/tests/lab/lab

# Skip (exit 77) unless root with working namespaces.
e2e_require_lab() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: the lab needs root"
		exit 77
	fi
	if ! unshare --mount --uts --pid --fork true 2>/dev/null; then
		echo "SKIP: Linux namespaces are not available here"
		exit 77
	fi
	[ -x "$KUBEWIZ" ] || e2e_fail "no kubewiz binary at $KUBEWIZ"
}

# The usual lab of these tests: skip unless the lab can run, then 3 CentOS 7
# nodes and the classic profile's $E2E_TMP/cluster.yaml.
e2e_classic_lab() {
	e2e_require_lab
	e2e_lab_up 3 --os centos7
	"$LAB" config --profile classic >"$E2E_TMP/cluster.yaml"
}

# Start a lab of $1 nodes (more lab up options follow) on network $E2E_NET,
# or on another free 127.x.y network when that one is taken (another
# build directory running the same test); E2E_NET says which.
e2e_lab_up() {
	E2E_TMP=$(mktemp -d "/tmp/kw-e2e-$E2E_NAME.XXXXXX")
	KUBEWIZ_LAB=$E2E_TMP/lab
	export KUBEWIZ_LAB KUBEWIZ_LAB_NET
	trap e2e_cleanup EXIT
	tries=0
	others=0
	while :; do
		KUBEWIZ_LAB_NET=$E2E_NET
		"$LAB" up "$@" >"$E2E_TMP/lab-up.out" 2>&1 && break
		"$LAB" down >/dev/null 2>&1 || true
		tries=$((tries + 1))
		grep -q 'already in use' "$E2E_TMP/lab-up.out" ||
			others=$((others + 1))
		if [ "$tries" -ge 20 ] || [ "$others" -ge 3 ]; then
			cat "$E2E_TMP/lab-up.out" >&2
			e2e_fail "lab up $* failed"
		fi
		E2E_NET=127.$(od -An -N2 -tu1 /dev/urandom |
		    awk '{ print 100 + $1 % 100 "." 1 + $2 % 250 }')
	done
	cat "$E2E_TMP/lab-up.out"
}

# Stop the lab and remove the scenario's files (kept with E2E_KEEP=1).
e2e_cleanup() {
	"$LAB" down >/dev/null 2>&1 || true
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "kept: $E2E_TMP"
	else
		rm -rf "$E2E_TMP"
	fi
}

# Fail the scenario with a message.
e2e_fail() {
	echo "FAIL: $E2E_NAME: $*" >&2
	exit 1
}

# Say what was checked.
e2e_ok() {
	echo "ok: $*"
}

# The number of journal lines of node $1 after line $2 whose command
# (third field) matches the extended regex $3 and whose exit status is 0.
e2e_journal_count() {
	"$LAB" journal "$1" | tail -n "+$(($2 + 1))" |
	    awk -F '\t' -v re="$3" '$2 == 0 && $3 ~ re { n++ } END { print n + 0 }'
}

# The number of lines in node $1's journal now.
e2e_journal_len() {
	"$LAB" journal "$1" | wc -l
}

# The value of a "key: value" summary line of kubewiz output file $1.
e2e_summary() {
	sed -n "s/^$2: //p" "$1" | tail -n 1
}
