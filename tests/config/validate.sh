#!/bin/sh
# validate.sh: "kubewiz validate" accepts the examples and rejects broken
# configs with exit status 2 and FILE:LINE:COLUMN messages.
set -u

: "${KUBEWIZ:?KUBEWIZ must name the kubewiz binary}"
: "${top_srcdir:?top_srcdir must be set}"
data=$top_srcdir/tests/unit/data
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failures=0

# fail MESSAGE: report a failed check and count it.
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run ARGS...: run kubewiz, keeping stdout, stderr and the exit status.
run() {
	"$KUBEWIZ" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_status N WHAT: the last run exited with N.
expect_status() {
	[ "$status" -eq "$1" ] || {
		fail "$2: exit status $status, expected $1"
		sed 's/^/  | /' "$tmp/out" "$tmp/err" >&2
	}
}

# expect_in FILE TEXT WHAT: the last run's out or err holds TEXT.
expect_in() {
	grep -qF -- "$2" "$tmp/$1" || {
		fail "$3: $1 lacks: $2"
		sed 's/^/  | /' "$tmp/$1" >&2
	}
}

for ex in classic modern; do
	f=$top_srcdir/examples/$ex.yaml
	run validate -f "$f"
	expect_status 0 "$ex example"
	[ -s "$tmp/err" ] && fail "$ex example: unexpected messages: $(cat "$tmp/err")"
done
run validate -f "$top_srcdir/examples/classic.yaml"
expect_in out "classic.yaml: valid: cluster demo, 3 nodes, Kubernetes 1.20.9 (classic profile: docker)" "classic summary"
run validate -f "$top_srcdir/examples/modern.yaml"
expect_in out "(modern profile: containerd)" "modern summary"

# Standard input, and --quiet.
"$KUBEWIZ" validate -f - <"$top_srcdir/examples/classic.yaml" >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "stdin"
expect_in out "<stdin>: valid: cluster demo" "stdin summary"
run validate -q -f "$top_srcdir/examples/modern.yaml"
expect_status 0 "quiet"
[ -s "$tmp/out" ] && fail "quiet: printed $(cat "$tmp/out")"

# Broken files: exit 2 and FILE:LINE:COLUMN: error: FIELD: message.
f=$data/bad-classic.yaml
run validate -f "$f"
expect_status 2 "bad-classic"
expect_in err "$f:5:14: error: kubernetes.podSubnet: 172.16.0.0/12 contains the address 172.31.0.2" "bad-classic pod subnet"
expect_in err "$f:8:11: error: nodes[0].name: the node name \"K8s-Master\" has uppercase letters" "bad-classic name"
expect_in err "$f:12:14: error: nodes[1].address: \"172.31.0.300\" is not an IPv4 or IPv6 address" "bad-classic address"
expect_in err "$f:15:5: error: nodes[2].password: passwords are never stored in the config" "bad-classic password"
expect_in err "$f:17:13: error: dashboard.nodePort: 8443 is outside the NodePort range" "bad-classic nodePort"
expect_in err "$f: invalid: 6 errors" "bad-classic count"

run validate -f "$data/tab.yaml"
expect_status 2 "tab"
expect_in err "$data/tab.yaml:3:1: error: a tab character" "tab"
run validate -f "$data/billion-laughs.yaml"
expect_status 2 "billion laughs"
expect_in err "$data/billion-laughs.yaml:1:4: error: anchors (&a) are not allowed" "billion laughs"
run validate -f "$data/latin1.yaml"
expect_status 2 "latin1"
expect_in err "$data/latin1.yaml:1:8: error: the file is not valid UTF-8" "latin1"
run validate -f "$data/empty.yaml"
expect_status 2 "empty"
expect_in err "$data/empty.yaml:1:1: error: the file is empty" "empty"
printf 'name: demo\nkubernetes: {version: "1.34.2"}\nnodes: 3\n' | "$KUBEWIZ" validate -f - >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 2 "stdin bad"
expect_in err "<stdin>:3:8: error: nodes: must be a list of nodes" "stdin bad"
# Warnings alone: valid, exit 0, the warning on stderr with its position.
printf 'name: demo\nkubernetes: {version: "1.38.0"}\nnodes: [{name: a, address: 10.0.0.1, role: control-plane}]\n' | "$KUBEWIZ" validate -f - >"$tmp/out" 2>"$tmp/err"
status=$?
expect_status 0 "warning only"
expect_in err "<stdin>:2:23: warning: kubernetes.version: Kubernetes 1.38.0 is newer" "warning only"
expect_in out "<stdin>: valid: cluster demo, 1 node, Kubernetes 1.38.0" "warning only"

run validate -f "$tmp/does-not-exist.yaml"
expect_status 2 "missing file"
expect_in err "cannot open the file" "missing file"

# Usage.
run validate --help
expect_status 0 "--help"
expect_in out "usage: kubewiz validate -f FILE" "--help"
run validate
expect_status 2 "no -f"
expect_in err "usage: kubewiz validate -f FILE" "no -f"
run validate -f
expect_status 2 "-f without a file"
run validate --bogus -f "$top_srcdir/examples/classic.yaml"
expect_status 2 "unknown option"

if [ "$failures" -ne 0 ]; then
	echo "validate.sh: $failures check(s) failed" >&2
	exit 1
fi
echo "validate.sh: all checks passed"
exit 0
