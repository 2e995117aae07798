# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# reset.sh: undo kubeadm on one node ("kubewiz reset"). kubeadm reset does
# not clean the CNI configuration, iptables/IPVS rules, CNI interfaces or
# kubeconfigs, so this does. Packages, the runtime and the system settings
# stay (install again converges from there).

kw_stepf "checking for Kubernetes on {1}" "$KW_NODE_NAME"
if ! ls /etc/kubernetes/manifests/*.yaml >/dev/null 2>&1 &&
    [ ! -f /etc/kubernetes/kubelet.conf ] && [ ! -f /etc/kubernetes/admin.conf ] &&
    [ ! -d /etc/cni/net.d ]; then
	kw_skipf "{1} holds no Kubernetes state" "$KW_NODE_NAME"
	exit 0
fi

if kw_have kubeadm; then
	kw_step "kubeadm reset"
	if [ "$KW_RUNTIME" = containerd ]; then
		kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock
	else
		kubeadm reset -f
	fi
fi

kw_step "CNI configuration, iptables and interfaces"
rm -rf /etc/cni/net.d /root/.kube/config /var/lib/kubewiz
if kw_have iptables; then
	for t in filter nat mangle; do
		iptables -t "$t" -F || true
	done
	iptables -X || true
fi
if kw_have ipvsadm; then
	ipvsadm -C 2>/dev/null || true
fi
for i in cni0 tunl0 vxlan.calico flannel.1; do
	ip link del "$i" 2>/dev/null || true
done

kw_stepf "restarting {1}" "$KW_RUNTIME"
systemctl restart "$KW_RUNTIME" || kw_warnf "{1}: could not restart {2}" "$KW_NODE_NAME" "$KW_RUNTIME"

if ls /etc/kubernetes/manifests/*.yaml >/dev/null 2>&1 || [ -f /etc/kubernetes/kubelet.conf ]; then
	kw_die "Kubernetes files remain under /etc/kubernetes after the reset"
fi
kw_logf "{1} is clean" "$KW_NODE_NAME"
