# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# preflight.sh: checks on one node before anything is changed (read-only).
# Cross-node checks (unique hostnames, MACs and product_uuids, CIDRs against
# node networks) are done by the engine from the connect facts.

errors=0
# Record a failed check; the stage fails at the end, after every check ran.
# Arguments as kw_die's: a template and its values.
check_failed() {
	kw_tmpl error "$@" >&2
	errors=$((errors + 1))
}

kw_step "checking privileges"
[ "$(id -u)" -eq 0 ] || check_failed "the stage scripts must run as root (uid is {1})" "$(id -u)"

kw_step "checking the operating system"
if [ "$KW_PROFILE" = classic ]; then
	if ! kw_os_is_el7; then
		kw_warnf "{1}: the classic profile (Kubernetes {2}, Docker) was written for CentOS/RHEL 7; this node runs {3} {4}" "$KW_NODE_NAME" "$KW_K8S_VERSION" "$KW_OS_ID" "$KW_OS_VERSION"
	fi
	[ "$KW_OS_FAMILY" = rpm ] ||
		check_failed "the classic profile (Kubernetes < 1.24 with Docker) needs a RHEL-family OS (CentOS 7); this node runs {1} {2}. Choose Kubernetes >= 1.24 for Debian or Ubuntu." "$KW_OS_ID" "$KW_OS_VERSION"
else
	if kw_os_is_el7; then
		check_failed "Kubernetes {1} needs a newer OS than {2} {3} (EL7 is end of life; use Rocky/Alma 9 or Ubuntu 22.04+, or Kubernetes < 1.24 with the classic profile)" "$KW_K8S_VERSION" "$KW_OS_ID" "$KW_OS_VERSION"
	fi
	# SystemVerification wants kernel >= 4.19 (EL8's 4.18 fails on ~1.32/1.33).
	# (kw_version_ge reads "4.18.0-553.el8" as 4.18.0.)
	kernel=$(uname -r)
	if ! kw_version_ge "$kernel" 4.19; then
		kw_warnf "{1}: kernel {2} is older than 4.19; kubeadm {3} may refuse it (SystemVerification)" "$KW_NODE_NAME" "$kernel" "$KW_K8S_MINOR"
	fi
fi

# Kubernetes >= 1.35 refuses cgroup v1 hosts (failCgroupV1 defaults to true).
kw_step "checking cgroups"
if kw_k8s_ge 1.35 && cgfs=$(kw_cgroup_fs) && [ "$cgfs" != cgroup2fs ]; then
	check_failed "Kubernetes {1} requires cgroup v2, but this node uses cgroup v1 ({2} on /sys/fs/cgroup). Fix: use an OS with cgroup v2 (Rocky/Alma 9, Ubuntu 22.04+, Debian 12), or on EL8 run 'grubby --update-kernel=ALL --args=systemd.unified_cgroup_hierarchy=1' and reboot; or choose Kubernetes 1.34 or older" "$KW_K8S_VERSION" "$cgfs"
fi

# kubeadm's NumCPU and Mem checks apply to control planes.
if [ "$KW_NODE_ROLE" = control-plane ]; then
	kw_step "checking CPUs and memory"
	cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
	mem=$(kw_mem_mb)
	[ "$cpus" -ge 2 ] ||
		check_failed "a control plane needs at least 2 CPUs; this node has {1}" "$cpus"
	[ "$mem" -ge 1700 ] ||
		check_failed "a control plane needs at least 1700 MB of memory; this node has {1} MB" "$mem"
fi

kw_step "checking required tools"
if ! kw_have curl && ! kw_have wget; then
	check_failed "neither curl nor wget is installed; install one of them"
fi
for tool in awk sed grep ip stat systemctl; do
	kw_have "$tool" || check_failed "required command '{1}' is missing" "$tool"
done
case $KW_PKG in
apt) kw_have apt-get || check_failed "apt-get is missing" ;;
dnf | yum) kw_have rpm || check_failed "rpm is missing" ;;
esac

# Ports kubeadm needs free: only meaningful before this node joined a cluster
# (on a re-run our own cluster holds them).
kw_step "checking ports"
if [ -f /etc/kubernetes/kubelet.conf ] || [ -f /etc/kubernetes/admin.conf ]; then
	kw_skip "ports: this node is already part of the cluster"
elif ! kw_have ss; then
	kw_warnf "{1}: 'ss' is missing; cannot check that the Kubernetes ports are free" "$KW_NODE_NAME"
else
	if [ "$KW_NODE_ROLE" = control-plane ]; then
		ports="6443 2379 2380 10250 10257 10259"
	else
		ports="10250 10256"
	fi
	busy=$(ss -ltn 2>/dev/null | awk -v want="$ports" '
		BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) need[w[i]] = 1 }
		NR > 1 {
			p = $4
			sub(/.*:/, "", p)
			if ((p in need) && !(p in seen)) {
				seen[p] = 1
				printf "%s%s", sep, p
				sep = " "
			}
		}')
	if [ -n "$busy" ]; then
		# Evidence for the log: who listens there.
		ss -ltnp 2>/dev/null | awk -v busy=" $busy " 'NR == 1 {
			print; next } { p = $4; sub(/.*:/, "", p) } index(busy, " " p " ")'
		check_failed "ports already in use: {1} (kubeadm needs them free; see 'ss -ltnp')" "$busy"
	fi
fi

if [ "$errors" -gt 0 ]; then
	kw_die "{1}: {2} preflight check(s) failed" "$KW_NODE_NAME" "$errors"
fi
