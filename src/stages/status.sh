# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# status.sh: the read-only health query of "kubewiz status", run on a
# control plane. It changes nothing. It prints tab-separated rows that
# src/status.c parses (the row formats are listed in src/status.h):
# host, now, readyz, version, node, role, pod, cert, dashboard, error.
# Run-time variables: KW_STATUS_DASHBOARD_URL (the Dashboard URL recorded
# by the install, may be empty) and KW_STATUS_KUBECONFIG_B64 (kubewiz's
# admin.conf, used only when this node has no /etc/kubernetes/admin.conf).
set +e

tab=$(printf '\t')
row() {
	# One row: the fields joined by tabs (tabs and newlines inside a field
	# become spaces).
	first=1
	for f in "$@"; do
		f=$(printf '%s' "$f" | tr '\t\n\r' '   ')
		if [ "$first" = 1 ]; then
			printf '%s' "$f"
			first=0
		else
			printf '%s%s' "$tab" "$f"
		fi
	done
	printf '\n'
}

# An error row, and a failed readyz row, of kubewiz's own words: a template
# with {1}.. and its arguments (src/status.h), translated by kubewiz.
row_error() { row error "$@"; }
row_fail() { row readyz fail "$@"; }

row host "$(hostname 2>/dev/null || echo "$KW_NODE_NAME")"
row now "$(date +%s)"

kc=/etc/kubernetes/admin.conf
tmpkc=
if [ ! -r "$kc" ] && [ -n "${KW_STATUS_KUBECONFIG_B64:-}" ]; then
	tmpkc=$(umask 077 && mktemp /tmp/kubewiz-status.XXXXXX) || tmpkc=
	if [ -n "$tmpkc" ]; then
		trap 'rm -f "$tmpkc"' EXIT
		printf '%s' "$KW_STATUS_KUBECONFIG_B64" | base64 -d >"$tmpkc" 2>/dev/null
		kc=$tmpkc
	fi
fi

if ! kw_have kubectl; then
	row_fail "kubectl is not installed on {1}" "$KW_NODE_NAME"
	row_error "kubectl is not installed on {1}" "$KW_NODE_NAME"
	exit 0
fi
if [ ! -r "$kc" ]; then
	row_fail "no admin kubeconfig on {1}" "$KW_NODE_NAME"
	exit 0
fi

k() { kubectl --kubeconfig "$kc" --request-timeout=10s "$@"; }

# API readiness and version.
q_api() {
	out=$(k get --raw /readyz 2>&1)
	if [ "$out" = ok ]; then
		row readyz ok
	else
		row readyz fail "$(printf '%s\n' "$out" | grep -v '^\[+\]' | head -n 3)"
	fi
	ver=$(k get --raw /version 2>/dev/null |
	    sed -n 's/.*"gitVersion": *"\([^"]*\)".*/\1/p' | head -n 1)
	if [ -z "$ver" ]; then
		# "Server Version: v1.30.4", or version.Info{... GitVersion:"v1.20.9" ...}
		ver=$(k version 2>/dev/null | sed -n \
		    -e 's/^Server Version: .*GitVersion:"\([^"]*\)".*/\1/p' \
		    -e 's/^Server Version: \(v[0-9][^ ]*\)$/\1/p' | head -n 1)
	fi
	[ -z "$ver" ] || row version "$ver"
}

t='{"\t"}'

# Nodes and their roles.
q_nodes() {
	if ! k get nodes -o jsonpath="{range .items[*]}node$t{.metadata.name}$t{.status.conditions[?(@.type==\"Ready\")].status}$t{.status.nodeInfo.kubeletVersion}$t{.status.addresses[?(@.type==\"InternalIP\")].address}$t{.metadata.creationTimestamp}$t{.status.conditions[?(@.status==\"True\")].type}{\"\\n\"}{end}" 2>/dev/null; then
		row_error "kubectl get nodes failed on {1}" "$KW_NODE_NAME"
	fi
	for role in control-plane master; do
		k get nodes -l "node-role.kubernetes.io/$role" \
		    -o jsonpath="{range .items[*]}role$t{.metadata.name}$t$role{\"\\n\"}{end}" 2>/dev/null
	done
}

