# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# ready.sh: wait (at most 10 minutes) until every node of the config is Ready
# and every kube-system pod is Running. On timeout, print the evidence: the
# nodes that are not Ready, the problem pods, and the kubelet's last lines.

limit=600

# Print the configured nodes that are not Ready (empty when all are).
nodes_not_ready() {
	list=$(kw_kubectl get nodes --no-headers 2>/dev/null) || {
		echo "(the API server does not answer)"
		return 0
	}
	for n in $KW_NODE_NAMES; do
		status=$(printf '%s\n' "$list" | awk -v n="$n" '$1 == n { print $2 }')
		case $status in
		Ready | Ready,*) ;;
		"") printf '%s(missing) ' "$n" ;;
		*) printf '%s(%s) ' "$n" "$status" ;;
		esac
	done
}

# Print the kube-system pods that are neither Running (all containers ready)
# nor Completed.
pods_not_running() {
	kw_kubectl -n kube-system get pods --no-headers 2>/dev/null | awk '
		$3 == "Completed" || $3 == "Succeeded" { next }
		{
			split($2, r, "/")
			if ($3 != "Running" || r[1] != r[2])
				printf "%s(%s %s) ", $1, $3, $2
		}'
}

# Whether the cluster is complete.
all_ready() {
	[ -z "$(nodes_not_ready)" ] && [ -z "$(pods_not_running)" ] &&
	    [ -n "$(kw_kubectl -n kube-system get pods --no-headers 2>/dev/null)" ]
}

kw_step "checking nodes and system pods"
if all_ready; then
	kw_skipf "all {1} node(s) are Ready and the system pods are Running" "$KW_NODE_COUNT"
	kw_kubectl get nodes -o wide
	exit 0
fi

kw_stepf "waiting for {1} node(s) to be Ready (up to {2} minutes)" "$KW_NODE_COUNT" "$((limit / 60))"
t=0
while ! all_ready; do
	if [ "$t" -ge "$limit" ]; then
		kw_logf "timed out after {1}s; what the cluster says:" "$limit"
		kw_kubectl get nodes -o wide || true
		kw_kubectl get pods -A -o wide | awk 'NR == 1 || ($4 != "Running" && $4 != "Completed")' || true
		kw_logf "the last kubelet lines on {1}:" "$KW_NODE_NAME"
		journalctl -u kubelet -n 20 --no-pager 2>/dev/null || true
		kw_kubectl get nodes >/dev/null 2>&1 ||
			kw_die "not ready after {1}s: the API server does not answer" "$limit"
		kw_die "not ready after {1}s: nodes: {2}pods: {3}" "$limit" "$(nodes_not_ready)" "$(pods_not_running)"
	fi
	if [ $((t % 30)) -eq 0 ]; then
		nr=$(nodes_not_ready)
		pr=$(pods_not_running)
		kw_logf "{1}s: not ready: nodes: {2}; pods: {3}" "$t" "${nr:--}" "${pr:--}"
	fi
	sleep 10
	t=$((t + 10))
done
kw_kubectl get nodes -o wide
kw_kubectl get --raw=/readyz >/dev/null || kw_die "the API server does not answer /readyz"
kw_logf "all {1} node(s) are Ready" "$KW_NODE_COUNT"
