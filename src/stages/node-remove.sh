# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# node-remove.sh: take one worker out of the cluster before it is reset
# ("kubewiz reset NAME --node NODE"), run on the first control plane:
# cordon and drain it (DaemonSet pods stay, emptyDir data goes), then
# delete its Node object. Run-time variable: KW_REMOVE_NODE.

: "${KW_REMOVE_NODE:?kubewiz passes KW_REMOVE_NODE at run time}"

kw_step "looking for node $KW_REMOVE_NODE"
if [ ! -f /etc/kubernetes/admin.conf ]; then
	kw_die "$KW_NODE_NAME has no /etc/kubernetes/admin.conf: is it the cluster's first control plane?"
fi
if ! kw_kubectl get node "$KW_REMOVE_NODE" >/dev/null 2>&1; then
	kw_skip "node $KW_REMOVE_NODE is not registered with the API server"
	exit 0
fi

kw_step "draining $KW_REMOVE_NODE"
if ! kw_kubectl drain "$KW_REMOVE_NODE" --ignore-daemonsets \
    --delete-emptydir-data --force --timeout=120s; then
	kw_warn "draining $KW_REMOVE_NODE did not finish; deleting it anyway"
fi

kw_step "deleting node $KW_REMOVE_NODE"
kw_kubectl delete node "$KW_REMOVE_NODE" ||
	kw_die "kubectl delete node $KW_REMOVE_NODE failed"
echo "node $KW_REMOVE_NODE is drained and deleted"
