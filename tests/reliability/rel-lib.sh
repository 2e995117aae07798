# shellcheck shell=sh
# rel-lib.sh: helpers of the reliability tests (sourced after e2e-lib.sh):
# the end state of a finished install on the lab, checked as the engine's
# end-to-end tests do.

# A test stopped by a signal (make's timeout, Ctrl-C) still runs its EXIT
# trap, so its lab goes down.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Check the end state of a finished install of the lab in state directory
# $1 (cluster "lab"), whose last kubewiz output is $2: the master was
# initialised exactly once (rel_inits), each worker $3.. joined exactly
# once by a join that completed (exit 0), the Dashboard URL and token came
# from the lab's API, and no run holds the lock. Prints what is wrong and
# returns 1, or 0.
rel_check_end_state() {
	_st=$1
	_out=$2
	shift 2
	_bad=0
	_n=$(rel_inits)
	if [ "$_n" -ne 1 ]; then
		echo "the master was initialised $_n times (kubeadm init's cluster creations not undone by a reset): $("$LAB" journal 1 | grep -E 'kubeadm(-effect)? (init|reset)' | tr '\n\t' '; ')"
		_bad=1
	fi
	for _i in "$@"; do
		_n=$(e2e_journal_count "$_i" 0 '^kubeadm join ')
		if [ "$_n" -ne 1 ]; then
			echo "node $_i joined $_n times"
			_bad=1
		fi
	done
	_url=$(e2e_summary "$_out" dashboard)
	_tf=$_st/lab/dashboard-token
	if [ -z "$_url" ] || [ ! -s "$_tf" ]; then
		echo "no Dashboard URL or token file"
		return 1
	fi
	rel_check_dashboard "$_url" "$(cat "$_tf")" || _bad=1
	if ! flock -n "$_st/lab/lock" true; then
		echo "the state lock is still held"
		_bad=1
	fi
	return "$_bad"
}

# How many times the master was initialised, from its journal: inits that
# completed (exit 0), plus inits that created the cluster (the lab's
# kubeadm journals "kubeadm-effect init" then) but did not complete (killed
# with kubewiz, an init ends 141 on its broken output pipe; kubewiz rightly
# takes its control plane as done when it is complete) unless a reset
# undid them. A reset never undoes a completed init: a second init, on top
# or after such a reset, counts 2.
rel_inits() {
	"$LAB" journal 1 | awk -F '\t' '
		$3 ~ /^kubeadm-effect init / { effect = 1 }
		$3 ~ /^kubeadm init( |$)/ && $3 !~ /^kubeadm init phase/ {
			if ($2 == 0) done++
			else if (effect) severed++
			effect = 0
		}
		$3 ~ /^kubeadm reset( |$)/ && $2 == 0 { severed = 0 }
		END { print done + severed }'
}

# Check that Dashboard URL $1 and token $2 are the ones the lab's API
# server issued (admin-user's token, a Service with that NodePort).
rel_check_dashboard() {
	_port=${1##*:}
	_port=${_port%/}
	case "$1" in
	"https://$KUBEWIZ_LAB_NET.1:"*/) ;;
	*)
		echo "URL $1 is not on the master ($KUBEWIZ_LAB_NET.1)"
		return 1
		;;
	esac
	for _kind in secret svc; do
		if ! "$LAB" ssh 1 kubectl --kubeconfig /etc/kubernetes/admin.conf \
		    -n kubernetes-dashboard get "$_kind" -o json \
		    >"$E2E_TMP/$_kind.json"; then
			echo "cannot read the Dashboard ${_kind}s from the lab"
			return 1
		fi
	done
	(umask 077; printf '%s\n' "$2" >"$E2E_TMP/dashboard-token")
	# shellcheck disable=SC2154 # set by the test sourcing this file
	python3 "$top_srcdir/tests/e2e/check-token.py" "$E2E_TMP/secret.json" \
	    "$E2E_TMP/svc.json" "$E2E_TMP/dashboard-token" "$_port"
}

