"""pkgdata: the package repositories the lab knows, by URL, and what each
offers (names, versions, releases). A repository whose URL is not here is
unreachable, as it would be on an offline or blocked network."""

import re

# Latest patch of each Kubernetes minor the lab serves.
K8S_LATEST = {16: 15, 17: 17, 18: 20, 19: 16, 20: 15, 21: 14, 22: 17, 23: 17, 24: 17,
              25: 16, 26: 15, 27: 16, 28: 15, 29: 15, 30: 14, 31: 14, 32: 11, 33: 7,
              34: 3, 35: 1, 36: 2}
# The frozen legacy trees (Aliyun's kubernetes-el7 / kubernetes-xenial) stop here.
LEGACY_LAST = (1, 28, 2)

CRI_TOOLS = {20: "1.13.0", 21: "1.13.0", 22: "1.13.0", 23: "1.23.0", 24: "1.24.2", 25: "1.25.0",
             26: "1.26.0", 27: "1.27.0", 28: "1.28.0", 29: "1.29.0", 30: "1.30.1", 31: "1.31.1",
             32: "1.32.0", 33: "1.33.0", 34: "1.34.0", 35: "1.35.0", 36: "1.36.0"}

DOCKER_EL7 = ["19.03.15", "20.10.0", "20.10.5", "20.10.7", "20.10.9", "20.10.12", "20.10.17", "20.10.24",
              "23.0.6", "24.0.7", "25.0.5", "26.1.4"]
DOCKER_NEW = ["20.10.24", "23.0.6", "24.0.9", "25.0.5", "26.1.4", "27.5.1", "28.5.2"]
CONTAINERD_EL7 = ["1.4.3", "1.4.6", "1.4.12", "1.6.9", "1.6.28", "1.6.33"]
CONTAINERD_NEW = ["1.6.33", "1.7.25", "1.7.28", "2.1.5"]

# Base OS packages that are always available from the distribution.
BASE_PKGS = ["yum-utils", "device-mapper-persistent-data", "lvm2", "wget", "curl", "ca-certificates",
             "gnupg", "gnupg2", "gpg", "apt-transport-https", "software-properties-common", "lsb-release",
             "conntrack", "conntrack-tools", "socat", "ipset", "ipvsadm", "iproute-tc", "ebtables",
             "ethtool", "container-selinux", "chrony", "ntpdate", "vim", "net-tools", "bash-completion",
             "nfs-utils", "iptables", "dnf-plugins-core", "dnf-utils", "jq", "tar", "openssl",
             "iputils-ping", "netcat-openbsd", "nc", "python3", "rsync", "yum-plugin-versionlock",
             "python3-dnf-plugin-versionlock"]
# Distribution containerd (Debian/Ubuntu archive).
DISTRO_CONTAINERD = {"debian12": "1.6.20~ds1-1+b1", "ubuntu2204": "1.7.27-0ubuntu1~22.04.1"}


def k8s_versions(minor, legacy=False):
    last = K8S_LATEST.get(minor)
    if last is None:
        return []
    if legacy:
        if minor > LEGACY_LAST[1]:
            return []
        if minor == LEGACY_LAST[1]:
            last = LEGACY_LAST[2]
    return ["1.%d.%d" % (minor, p) for p in range(0, last + 1)]


def expand(url, osname):
    rel = {"centos7": "7", "rocky9": "9"}.get(osname, "")
    return url.replace("$releasever", rel).replace("$basearch", "x86_64").strip()


def _pk(name, ver, rel):
    return {"name": name, "version": ver, "release": rel}


