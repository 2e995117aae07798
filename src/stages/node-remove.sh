# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# node-remove.sh: take one worker out of the cluster before it is reset
# ("kubewiz reset NAME --node NODE"), run on the first control plane:
# cordon and drain it (DaemonSet pods stay, emptyDir data goes), then
# delete its Node object. Run-time variable: KW_REMOVE_NODE.

: "${KW_REMOVE_NODE:?kubewiz passes KW_REMOVE_NODE at run time}"

kw_stepf "looking for node {1}" "$KW_REMOVE_NODE"
if [ ! -f /etc/kubernetes/admin.conf ]; then
	kw_die "{1} has no /etc/kubernetes/admin.conf: is it the cluster's first control plane?" "$KW_NODE_NAME"
fi
if ! kw_kubectl get node "$KW_REMOVE_NODE" >/dev/null 2>&1; then
	kw_skipf "node {1} is not registered with the API server" "$KW_REMOVE_NODE"
	exit 0
fi

kw_stepf "draining {1}" "$KW_REMOVE_NODE"
if ! kw_kubectl drain "$KW_REMOVE_NODE" --ignore-daemonsets \
    --delete-emptydir-data --force --timeout=120s; then
	kw_warnf "draining {1} did not finish; deleting it anyway" "$KW_REMOVE_NODE"
fi

kw_stepf "deleting node {1}" "$KW_REMOVE_NODE"
kw_kubectl delete node "$KW_REMOVE_NODE" ||
	kw_die "kubectl delete node {1} failed" "$KW_REMOVE_NODE"
kw_logf "node {1} is drained and deleted" "$KW_REMOVE_NODE"
