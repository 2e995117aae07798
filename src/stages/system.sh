# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# system.sh: prepare the OS for kubeadm: hostname, /etc/hosts, SELinux,
# swap, kernel modules, sysctl, firewalld, and (classic, CentOS 7) the
# vault repositories. Each step checks first and changes only what differs.
#
# firewalld: kubewiz stops and disables it. Calico's documentation advises
# so (firewalld's rules break pod-to-pod traffic across nodes), and kubeadm
# only warns about it; filter traffic at the network edge instead. The
# summary carries a warning when it was active.

changed=0

# Hostname = the node's name in the config.
kw_step "hostname"
if [ "$(kw_hostname)" = "$KW_NODE_NAME" ]; then
	kw_logf "hostname is already {1}" "$KW_NODE_NAME"
else
	hostnamectl set-hostname "$KW_NODE_NAME"
	changed=1
fi

# /etc/hosts: every node, and the control-plane endpoint on the first control
# plane's address, in a block kubewiz owns and rewrites as a whole.
kw_step "/etc/hosts"
hosts_block() {
	echo "# BEGIN kubewiz (managed by kubewiz; changes here are overwritten)"
	printf '%s\n' "$KW_HOSTS"
	printf '%s %s\n' "$KW_CP_ADDRESS" "$KW_ENDPOINT"
	echo "# END kubewiz"
}
# The lines outside kubewiz's block, read by the shell.
hosts_others() {
	_skip=0
	while IFS= read -r _l || [ -n "$_l" ]; do
		case $_l in
		"# BEGIN kubewiz"*) _skip=1 ;;
		"# END kubewiz"*) _skip=0 ;;
		*) [ "$_skip" -eq 1 ] || printf '%s\n' "$_l" ;;
		esac
	done </etc/hosts
}
others=$(hosts_others) || kw_die "cannot read /etc/hosts"
if { [ -z "$others" ] || printf '%s\n' "$others"; hosts_block; } |
    kw_put_file /etc/hosts 644; then
	kw_logf "updated /etc/hosts"
	changed=1
else
	kw_logf "/etc/hosts is up to date"
fi

# SELinux permissive (RPM family): the kubelet and containers need it.
if [ "$KW_OS_FAMILY" = rpm ] && kw_have getenforce; then
	kw_step "SELinux"
	if [ "$(getenforce)" = Enforcing ]; then
		setenforce 0
		changed=1
	fi
	if [ -f /etc/selinux/config ] && kw_file_has_line_prefix /etc/selinux/config SELINUX=enforcing; then
		sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
		changed=1
	fi
fi

# Swap off now and at boot (fstab entries commented out, zram disabled).
kw_step "swap"
if kw_swap_on; then
	swapoff -a
	changed=1
fi
if grep -Eq '^[^#].*[[:space:]]swap[[:space:]]' /etc/fstab 2>/dev/null; then
	sed -ri '/^[^#].*\sswap\s/s/^/#/' /etc/fstab
	changed=1
fi
if [ -f /usr/lib/systemd/zram-generator.conf ] || [ -f /etc/systemd/zram-generator.conf ]; then
	# An empty config file disables zram-generator's swap devices.
	if : | kw_put_file /etc/systemd/zram-generator.conf 644 empty-ok; then
		changed=1
	fi
fi

# Kernel modules for the container runtime and bridged traffic.
kw_step "kernel modules"
if printf 'overlay\nbr_netfilter\n' | kw_put_file /etc/modules-load.d/k8s.conf 644; then
	changed=1
fi
for mod in overlay br_netfilter; do
	if ! kw_module_loaded "$mod"; then
		modprobe "$mod"
		changed=1
	fi
done

# sysctl: forwarding and bridged traffic through iptables.
kw_step "sysctl"
if printf '%s\n' 'net.bridge.bridge-nf-call-iptables = 1' \
    'net.bridge.bridge-nf-call-ip6tables = 1' 'net.ipv4.ip_forward = 1' |
    kw_put_file /etc/sysctl.d/k8s.conf 644 ||
    [ "$(kw_sysctl net.ipv4.ip_forward)" != 1 ] ||
    [ "$(kw_sysctl net.bridge.bridge-nf-call-iptables)" != 1 ]; then
	sysctl --system >/dev/null
	changed=1
fi
[ "$(kw_sysctl net.ipv4.ip_forward)" = 1 ] ||
	kw_die "net.ipv4.ip_forward is still 0 after 'sysctl --system'"

# firewalld: stopped and disabled (see the top of this file).
if systemctl is-active --quiet firewalld 2>/dev/null ||
    systemctl is-enabled --quiet firewalld 2>/dev/null; then
	kw_step "firewalld"
	systemctl disable --now firewalld
	kw_warnf "{1}: firewalld was stopped and disabled (Calico needs it off); filter traffic at the network edge" "$KW_NODE_NAME"
	changed=1
fi

# NetworkManager must leave Calico's interfaces alone.
if [ -d /etc/NetworkManager/conf.d ]; then
	kw_step "NetworkManager"
	if printf '%s\n' '[keyfile]' \
	    'unmanaged-devices=interface-name:cali*;interface-name:tunl*;interface-name:vxlan.calico;interface-name:vxlan-v6.calico;interface-name:wireguard.cali;interface-name:wg-v6.cali' |
	    kw_put_file /etc/NetworkManager/conf.d/calico.conf 644; then
		systemctl reload NetworkManager 2>/dev/null || true
		changed=1
	fi
fi

# CentOS 7 is end of life and mirrorlist.centos.org is gone: point the base
# repositories at the vault (on the package mirror when there is one).
if [ "$KW_PROFILE" = classic ] && kw_os_is_el7 && [ "$KW_OS_ID" = centos ]; then
	kw_step "CentOS 7 vault repositories"
	if [ -n "$KW_PKG_MIRROR" ]; then
		vault="$KW_PKG_MIRROR/centos-vault/7.9.2009"
	else
		vault="https://vault.centos.org/7.9.2009"
	fi
	if {
		# Repository ids and their directories on the vault.
		for repo in base:os updates:updates extras:extras; do
			# shellcheck disable=SC2016 # $basearch is for yum
			printf '[%s]\nname=CentOS-7 - %s (vault)\nbaseurl=%s/%s/$basearch/\n' \
			    "${repo%%:*}" "${repo%%:*}" "$vault" "${repo#*:}"
			printf 'gpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7\nenabled=1\n\n'
		done
	} | kw_put_file /etc/yum.repos.d/CentOS-Base.repo 644; then
		echo "CentOS-Base.repo now points at $vault"
		changed=1
	fi
fi

if [ "$changed" -eq 0 ]; then
	kw_skip "the system is already prepared"
fi