def rpm_repo(url, osname):
    """(kind, [packages]) for a yum baseurl, or (None, reason) if unreachable."""
    u = expand(url, osname).rstrip("/")
    m = re.match(r"^https?://mirrors\.aliyun\.com/kubernetes/yum/repos/kubernetes-el7-x86_64$", u)
    if m:
        pk = []
        for minor in range(16, LEGACY_LAST[1] + 1):
            for v in k8s_versions(minor, legacy=True):
                for n in ("kubelet", "kubeadm", "kubectl"):
                    pk.append(_pk(n, v, "0"))
        for minor, v in CRI_TOOLS.items():
            if minor <= 28:
                pk.append(_pk("cri-tools", v, "0"))
        pk.append(_pk("kubernetes-cni", "0.8.7", "0"))
        pk.append(_pk("kubernetes-cni", "1.2.0", "0"))
        return "k8s-legacy", pk
    m = re.match(r"^(https://pkgs\.k8s\.io/core:/stable:|https?://mirrors\.aliyun\.com/kubernetes-new/core/stable)"
                 r"/v1\.(\d+)/rpm$", u)
    if m:
        minor = int(m.group(2))
        if minor < 24 or minor not in K8S_LATEST:
            return None, "404"
        pk = []
        for v in k8s_versions(minor):
            for n in ("kubelet", "kubeadm", "kubectl"):
                pk.append(_pk(n, v, "150500.1.1"))
        pk.append(_pk("cri-tools", CRI_TOOLS[minor], "150500.1.1"))
        pk.append(_pk("kubernetes-cni", "1.4.0" if minor < 31 else "1.6.0", "150500.1.1"))
        return "k8s", pk
    m = re.match(r"^(https://download\.docker\.com|https?://mirrors\.aliyun\.com/docker-ce)"
                 r"/linux/(centos|rhel)/(\d+)/x86_64/stable$", u)
    if m:
        el = m.group(3)
        if (osname == "centos7") != (el == "7"):
            return None, "404"
        docker = DOCKER_EL7 if el == "7" else DOCKER_NEW
        ctd = CONTAINERD_EL7 if el == "7" else CONTAINERD_NEW
        pk = []
        for v in docker:
            rel = "3.el7" if el == "7" else "1.el" + el
            pk.append(_pk("docker-ce", v, rel))
            pk.append(_pk("docker-ce-cli", v, rel))
        for v in ctd:
            pk.append(_pk("containerd.io", v, "3.1.el" + el))
        pk.append(_pk("docker-buildx-plugin", "0.29.1", "1.el" + el))
        pk.append(_pk("docker-compose-plugin", "2.40.3", "1.el" + el))
        return "docker", pk
    if osname == "centos7":
        m = re.match(r"^(https?://vault\.centos\.org|https?://mirrors\.aliyun\.com/centos-vault|"
                     r"https?://mirrors\.aliyun\.com/centos|https?://mirrors\.tuna\.tsinghua\.edu\.cn/centos-vault)"
                     r"/7[.0-9]*/(os|updates|extras|centosplus)/x86_64$", u)
        if m:
            return "base", [_pk(n, "1.0", "1.el7") for n in BASE_PKGS]
    if osname == "rocky9":
        if re.match(r"^https?://(dl\.rockylinux\.org/\S+|mirrors\.aliyun\.com/rockylinux/\S+)$", u):
            return "base", [_pk(n, "1.0", "1.el9") for n in BASE_PKGS]
    return None, "unknown"


def rpm_mirrorlist(url, osname):
    """A mirrorlist= URL: the Rocky one works, CentOS 7's is gone."""
    if "mirrorlist.centos.org" in url:
        return None
    if "mirrors.rockylinux.org" in url:
        return [_pk(n, "1.0", "1.el9") for n in BASE_PKGS]
    return None


def deb_repo(url, suite, osname):
    """(kind, key id, [packages]) for an apt source, or (None, reason, None)."""
    u = url.rstrip("/")
    codename = {"debian12": "bookworm", "ubuntu2204": "jammy"}.get(osname, "")
    distro = {"debian12": "debian", "ubuntu2204": "ubuntu"}.get(osname, "")
    m = re.match(r"^(https://pkgs\.k8s\.io/core:/stable:|https?://mirrors\.aliyun\.com/kubernetes-new/core/stable)"
                 r"/v1\.(\d+)/deb$", u)
    if m and suite == "/":
        minor = int(m.group(2))
        if minor < 24 or minor not in K8S_LATEST:
            return None, "404", None
        pk = []
        for v in k8s_versions(minor):
            for n in ("kubelet", "kubeadm", "kubectl"):
                pk.append(_pk(n, v, "1.1"))
        pk.append(_pk("cri-tools", CRI_TOOLS[minor], "1.1"))
        pk.append(_pk("kubernetes-cni", "1.4.0" if minor < 31 else "1.6.0", "1.1"))
        return "k8s", "234654DA9A296436", pk
    if re.match(r"^https?://mirrors\.aliyun\.com/kubernetes/apt$", u) and suite == "kubernetes-xenial":
        pk = []
        for minor in range(16, LEGACY_LAST[1] + 1):
            for v in k8s_versions(minor, legacy=True):
                for n in ("kubelet", "kubeadm", "kubectl"):
                    pk.append(_pk(n, v, "00"))
        return "k8s-legacy", "B53DC80D13EDEF05", pk
    m = re.match(r"^(https://download\.docker\.com|https?://mirrors\.aliyun\.com/docker-ce)/linux/(debian|ubuntu)$", u)
    if m and m.group(2) == distro and suite == codename:
        pk = []
        for v in DOCKER_NEW:
            rel = "1~%s.%s~%s" % (distro, "12" if distro == "debian" else "22.04", codename)
            pk.append(_pk("docker-ce", "5:" + v, rel))
            pk.append(_pk("docker-ce-cli", "5:" + v, rel))
        for v in CONTAINERD_NEW:
            pk.append(_pk("containerd.io", v, "1"))
        return "docker", "8D81803C0EBFCD88", pk
    if re.match(r"^https?://(deb\.debian\.org/debian|archive\.ubuntu\.com/ubuntu|security\.debian\.org\S*|"
                r"security\.ubuntu\.com/ubuntu|mirrors\.aliyun\.com/(debian|ubuntu))$", u):
        pk = [_pk(n, "1.0", "1") for n in BASE_PKGS]
        if osname in DISTRO_CONTAINERD:
            v, r = DISTRO_CONTAINERD[osname].split("-", 1)
            pk.append(_pk("containerd", v, r))
            pk.append(_pk("runc", "1.1.5", "1"))
        return "base", None, pk
    return None, "unknown", None


# Well-known keys: URL -> (key id, armored text marker)
KEYS = {
    "k8s": "234654DA9A296436",
    "docker": "8D81803C0EBFCD88",
    "k8s-legacy": "B53DC80D13EDEF05",
}
