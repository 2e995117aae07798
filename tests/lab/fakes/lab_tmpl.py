"""lab_tmpl: builds the template /usr/local/bin and /usr/local/sbin of a
fresh node for an OS: symlinks to the fake dispatcher (the shim when `lab up`
built it, see labcommon.fake_target) for the tools the OS has before any
package is installed."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labfakes  # noqa: E402


# Host tools a fresh node must not have: Kubernetes and container tools
# (they come with packages, as fakes), and the other family's package tools.
HIDE_ALL = ["kubectl", "kubeadm", "kubelet", "crictl", "ctr", "containerd", "containerd-shim",
            "containerd-shim-runc-v1", "containerd-shim-runc-v2", "docker", "dockerd", "docker-proxy",
            "docker-init", "runc", "helm", "cri-dockerd", "calicoctl", "kubectl-convert"]
HIDE_RPM = ["apt", "apt-get", "apt-cache", "apt-mark", "apt-key", "apt-config", "apt-cdrom",
            "apt-extracttemplates", "apt-ftparchive", "apt-sortpkgs", "dpkg", "dpkg-query", "dpkg-deb",
            "dpkg-divert", "dpkg-split", "dpkg-statoverride", "dpkg-trigger", "dpkg-maintscript-helper",
            "add-apt-repository", "apt-add-repository", "aptitude", "lsb_release"]
HIDE_DEB = ["yum", "dnf", "rpm", "yum-config-manager", "firewall-cmd", "getenforce", "setenforce"]


def hide_dirs(lab, osname):
    """Whiteout layers that hide host tools from /usr/bin and /usr/sbin."""
    names = HIDE_ALL + (HIDE_RPM if osname in ("centos7", "rocky9") else HIDE_DEB)
    for d in ("bin", "sbin"):
        wd = os.path.join(lab, "tmpl", "hide-" + d)
        os.makedirs(wd, exist_ok=True)
        for n in names:
            if os.path.lexists(os.path.join("/usr", d, n)) and not os.path.lexists(os.path.join(wd, n)):
                os.mknod(os.path.join(wd, n), 0o600 | 0o020000, os.makedev(0, 0))


def main():
    lab, osname = sys.argv[1], sys.argv[2]
    hide_dirs(lab, osname)
    for d, names in labfakes.base_tools(osname).items():
        dd = os.path.join(lab, "tmpl", d)
        os.makedirs(dd, exist_ok=True)
        for nm in names:
            p = os.path.join(dd, nm)
            shim = os.path.exists(os.path.join(lab, "fakes", "shim")) and nm != "sudo"
            target = "/var/lib/kubewiz-lab/fakes/" + ("shim" if shim else "fake")
            if os.path.lexists(p) and os.readlink(p) != target:
                os.unlink(p)
            if not os.path.lexists(p):
                os.symlink(target, p)


if __name__ == "__main__":
    main()