# Stop the lab and start it again fresh with the same layout ($@ are the
# lab up arguments), on the same network when possible.
rel_lab_fresh() {
	"$LAB" down >/dev/null 2>&1 || true
	_tries=0
	until "$LAB" up "$@" >"$E2E_TMP/lab-up.out" 2>&1; do
		"$LAB" down >/dev/null 2>&1 || true
		_tries=$((_tries + 1))
		if [ "$_tries" -ge 10 ]; then
			cat "$E2E_TMP/lab-up.out" >&2
			e2e_fail "lab up $* failed"
		fi
		KUBEWIZ_LAB_NET=127.$(od -An -N2 -tu1 /dev/urandom |
		    awk '{ print 100 + $1 % 100 "." 1 + $2 % 250 }')
	done
}

# Start an install of $E2E_TMP/cluster.yaml into state directory $1 in the
# background (output in $2); REL_PID is its pid.
rel_install_bg() {
	"$KUBEWIZ" --no-tui --state-dir "$1" install -f "$E2E_TMP/cluster.yaml" \
	    --yes >"$2" 2>&1 &
	REL_PID=$!
}

# Wait (at most $1 seconds) until the command that follows $2 succeeds;
# fail naming what was awaited ($2) if it does not or $REL_PID ends first.
rel_wait_for() {
	_limit=$1
	_what=$2
	shift 2
	_t=0
	until "$@"; do
		kill -0 "$REL_PID" 2>/dev/null || e2e_fail "kubewiz ended before $_what"
		_t=$((_t + 1))
		[ "$_t" -lt $((_limit * 5)) ] || e2e_fail "no $_what in $_limit s"
		sleep 0.2
	done
}

# Does node $1's journal have a successful command matching regex $2?
rel_journal_has() {
	[ "$(e2e_journal_count "$1" 0 "$2")" -gt 0 ]
}

# Wait (at most $3 seconds) until node $1's journal has a successful
# command matching the extended regex $2; fail if $REL_PID ends first.
rel_wait_journal() {
	rel_wait_for "$3" "node $1 running $2" rel_journal_has "$1" "$2"
}

# Resume the lab's install from state directory $1 (output in $2); fail
# unless it exits 0.
rel_resume_ok() {
	_rc=0
	"$KUBEWIZ" --no-tui --state-dir "$1" resume lab >"$2" 2>&1 || _rc=$?
	[ "$_rc" -eq 0 ] || { cat "$2"; e2e_fail "resume exited $_rc"; }
}

# Check that every node of the lab's cluster is Ready and that node $1's
# volatile state is as the stages leave it: no swap, br_netfilter loaded,
# IPv4 forwarding on, the kubelet running. Prints what is wrong.
rel_check_node_live() {
	_nodes=$("$LAB" ssh 1 kubectl --kubeconfig /etc/kubernetes/admin.conf \
	    get nodes --no-headers) || { echo "kubectl get nodes failed"; return 1; }
	_bad=0
	if [ "$(echo "$_nodes" | awk '$2 == "Ready"' | wc -l)" -ne 3 ]; then
		echo "not every node is Ready: $_nodes"
		_bad=1
	fi
	if [ -n "$("$LAB" ssh "$1" swapon --show --noheadings)" ]; then
		echo "node $1: swap is on"
		_bad=1
	fi
	if ! "$LAB" ssh "$1" lsmod | grep -q '^br_netfilter'; then
		echo "node $1: br_netfilter is not loaded"
		_bad=1
	fi
	if [ "$("$LAB" ssh "$1" sysctl -n net.ipv4.ip_forward)" != 1 ]; then
		echo "node $1: net.ipv4.ip_forward is not 1"
		_bad=1
	fi
	if ! "$LAB" ssh "$1" systemctl is-active --quiet kubelet; then
		echo "node $1: the kubelet is not active"
		_bad=1
	fi
	return "$_bad"
}
