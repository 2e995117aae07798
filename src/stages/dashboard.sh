# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# dashboard.sh: the web UI and an admin-user login token, on the first
# control plane.
#   kubernetes-dashboard: the pinned manifest (v2.3.1 classic, v2.7.0 modern,
#     the last manifest release; the project was archived in January 2026);
#     its kubernetesui/* images come through the runtime's docker.io mirrors,
#     or, without mirrors, are rewritten to the mirror registry; served over
#     HTTPS.
#   headlamp: its pinned manifest (kube-system, service "headlamp"), served
#     over HTTP on its NodePort; the same admin-user token logs in.
#   none: nothing.
# The service is exposed with "kubectl patch" to NodePort (KW_DASHBOARD_NODEPORT
# if set). The token: classic (< 1.24) reads the admin-user ServiceAccount's
# token Secret; modern uses "kubectl create token --duration". Success is
# verified by requesting the URL from this node.

case $KW_DASHBOARD_KIND in
none)
	kw_skip "dashboard.kind is none"
	exit 0
	;;
headlamp)
	ns=kube-system
	name=headlamp
	scheme=http
	;;
*)
	ns=kubernetes-dashboard
	name=kubernetes-dashboard
	scheme=https
	;;
esac
dir=/var/lib/kubewiz
manifest=$dir/$KW_DASHBOARD_KIND-$KW_DASHBOARD_VERSION.yaml

# Whether the UI is deployed, exposed as wanted and the admin user exists.
installed() {
	kw_kubectl -n "$ns" get deploy "$name" >/dev/null 2>&1 || return 1
	[ "$(kw_kubectl -n "$ns" get svc "$name" -o jsonpath='{.spec.type}' 2>/dev/null)" = NodePort ] || return 1
	if [ -n "$KW_DASHBOARD_NODEPORT" ]; then
		[ "$(kw_kubectl -n "$ns" get svc "$name" -o jsonpath='{.spec.ports[0].nodePort}' 2>/dev/null)" = "$KW_DASHBOARD_NODEPORT" ] || return 1
	fi
	kw_kubectl -n "$ns" get serviceaccount admin-user >/dev/null 2>&1 || return 1
	kw_kubectl get clusterrolebinding admin-user >/dev/null 2>&1
}

# Seconds in a Go-style duration such as 24h, 1h30m or 90m.
duration_seconds() {
	printf '%s\n' "$1" | awk '{
		s = 0; n = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (c ~ /[0-9.]/) { n = n c; continue }
			if (c == "h") s += n * 3600
			else if (c == "m") s += n * 60
			else if (c == "s") s += n
			n = ""
		}
		print int(s)
	}'
}

kw_stepf "checking {1}" "$KW_DASHBOARD_KIND"
if installed; then
	kw_logf "{1} is deployed and exposed; refreshing the token" "$KW_DASHBOARD_KIND"
	fresh=0
