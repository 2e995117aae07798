# shellcheck shell=sh
# day2-lib.sh: helpers shared by the status, reset and add-node scenarios
# (sourced after e2e-lib.sh).

# Install the lab's classic cluster from $1 (a cluster file) into the
# scenario's state directory; fail the scenario with the output if it
# does not succeed.
day2_install() {
	_rc=0
	"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" install -f "$1" \
	    --yes >"$E2E_TMP/install.out" 2>&1 || _rc=$?
	if [ "$_rc" -ne 0 ]; then
		tail -n 60 "$E2E_TMP/install.out"
		e2e_fail "the install these checks need exited $_rc"
	fi
}

# Run "kubewiz --no-tui status lab" into file $1; prints its exit status.
day2_status() {
	_rc=0
	"$KUBEWIZ" --no-tui --state-dir "$E2E_TMP/state" status lab >"$1" 2>&1 ||
	    _rc=$?
	echo "$_rc"
}

# Whether node $1 of the lab is as clean as a fresh VM after a reset:
# no kubeconfigs, manifests, certificates or etcd data, no CNI config,
# no Kubernetes or CNI iptables chains, no CNI interfaces. Prints what is
# left and fails otherwise.
day2_node_clean() {
	# shellcheck disable=SC2016 # expanded on the node
	"$LAB" ssh "$1" '
	left=""
	for f in /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf \
	    /etc/kubernetes/kubelet.conf /etc/kubernetes/controller-manager.conf \
	    /etc/kubernetes/scheduler.conf /root/.kube/config; do
		[ ! -e "$f" ] || left="$left $f"
	done
	for d in /etc/kubernetes/manifests /etc/kubernetes/pki /var/lib/etcd \
	    /etc/cni/net.d; do
		if [ -d "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ]; then
			left="$left $d/*"
		fi
	done
	for t in filter nat mangle; do
		if iptables -t "$t" -S 2>/dev/null | grep -Eq "KUBE-|cali-|FLANNEL"; then
			left="$left iptables-$t"
		fi
	done
	for l in cni0 tunl0 flannel.1 vxlan.calico; do
		if ip link show "$l" >/dev/null 2>&1; then
			left="$left link:$l"
		fi
	done
	if [ -n "$left" ]; then
		echo "left after reset:$left"
		exit 1
	fi'
}
