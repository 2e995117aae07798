# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# join.sh: "kubeadm join" on every node but the first control plane, exactly
# once. The command is built here from fresh data made by join-prep on the
# first control plane (KW_TOKEN, KW_CA_HASH, and KW_CERT_KEY for control
# planes); nothing scraped is ever evaluated. The endpoint name resolves
# through the /etc/hosts block of the system stage.

: "${KW_TOKEN:?kubewiz passes KW_TOKEN at run time}"
: "${KW_CA_HASH:?kubewiz passes KW_CA_HASH at run time}"

started=/var/lib/kubewiz/join-started

kw_stepf "checking whether {1} already joined" "$KW_NODE_NAME"
if [ -f /etc/kubernetes/kubelet.conf ]; then
	kw_skipf "{1} has already joined the cluster (/etc/kubernetes/kubelet.conf exists)" "$KW_NODE_NAME"
	exit 0
fi
if [ -f /etc/kubernetes/bootstrap-kubelet.conf ] || [ -f /etc/kubernetes/pki/ca.crt ] ||
    ls /etc/kubernetes/manifests/*.yaml >/dev/null 2>&1; then
	# Leftovers: of kubewiz's own join that never finished, or foreign.
	[ -f "$started" ] ||
		kw_die "{1} holds a partial or foreign Kubernetes install under /etc/kubernetes; run 'kubewiz reset' (kubeadm reset) and install again" "$KW_NODE_NAME"
	kw_reset_interrupted join
fi

getent hosts "$KW_ENDPOINT" >/dev/null 2>&1 ||
	grep -qw -- "$KW_ENDPOINT" /etc/hosts ||
	kw_die "{1} does not resolve on {2}; the system stage writes it to /etc/hosts" "$KW_ENDPOINT" "$KW_NODE_NAME"

set -- "$KW_ENDPOINT:6443" --token "$KW_TOKEN" \
    --discovery-token-ca-cert-hash "$KW_CA_HASH"
if [ "$KW_RUNTIME" = containerd ]; then
	set -- "$@" --cri-socket unix:///var/run/containerd/containerd.sock
fi
if [ "$KW_NODE_ROLE" = control-plane ]; then
	: "${KW_CERT_KEY:?kubewiz passes KW_CERT_KEY for control-plane joins}"
	kw_step "kubeadm join (control plane)"
	set -- "$@" --control-plane --certificate-key "$KW_CERT_KEY" \
	    --apiserver-advertise-address "$KW_NODE_ADDRESS"
else
	kw_step "kubeadm join (worker)"
fi
mkdir -p /var/lib/kubewiz
chmod 700 /var/lib/kubewiz
: >"$started"
kw_run_masked kubeadm join "$@" ||
	kw_die "kubeadm join failed (see the [ERROR ...] lines above; 'journalctl -xeu kubelet' on {1})" "$KW_NODE_NAME"

if [ "$KW_NODE_ROLE" = control-plane ]; then
	kw_step "kubeconfig for root"
	mkdir -p /root/.kube
	chmod 700 /root/.kube
	cp -f /etc/kubernetes/admin.conf /root/.kube/config
	chmod 600 /root/.kube/config
fi
