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
    "dpkg": ("fk_pkg", "dpkg"),
    "lsb_release": ("fk_system", "lsb_release"),
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
        names += ["apt-get", "apt", "apt-cache", "apt-mark", "dpkg-query", "dpkg", "lsb_release", "wget"]
    res = {"bin": [], "sbin": []}
    for n in names:
        res["sbin" if n in SBIN else "bin"].append(n)
    return res


def not_root_message(name, a):
    """What the real tool says when a non-root user asks for a change."""
    words = [x for x in a if not x.startswith("-")]
    w0 = words[0] if words else ""
    if name == "swapoff" or (name == "swapon" and ("-a" in a or words)):
        return "%s: Not superuser." % name
    if name == "modprobe" and words and "-r" not in a:
        return "modprobe: ERROR: could not insert '%s': Operation not permitted" % w0
    if name == "sysctl" and ("--system" in a or "-p" in a or "-w" in a or any("=" in x for x in words)):
        k = ([x for x in words if "=" in x] or ["net.ipv4.ip_forward="])[0].split("=")[0]
        return "sysctl: permission denied on key \"%s\"" % k
    if name == "setenforce":
        return "setenforce:  setenforce() failed"
    if name == "systemctl" and w0 in ("start", "stop", "restart", "enable", "disable", "mask", "unmask",
                                      "daemon-reload", "reload"):
        return "Failed to %s %s: Interactive authentication required." % (w0, words[1] if len(words) > 1 else "")
    if name == "hostnamectl" and w0 == "set-hostname":
        return "Could not set static hostname: Interactive authentication required."
    if name in ("yum", "dnf") and w0 in ("install", "remove", "erase", "update", "upgrade", "makecache", "clean"):
        return "Error: This command has to be run with superuser privileges (under the root user on most systems)." \
            if name == "dnf" else "You need to be root to perform this command."
    if name == "yum-config-manager" and ("--add-repo" in a or "--enable" in a or "--disable" in a):
        return "You need to be root to perform this command."
    if name in ("apt-get", "apt") and w0 in ("install", "remove", "update", "upgrade", "purge"):
        return "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n" \
            "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?"
    if name == "apt-mark" and w0 in ("hold", "unhold"):
        return "E: Could not create temporary file for /var/lib/dpkg/status - mkstemp (13: Permission denied)"
    if name == "firewall-cmd" and "--state" not in a:
        return "Authorization failed.\n    Make sure polkit agent is running or run the application as superuser."
    if name == "kubeadm" and w0 in ("init", "join", "reset"):
        return "[preflight] Running pre-flight checks\nerror execution phase preflight: [preflight] Some fatal errors " \
            "occurred:\n\t[ERROR IsPrivilegedUser]: user is not running as root\n[preflight] If you know what you are " \
            "doing, you can make a check non-fatal with `--ignore-preflight-errors=...`"
    if name in ("docker", "crictl", "ctr") and w0 not in ("version", "--version", "-v", "help", ""):
        return {"docker": "permission denied while trying to connect to the Docker daemon socket at "
                          "unix:///var/run/docker.sock",
                "crictl": "crictl: permission denied",
                "ctr": "ctr: failed to dial \"/run/containerd/containerd.sock\": connection error: desc = "
                       "\"transport: error while dialing: dial unix /run/containerd/containerd.sock: connect: "
                       "permission denied\""}[name]
    return None


def tool_path(name):
    return "/usr/local/%s/%s" % ("sbin" if name in SBIN else "bin", name)


def main(argv):
    name = os.path.basename(argv[0])
    if name not in TOOLS:
        sys.stderr.write("lab fake: unknown tool %s\n" % name)
        return 127
    mod, fn = TOOLS[name]
    import labcommon
    if os.geteuid() != 0:
        msg = not_root_message(name, argv[1:])
        if msg:
            labcommon.check_faults([name] + argv[1:])
            sys.stderr.write(msg + "\n")
            labcommon.journal([name] + argv[1:], 1)
            return 1
    m = __import__(mod)
    argv = [name] + argv[1:]
    return labcommon.run_fake(name, argv, getattr(m, fn))
