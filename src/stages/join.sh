# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# join.sh: "kubeadm join" on every node but the first control plane, exactly
# once. Its JoinConfiguration (kubeadm.k8s.io/v1beta2 for 1.20, v1beta3
# below 1.31, v1beta4 from 1.31) is written here from fresh data made by
# join-prep on the first control plane (KW_TOKEN, KW_CA_HASH, and
# KW_CERT_KEY for control planes); nothing scraped is ever evaluated. The
# endpoint name resolves through the /etc/hosts block of the system stage.

: "${KW_TOKEN:?kubewiz passes KW_TOKEN at run time}"
: "${KW_CA_HASH:?kubewiz passes KW_CA_HASH at run time}"

# Markers of kubewiz's own joins on this node: join-started (a join by
# kubewiz ran here: leftovers are its own, not foreign) and join-running
# (made right before kubeadm join, removed right after it succeeded). A join
# killed with kubewiz (its output pipe gone) can leave kubelet.conf behind
# without having finished (its last phases never ran), so kubelet.conf
# alone does not prove a join: while join-running is there, the join is
# reset and run again.
started=/var/lib/kubewiz/join-started
running=/var/lib/kubewiz/join-running

# Root's kubeconfig on a control plane (also when a finished join is
# skipped: the run that joined may have died before copying it).
root_kubeconfig() {
	[ "$KW_NODE_ROLE" = control-plane ] || return 0
	kw_step "kubeconfig for root"
	mkdir -p /root/.kube
	chmod 700 /root/.kube
	cp -f /etc/kubernetes/admin.conf /root/.kube/config
	chmod 600 /root/.kube/config
}

# One join at a time: a join left running on this node by a killed kubewiz
# run finishes (or fails) before this one looks at what it left.
kw_lock join

kw_stepf "checking whether {1} already joined" "$KW_NODE_NAME"
if [ -f /etc/kubernetes/kubelet.conf ] && [ ! -f "$running" ]; then
	root_kubeconfig
	kw_skipf "{1} has already joined the cluster (/etc/kubernetes/kubelet.conf exists)" "$KW_NODE_NAME"
	exit 0
fi
if [ -f /etc/kubernetes/kubelet.conf ] || [ -f /etc/kubernetes/bootstrap-kubelet.conf ] ||
    [ -f /etc/kubernetes/pki/ca.crt ] || ls /etc/kubernetes/manifests/*.yaml >/dev/null 2>&1; then
	# Leftovers: of kubewiz's own join that never finished, or foreign.
	[ -f "$started" ] || [ -f "$running" ] ||
		kw_die "{1} holds a partial or foreign Kubernetes install under /etc/kubernetes; run 'kubewiz reset' (kubeadm reset) and install again" "$KW_NODE_NAME"
	# The unfinished join may have registered the Node already; kubeadm
	# refuses to join again while a Node of that name is Ready, so the node
	# deletes its own Node object first, with its own credentials.
	if [ -f /etc/kubernetes/kubelet.conf ] && kw_have kubectl; then
		kubectl --kubeconfig /etc/kubernetes/kubelet.conf delete node \
		    "$KW_NODE_NAME" >/dev/null 2>&1 || true
	fi
	kw_reset_interrupted join
fi

# /etc/hosts first: getent asks DNS for an IPv6 address even when the
# file has the name, which stalls for seconds where the resolver is slow.
grep -qw -- "$KW_ENDPOINT" /etc/hosts ||
	getent hosts "$KW_ENDPOINT" >/dev/null 2>&1 ||
	kw_die "{1} does not resolve on {2}; the system stage writes it to /etc/hosts" "$KW_ENDPOINT" "$KW_NODE_NAME"

# The join's settings go to kubeadm in a JoinConfiguration file, 0600 in
# /var/lib/kubewiz (0700) and removed afterwards, never on its command
# line, where any user of the node could read the token and the
# certificate key (ps, /proc/PID/cmdline).
if [ "$KW_NODE_ROLE" = control-plane ]; then
	: "${KW_CERT_KEY:?kubewiz passes KW_CERT_KEY for control-plane joins}"
	kw_step "kubeadm join (control plane)"
else
	kw_step "kubeadm join (worker)"
fi
cfg=/var/lib/kubewiz/kubeadm-join.yaml
rm -f "$cfg"
(
	umask 077
	cat >"$cfg" <<YAML
apiVersion: $KW_KUBEADM_API
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: "$KW_ENDPOINT:6443"
    token: "$KW_TOKEN"
    caCertHashes:
    - "$KW_CA_HASH"
nodeRegistration:
  name: "$KW_NODE_NAME"
YAML
	if [ "$KW_RUNTIME" = containerd ]; then
		echo "  criSocket: unix:///var/run/containerd/containerd.sock" >>"$cfg"
	fi
	if [ "$KW_NODE_ROLE" = control-plane ]; then
		cat >>"$cfg" <<YAML
controlPlane:
  localAPIEndpoint:
    advertiseAddress: "$KW_NODE_ADDRESS"
    bindPort: 6443
  certificateKey: "$KW_CERT_KEY"
YAML
	fi
)
: >"$started"
: >"$running"
rc=0
kw_run_masked kubeadm join --config "$cfg" || rc=$?
rm -f "$cfg"
[ "$rc" -eq 0 ] ||
	kw_die "kubeadm join failed (see the [ERROR ...] lines above; 'journalctl -xeu kubelet' on {1})" "$KW_NODE_NAME"
# Nothing is printed before this: a run whose kubewiz died would be
# stopped by the broken pipe at its first line.
rm -f "$running"
root_kubeconfig
