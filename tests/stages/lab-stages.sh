#!/bin/sh
# tests/stages/lab-stages.sh: the rendered stage scripts themselves, piped
# by hand (as "kubewiz plan" prints them) to a 2-node modern lab (Rocky 9),
# without the engine: every stage succeeds in order; a second pass of every
# stage reports "skip"; an interrupted join is reset and run again; a
# foreign partial control plane is refused. Skipped (77) without the lab.
set -eu
# shellcheck disable=SC2034 # used by e2e-lib.sh
E2E_NAME=stages-lab
# shellcheck disable=SC2034
E2E_NET=127.0.66
# shellcheck source=tests/e2e/e2e-lib.sh
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/e2e-lib.sh"

e2e_require_lab
e2e_lab_up 2 --os rocky9
cfg=$E2E_TMP/cluster.yaml
"$LAB" config --profile modern >"$cfg"

# A bootstrap token and a certificate key, as the engine makes them.
token() {
	printf '%s.%s' "$(tr -dc 'a-z0-9' </dev/urandom | head -c 6)" \
	    "$(tr -dc 'a-z0-9' </dev/urandom | head -c 16)"
}
certkey=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')

# The script of one task from the plan (part $4: 1 = first, 2 = second).
task() {
	"$KUBEWIZ" plan -f "$cfg" --node "$1" --stage "$2" |
	    awk -v want="${3:-1}" '/^# ==== kubewiz plan: / { n++; next } n == want'
}

# Run a task's script on lab node $1; $2 = node name, $3 = stage, then
# optional KEY=VALUE run-time values. Output in $E2E_TMP/$2-$3.out.
run() {
	i=$1 name=$2 stage=$3 part=1
	shift 3
	if [ "$stage" = join-prep ]; then
		stage="join"
	elif [ "$stage" = join ]; then
		part=2
	fi
	script=$(task "$name" "$stage" "$part")
	for kv in "$@"; do
		script=$(printf '%s\n' "$script" |
		    sed "s|^${kv%%=*}='.*'\$|${kv%%=*}='${kv#*=}'|")
	done
	rc=0
	printf '%s\n' "$script" | "$LAB" ssh "$i" sh -s \
	    >"$E2E_TMP/$name-$stage-$part.out" 2>&1 || rc=$?
	out=$E2E_TMP/$name-$stage-$part.out
}

# Run a task that must succeed.
must() {
	run "$@"
	[ "$rc" -eq 0 ] || { tail -n 20 "$out"; e2e_fail "$2 $3 exited $rc"; }
}

# Join node $1 ($2) through join-prep on node 1, as the engine does.
join() {
	t=$(token)
	run 1 "$2" join-prep "KW_TOKEN=$t"
	[ "$rc" -eq 0 ] || { tail -n 20 "$out"; e2e_fail "join-prep for $2 exited $rc"; }
	hash=$(sed -n 's/^::kubewiz:: output CA_HASH=//p' "$out")
	printf '%s\n' "$hash" | grep -qx 'sha256:[0-9a-f]\{64\}' ||
		e2e_fail "join-prep printed no CA hash"
	must "$1" "$2" join "KW_TOKEN=$t" "KW_CA_HASH=$hash"
}

# First pass: every stage in order.
for pass in 1 2; do
	for s in connect preflight system runtime packages images; do
		must 1 k8s-master "$s"
		must 2 k8s-node1 "$s"
		if [ "$pass" = 2 ] && [ "$s" != connect ]; then
			grep -Eq '^::kubewiz:: skipf? ' "$out" ||
				e2e_fail "second pass of $s did not skip"
		fi
	done
	must 1 k8s-master init "KW_TOKEN=$(token)" "KW_CERT_KEY=$certkey"
	grep -q '^::kubewiz:: output SECRET_ADMIN_CONF_B64=' "$out" ||
		e2e_fail "init printed no admin kubeconfig"
	if grep -E -q '[a-z0-9]{6}\.[a-z0-9]{16}' "$out"; then
		e2e_fail "a bootstrap token reached init's output"
	fi
	must 1 k8s-master network
	join 2 k8s-node1
	must 1 k8s-master ready
	must 1 k8s-master dashboard
	grep -q '^::kubewiz:: output DASHBOARD_URL=https://127\.' "$out" ||
		e2e_fail "no dashboard URL"
	if [ "$pass" = 2 ]; then
		for s in init network join ready; do
			f=$E2E_TMP/k8s-master-$s-1.out
			[ "$s" = join ] && f=$E2E_TMP/k8s-node1-join-2.out
			grep -Eq '^::kubewiz:: skipf? ' "$f" ||
				e2e_fail "second pass of $s did not skip"
		done
	fi
	e2e_ok "pass $pass of every stage"
done
[ "$(e2e_journal_count 1 0 '^kubeadm init( |$)')" -eq 1 ] ||
	e2e_fail "kubeadm init ran more than once"
[ "$(e2e_journal_count 2 0 '^kubeadm join ')" -eq 1 ] ||
	e2e_fail "kubeadm join ran more than once"
e2e_ok "init and join ran once over two passes"

# An interrupted join (kubewiz's marker, no kubelet.conf): reset, joined again.
"$LAB" ssh 2 rm -f /etc/kubernetes/kubelet.conf
join 2 k8s-node1
grep -Eq '^::kubewiz:: warnf? .*an interrupted kubeadm' "$out" ||
	e2e_fail "no warning about the interrupted join"
[ "$(e2e_journal_count 2 0 '^kubeadm reset')" -eq 1 ] ||
	e2e_fail "the interrupted join was not reset"
e2e_ok "an interrupted join is reset and run again"

# A join that never completed although the kubelet got its credentials
# (join-running left, kubelet.conf there): reset and joined again, not
# skipped.
"$LAB" ssh 2 touch /var/lib/kubewiz/join-running
join 2 k8s-node1
[ "$(e2e_journal_count 2 0 '^kubeadm reset')" -eq 2 ] ||
	e2e_fail "a join that never completed was not reset"
"$LAB" ssh 2 test ! -e /var/lib/kubewiz/join-running ||
	e2e_fail "join-running is left after a completed join"
e2e_ok "a join that never completed is reset even with kubelet.conf there"

# A control plane kubewiz did not make (no markers) is refused, not re-made.
"$LAB" ssh 1 rm -f /var/lib/kubewiz/init-started /var/lib/kubewiz/init-done \
    /etc/kubernetes/admin.conf
run 1 k8s-master init "KW_TOKEN=$(token)" "KW_CERT_KEY=$certkey"
[ "$rc" -ne 0 ] || e2e_fail "init accepted a foreign partial control plane"
grep -q "partial or foreign Kubernetes install" "$out" ||
	e2e_fail "no clear message for a foreign control plane"
[ "$(e2e_journal_count 1 0 '^kubeadm (init|reset)( |$)')" -eq 1 ] ||
	e2e_fail "init touched a foreign control plane"
e2e_ok "a foreign partial control plane is refused"
