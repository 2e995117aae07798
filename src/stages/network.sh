# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# network.sh: the Calico pod network, on the first control plane right after
# init. The pinned manifest (KW_CALICO_URL: v3.20 for classic, which is the
# last one supporting 1.20; a current v3.x for modern) is downloaded on the
# node, CALICO_IPV4POOL_CIDR is set to the pod subnet (the manifest ships it
# commented out), and it is applied with "kubectl apply" (idempotent). Its
# docker.io images come through the runtime's registry mirrors.

dir=/var/lib/kubewiz
manifest=$dir/calico-$KW_CALICO_VERSION.yaml

# Whether Calico is installed with this pod subnet and rolled out.
calico_ok() {
	kw_kubectl -n kube-system get ds calico-node >/dev/null 2>&1 || return 1
	cidr=$(kw_kubectl -n kube-system get ds calico-node \
	    -o jsonpath='{.spec.template.spec.containers[0].env[?(@.name=="CALICO_IPV4POOL_CIDR")].value}' 2>/dev/null || true)
	[ "$cidr" = "$KW_POD_SUBNET" ] || return 1
	kw_kubectl -n kube-system rollout status ds/calico-node --timeout=10s >/dev/null 2>&1
}

kw_step "checking Calico"
if calico_ok; then
	kw_skipf "Calico {1} is running with pool {2}" "$KW_CALICO_VERSION" "$KW_POD_SUBNET"
	exit 0
fi

if [ -z "$KW_MIRRORS" ] && [ -n "$KW_DASHBOARD_IMAGE_REPO" ]; then
	# A mirror registry but no runtime mirrors: docker.io may be unreachable.
	kw_warnf "{1}: Calico's images come from docker.io and registry.mirrors is empty; if docker.io is unreachable, calico-node stays in ImagePullBackOff" "$KW_NODE_NAME"
fi

kw_stepf "downloading Calico {1}" "$KW_CALICO_VERSION"
mkdir -p "$dir"
chmod 700 "$dir"
kw_fetch "$KW_CALICO_URL" "$manifest.orig"

kw_stepf "setting CALICO_IPV4POOL_CIDR to {1}" "$KW_POD_SUBNET"
kw_calico_set_cidr "$manifest.orig" "$manifest" "$KW_POD_SUBNET" ||
	kw_die "the Calico manifest from {1} has no single CALICO_IPV4POOL_CIDR setting to edit" "$KW_CALICO_URL"
rm -f "$manifest.orig"
grep -A1 -- '- name: CALICO_IPV4POOL_CIDR' "$manifest"

kw_step "applying Calico"
kw_kubectl apply -f "$manifest"

kw_step "waiting for calico-node to roll out"
kw_kubectl -n kube-system rollout status ds/calico-node --timeout=300s ||
	kw_die "calico-node did not become ready in 5 minutes; see 'kubectl -n kube-system get pods -o wide' and 'kubectl -n kube-system describe pod -l k8s-app=calico-node'"