# The pods of the system namespaces (one query for all of them).
q_pods() {
	podfmt="{range .items[*]}pod$t{.metadata.namespace}$t{.metadata.name}$t{.status.phase}$t{.status.containerStatuses[*].ready}$t{.status.containerStatuses[*].restartCount}$t{.status.containerStatuses[*].state.waiting.reason}$t{.status.initContainerStatuses[*].state.waiting.reason}$t{.status.conditions[?(@.type==\"PodScheduled\")].reason}$t{.status.conditions[?(@.type==\"PodScheduled\")].message}$t{.status.reason}$t{.spec.nodeName}{\"\\n\"}{end}"
	k get pods --all-namespaces -o jsonpath="$podfmt" 2>/dev/null |
	    awk -F "$tab" '$2 ~ /^(kube-system|kube-flannel|tigera-operator|calico-system|kubernetes-dashboard|headlamp)$/'
}

# Days left on the control-plane certificates: openssl on the files, else
# kubeadm's own table for those openssl cannot read.
q_certs() {
	pki=/etc/kubernetes/pki
	unread=
	for c in apiserver apiserver-kubelet-client front-proxy-client ca etcd/server; do
		f=$pki/$c.crt
		if [ ! -f "$f" ]; then
			[ "$c" != apiserver ] || row cert "$c" missing
			continue
		fi
		e=
		if kw_have openssl; then
			end=$(openssl x509 -enddate -noout -in "$f" 2>/dev/null | sed -n 's/^notAfter=//p')
			[ -z "$end" ] || e=$(date -d "$end" +%s 2>/dev/null)
		fi
		case "$e" in
		[0-9]*) row cert "$c" end "$e" ;;
		*) unread="$unread $c" ;;
		esac
	done
	[ -n "$unread" ] || return 0
	table=
	! kw_have kubeadm || table=$(kubeadm certs check-expiration 2>/dev/null)
	failed=
	for c in $unread; do
		# kubeadm names etcd/server "etcd-server".
		name=$(printf '%s' "$c" | tr / -)
		left=$(printf '%s\n' "$table" |
		    awk -v n="$name" '$1 == n && $6 == "UTC" && NF >= 7 { print $7; exit }')
		if [ -n "$left" ]; then
			row cert "$c" residual "$left"
		else
			failed="$failed $c"
		fi
	done
	[ -z "$failed" ] ||
		row_error "could not read the expiry date of these certificates in {1}: {2}" "$pki" "${failed# }"
}

# Whether the Dashboard URL answers from here.
q_dashboard() {
	url=${KW_STATUS_DASHBOARD_URL:-}
	[ -n "$url" ] || return 0
	if kw_have curl; then
		code=$(curl -k -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null)
	else
		code=000
		row_error "curl is not installed on {1}: the Dashboard was not tested" "$KW_NODE_NAME"
	fi
	row dashboard "${code:-000}" "$url"
}

# The queries are independent: run them at once, print in order.
if out_dir=$(umask 077 && mktemp -d /tmp/kubewiz-status.XXXXXX); then
	trap 'rm -rf "$out_dir"; [ -z "$tmpkc" ] || rm -f "$tmpkc"' EXIT
	q_api >"$out_dir/1" 2>/dev/null &
	q_nodes >"$out_dir/2" 2>/dev/null &
	q_pods >"$out_dir/3" 2>/dev/null &
	q_certs >"$out_dir/4" 2>/dev/null &
	q_dashboard >"$out_dir/5" 2>/dev/null &
	wait
	cat "$out_dir/1" "$out_dir/2" "$out_dir/3" "$out_dir/4" "$out_dir/5"
else
	q_api
	q_nodes
	q_pods
	q_certs
	q_dashboard
fi
exit 0
