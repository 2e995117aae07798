# shellcheck shell=sh disable=SC2154 # KW_* come from the preamble
# connect.sh: learn the facts about a node (read-only). The engine keeps
# them per node, checks them across nodes (unique hostname, MAC and
# product_uuid; pod and service CIDRs against every node network) and
# passes them back to later stages as KW_FACT_* variables.

kw_step "collecting facts"

# Operating system, package manager and hardware.
kw_fact os_family "$KW_OS_FAMILY"
kw_fact os_id "$KW_OS_ID"
kw_fact os_version "$KW_OS_VERSION"
kw_fact pkg "$KW_PKG"
# What the kernel says is read by the shell where it can: every node runs
# this at once, at the start of an install.
# shellcheck disable=SC2046 # two words: the release, then the machine
set -- $(uname -r -m)
kw_fact arch "$2"
kw_fact kernel "$1"
kw_fact cpus "$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
kw_fact mem_mb "$(kw_mem_mb)"
kw_fact hostname "$(kw_hostname 2>/dev/null || true)"

case $(kw_cgroup_fs) in
cgroup2fs) kw_fact cgroup v2 ;;
tmpfs) kw_fact cgroup v1 ;;
*) kw_fact cgroup unknown ;;
esac

# Identity that must be unique across nodes.
uuid=""
if [ -r /sys/class/dmi/id/product_uuid ]; then
	read -r uuid </sys/class/dmi/id/product_uuid || true
fi
kw_fact product_uuid "$uuid"
# MACs of every interface but loopback, space-separated.
kw_fact macs "$(ip -o link | awk '{
	for (i = 1; i < NF; i++)
		if ($i == "link/ether" && !($(i + 1) in seen)) {
			seen[$(i + 1)] = 1
			printf "%s%s", sep, $(i + 1)
			sep = " "
		}
}')"

# IPv4 networks of every interface, as network CIDRs (10.0.0.0/24).
kw_fact ipv4_nets "$(ip -o -4 addr show | awk '
	function toint(a,   p) {
		split(a, p, ".")
		return ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4]
	}
	function todot(n,   s, i) {
		s = ""
		for (i = 0; i < 4; i++) {
			s = (n % 256) (i ? "." : "") s
			n = int(n / 256)
		}
		return s
	}
	{
		for (i = 1; i < NF; i++) {
			if ($i != "inet")
				continue
			split($(i + 1), c, "/")
			bits = c[2] == "" ? 32 : c[2] + 0
			size = 2 ^ (32 - bits)
			net = int(toint(c[1]) / size) * size
			cidr = todot(net) "/" bits
			if (!(cidr in seen)) {
				seen[cidr] = 1
				printf "%s%s", sep, cidr
				sep = " "
			}
		}
	}')"

# Things the system stage will change.
if kw_swap_on; then
	kw_fact swap_on yes
else
	kw_fact swap_on no
fi
if kw_have getenforce; then
	selinux=$(getenforce 2>/dev/null || true)
	case $selinux in
	Enforcing) kw_fact selinux enforcing ;;
	Permissive) kw_fact selinux permissive ;;
	Disabled) kw_fact selinux disabled ;;
	*) kw_fact selinux "$(printf '%s' "$selinux" | tr '[:upper:]' '[:lower:]')" ;;
	esac
else
	kw_fact selinux none
fi
if kw_have firewall-cmd || [ -f /usr/lib/systemd/system/firewalld.service ]; then
	kw_fact firewalld "$(systemctl is-active firewalld 2>/dev/null || true)"
else
	kw_fact firewalld none
fi

# How we are root: directly, or through sudo.
if [ -n "${SUDO_USER:-}" ]; then
	kw_fact root_method sudo
else
	kw_fact root_method root
fi