else
	fresh=1
	mkdir -p "$dir"
	chmod 700 "$dir"
	kw_stepf "{1} {2} manifest" "$KW_DASHBOARD_KIND" "$KW_DASHBOARD_VERSION"
	if [ -n "$KW_DASHBOARD_DATA" ]; then
		# dashboard.manifest named a local file; kubewiz sent its content.
		printf '%s\n' "$KW_DASHBOARD_DATA" >"$manifest.orig"
	else
		case $KW_DASHBOARD_URL in
		http://* | https://*) kw_fetch "$KW_DASHBOARD_URL" "$manifest.orig" ;;
		*) kw_die "dashboard.manifest {1} could not be read on the machine running kubewiz" "${KW_DASHBOARD_URL#*:}" ;;
		esac
	fi
	if [ -n "$KW_DASHBOARD_IMAGE_REPO" ]; then
		# kubernetesui/dashboard and kubernetesui/metrics-scraper from the mirror.
		sed "s#\(image:[[:space:]]*\)\(docker\.io/\)\{0,1\}kubernetesui/#\1$KW_DASHBOARD_IMAGE_REPO/#" \
		    "$manifest.orig" >"$manifest"
	else
		cp -f "$manifest.orig" "$manifest"
	fi
	rm -f "$manifest.orig"
	grep -E '^[[:space:]]*image:' "$manifest" || true

	kw_stepf "applying {1}" "$KW_DASHBOARD_KIND"
	kw_kubectl apply -f "$manifest"

	kw_stepf "exposing {1} as a NodePort" "$name"
	if [ -n "$KW_DASHBOARD_NODEPORT" ]; then
		port0=$(kw_kubectl -n "$ns" get svc "$name" -o jsonpath='{.spec.ports[0].port}')
		patch=$(printf '{"spec":{"type":"NodePort","ports":[{"port":%s,"nodePort":%s}]}}' \
		    "$port0" "$KW_DASHBOARD_NODEPORT")
	else
		patch='{"spec":{"type":"NodePort"}}'
	fi
	kw_kubectl -n "$ns" patch svc "$name" -p "$patch"

	kw_step "admin-user ServiceAccount and cluster-admin binding"
	kw_kubectl apply -f - <<YAML
apiVersion: v1
kind: ServiceAccount
metadata:
  name: admin-user
  namespace: $ns
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: admin-user
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: admin-user
  namespace: $ns
YAML
fi

kw_stepf "waiting for {1} to be available" "$name"
kw_kubectl -n "$ns" rollout status "deploy/$name" --timeout=300s ||
	kw_die "{1} did not become available in 5 minutes; see 'kubectl -n {2} get pods' and 'kubectl -n {2} describe deploy {1}'" "$name" "$ns"

kw_step "admin-user token"
if [ "$KW_PROFILE" = classic ]; then
	# < 1.24: the token controller makes a Secret for the ServiceAccount.
	secret=""
	t=0
	while [ -z "$secret" ] && [ "$t" -lt 60 ]; do
		secret=$(kw_kubectl -n "$ns" get sa/admin-user -o jsonpath='{.secrets[0].name}' 2>/dev/null || true)
		[ -n "$secret" ] || { sleep 2; t=$((t + 2)); }
	done
	[ -n "$secret" ] || kw_die "the admin-user ServiceAccount has no token Secret"
	token=$(kw_kubectl -n "$ns" get secret "$secret" -o jsonpath='{.data.token}' | base64 -d)
	expires=never
else
	token=$(kw_kubectl -n "$ns" create token admin-user --duration="$KW_TOKEN_DURATION")
	secs=$(duration_seconds "$KW_TOKEN_DURATION")
	expires=$(date -u -d "@$(($(date +%s) + secs))" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "in $KW_TOKEN_DURATION")
fi
[ -n "$token" ] || kw_die "could not get the admin-user token"

port=$(kw_kubectl -n "$ns" get svc "$name" -o jsonpath='{.spec.ports[0].nodePort}')
case $port in
'' | *[!0-9]*) kw_die "the {1} service has no NodePort" "$name" ;;
esac
url="$scheme://$KW_CP_ADDRESS:$port/"

kw_stepf "checking {1}" "$url"
# Whether the UI answers (any HTTP status; TLS is self-signed).
answers() {
	if kw_have curl; then
		curl -ks -o /dev/null -m 10 "$url"
	else
		wget -q --no-check-certificate -T 10 -O /dev/null "$url"
	fi
}
kw_wait 300 "$url to answer" answers ||
	kw_die "{1} does not answer from {2} after 5 minutes" "$url" "$KW_NODE_NAME"
[ "$fresh" -eq 1 ] || kw_skipf "{1} was already installed" "$KW_DASHBOARD_KIND"

kw_output DASHBOARD_PORT "$port"
kw_output DASHBOARD_URL "$url"
kw_output SECRET_DASHBOARD_TOKEN "$token"
kw_output TOKEN_EXPIRES "$expires"
