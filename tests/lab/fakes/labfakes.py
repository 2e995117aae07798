"""labfakes: the table of lab fakes (which tool lives where, which package
ships it) and the dispatcher that runs a fake by the name it was called as."""

import os
import sys

# tool -> (module, function)
TOOLS = {
    "systemctl": ("fk_system", "systemctl"),
    "hostnamectl": ("fk_system", "hostnamectl"),
    "swapoff": ("fk_system", "swapoff"),
    "swapon": ("fk_system", "swapon"),
    "modprobe": ("fk_system", "modprobe"),
    "lsmod": ("fk_system", "lsmod"),
    "sysctl": ("fk_system", "sysctl"),
    "setenforce": ("fk_system", "setenforce"),
    "getenforce": ("fk_system", "getenforce"),
    "firewall-cmd": ("fk_system", "firewall_cmd"),
    "nproc": ("fk_system", "nproc"),
    "iptables": ("fk_system", "iptables"),
    "ip6tables": ("fk_system", "iptables"),
    "ipvsadm": ("fk_system", "ipvsadm"),
    "ip": ("fk_system", "ip"),
    "journalctl": ("fk_system", "journalctl"),
    "sudo": ("fk_system", "sudo"),
    "yum": ("fk_pkg", "yum"),
    "dnf": ("fk_pkg", "yum"),
    "yum-config-manager": ("fk_pkg", "yum_config_manager"),
    "rpm": ("fk_pkg", "rpm"),
    "apt-get": ("fk_pkg", "apt_get"),
    "apt": ("fk_pkg", "apt_get"),
    "apt-cache": ("fk_pkg", "apt_cache"),
    "apt-mark": ("fk_pkg", "apt_mark"),
    "dpkg-query": ("fk_pkg", "dpkg_query"),
    "curl": ("fk_net", "curl"),
    "wget": ("fk_net", "wget"),
    "gpg": ("fk_net", "gpg"),
    "docker": ("fk_runtime", "docker"),
    "containerd": ("fk_runtime", "containerd"),
    "ctr": ("fk_runtime", "ctr"),
    "crictl": ("fk_runtime", "crictl"),
    "kubeadm": ("fk_kubeadm", "kubeadm"),
    "kubectl": ("fk_kubectl", "kubectl"),
    "kubelet": ("fk_kubeadm", "kubelet"),
}

SBIN = {"swapoff", "swapon", "modprobe", "lsmod", "sysctl", "setenforce",
        "getenforce", "firewall-cmd", "iptables", "ip6tables", "ipvsadm", "ip"}

# Package -> tools it installs (in /usr/local/bin unless listed in SBIN).
PACKAGE_TOOLS = {
    "docker-ce": [],
    "docker-ce-cli": ["docker"],
    "containerd.io": ["containerd", "ctr"],
    "containerd": ["containerd", "ctr"],
    "kubeadm": ["kubeadm"],
    "kubelet": ["kubelet"],
    "kubectl": ["kubectl"],
    "cri-tools": ["crictl"],
    "ipvsadm": ["ipvsadm"],
}


def base_tools(osname):
    """Tools a fresh node of this OS has: {"bin": [...], "sbin": [...]}."""
    names = ["systemctl", "hostnamectl", "swapoff", "swapon", "modprobe", "lsmod",
             "sysctl", "nproc", "iptables", "ip6tables", "ip", "journalctl", "sudo",
             "curl", "gpg"]
    if osname in ("centos7", "rocky9"):
        names += ["yum", "yum-config-manager", "rpm", "setenforce", "getenforce", "firewall-cmd"]
        if osname == "rocky9":
            names += ["dnf"]
    else:
        names += ["apt-get", "apt", "apt-cache", "apt-mark", "dpkg-query", "wget"]
    res = {"bin": [], "sbin": []}
    for n in names:
        res["sbin" if n in SBIN else "bin"].append(n)
    return res


def tool_path(name):
    return "/usr/local/%s/%s" % ("sbin" if name in SBIN else "bin", name)


def main(argv):
    name = os.path.basename(argv[0])
    if name not in TOOLS:
        sys.stderr.write("lab fake: unknown tool %s\n" % name)
        return 127
    mod, fn = TOOLS[name]
    import labcommon
    m = __import__(mod)
    argv = [name] + argv[1:]
    return labcommon.run_fake(name, argv, getattr(m, fn))
