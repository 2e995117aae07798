"""kstate: the shared cluster directory that plays the API server: cluster
state (nodes, tokens, uploaded certs, applied objects) in one JSON file under
a lock, the Kubernetes version tables kubeadm uses, kubeconfig handling and
the per-node facts (runtime, kubelet health) read from every node's files."""

import base64
import hashlib
import os
import re
import secrets
import subprocess

import labcommon as lc

# Each cluster made by "kubeadm init" is one file, cluster/<id>.json (id: a
# prefix of its CA hash). A command works on one of them, chosen with
# select_*(); the default is the most recent initialised cluster.
_CURRENT = [None]


def _path(cid):
    return os.path.join(lc.CLUSTER, "%s.json" % cid)


def all_clusters():
    """[(id, state)] of every initialised cluster, newest first."""
    res = []
    try:
        names = os.listdir(lc.CLUSTER)
    except OSError:
        names = []
    for nm in names:
        if nm.endswith(".json"):
            st = lc.load_json(os.path.join(lc.CLUSTER, nm), {})
            if st.get("initialized"):
                res.append((nm[:-5], st))
    res.sort(key=lambda t: t[1].get("created", 0), reverse=True)
    return res


def select(cid):
    _CURRENT[0] = cid


def current():
    if _CURRENT[0] is None:
        cl = all_clusters()
        _CURRENT[0] = cl[0][0] if cl else "none"
    return _CURRENT[0]


def select_by_ca(pem):
    """The cluster whose CA is pem; returns its id or None."""
    for cid, st in all_clusters():
        if (st.get("ca_pem") or "").strip() == (pem or "").strip():
            select(cid)
            return cid
    return None


def select_by_address(addr):
    """The cluster with a control plane on addr; returns its id or None."""
    for cid, st in all_clusters():
        for n in st.get("nodes", {}).values():
            if n.get("role") == "control-plane" and n.get("address") == addr:
                select(cid)
                return cid
    return None


def select_by_any_address(addr):
    """The cluster with any node on addr; returns its id or None."""
    for cid, st in all_clusters():
        for n in st.get("nodes", {}).values():
            if n.get("address") == addr:
                select(cid)
                return cid
    return None


def select_by_node(index):
    """The cluster node index belongs to; returns its id or None."""
    for cid, st in all_clusters():
        for n in st.get("nodes", {}).values():
            if n.get("index") == index:
                select(cid)
                return cid
    return None


def locked():
    return lc.Locked(_path(current()), {})


def load():
    return lc.load_json(_path(current()), {})


def vtuple(v):
    v = v.lstrip("v")
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def minor(v):
    return vtuple(v)[1]


# Image versions by minor: (pause, etcd, coredns)
IMAGES = {
    16: ("3.1", "3.3.15-0", "1.6.2"), 17: ("3.1", "3.4.3-0", "1.6.5"), 18: ("3.2", "3.4.3-0", "1.6.7"),
    19: ("3.2", "3.4.9-1", "1.7.0"), 20: ("3.2", "3.4.13-0", "1.7.0"), 21: ("3.4.1", "3.4.13-0", "v1.8.0"),
    22: ("3.5", "3.5.0-0", "v1.8.4"), 23: ("3.6", "3.5.1-0", "v1.8.6"), 24: ("3.7", "3.5.3-0", "v1.8.6"),
    25: ("3.8", "3.5.4-0", "v1.9.3"), 26: ("3.9", "3.5.6-0", "v1.9.3"), 27: ("3.9", "3.5.7-0", "v1.10.1"),
    28: ("3.9", "3.5.15-0", "v1.10.1"), 29: ("3.9", "3.5.16-0", "v1.11.1"), 30: ("3.9", "3.5.15-0", "v1.11.3"),
    31: ("3.10", "3.5.15-0", "v1.11.3"), 32: ("3.10", "3.5.16-0", "v1.11.3"), 33: ("3.10", "3.5.21-0", "v1.12.0"),
    34: ("3.10.1", "3.6.4-0", "v1.12.1"), 35: ("3.10.1", "3.6.5-0", "v1.13.1"), 36: ("3.10.1", "3.6.6-0", "v1.13.1"),
}


def default_repo(version):
    return "k8s.gcr.io" if minor(version) < 25 else "registry.k8s.io"


def image_list(version, repo=None):
    """The images kubeadm uses for a version and image repository."""
    version = "v" + version.lstrip("v")
    m = minor(version)
    pause, etcd, coredns = IMAGES.get(m, IMAGES[36])
    custom = bool(repo)
    repo = repo or default_repo(version)
    res = ["%s/%s:%s" % (repo, c, version) for c in
           ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy")]
    if custom or m < 21:
        dns = "%s/coredns:%s" % (repo, coredns)
    else:
        dns = "%s/coredns/coredns:%s" % (repo, coredns)
    res += [dns, "%s/pause:%s" % (repo, pause), "%s/etcd:%s" % (repo, etcd)]
    return res


def gen_token():
    a = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(a) for _ in range(6)) + "." + "".join(secrets.choice(a) for _ in range(16))


TOKEN_RE = re.compile(r"^([a-z0-9]{6})\.([a-z0-9]{16})$")


def parse_duration(s):
    """Go duration ("24h0m0s", "2h", "10m", "0") to seconds."""
    if s in ("0", "0s"):
        return 0
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(h|m|s|ms)", s):
        total += float(num) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    if not re.fullmatch(r"(\d+(?:\.\d+)?(h|m|s|ms))+", s):
        raise ValueError(s)
    return total


# ---- the cluster CA (a real one: openssl computes its hash) -------------------

def make_ca(pki):
    """A new CA in pki (ca.key, ca.crt), RSA 2048 as kubeadm makes it. The
    first one of a lab takes the spare key `lab up` made (generating one
    is 0.2 s of CPU); the others generate theirs."""
    os.makedirs(pki, exist_ok=True)
    key = os.path.join(pki, "ca.key")
    newkey = ["-newkey", "rsa:2048", "-nodes", "-keyout", key]
    claimed = os.path.join(lc.CLUSTER, ".ca-spare.%d" % os.getpid())
    try:
        # Claimed by a rename (one init gets it), then copied: the node's
        # /etc is another file system.
        os.rename(os.path.join(lc.CLUSTER, ".ca-spare.key"), claimed)
        lc.write_file(key, lc.read_file(claimed), mode=0o600)
        os.unlink(claimed)
        newkey = ["-key", key]
    except (OSError, TypeError):
        pass
    subprocess.run(["openssl", "req", "-x509"] + newkey + ["-out", os.path.join(pki, "ca.crt"), "-days", "3650",
                    "-subj", "/CN=kubernetes"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    os.chmod(key, 0o600)


def ca_hash(crt_path):
    pub = subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", crt_path],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    return "sha256:" + hashlib.sha256(der).hexdigest()


def kubeconfig(server, ca_pem, user="kubernetes-admin"):
    ca = base64.b64encode(ca_pem.encode()).decode()
    cert = base64.b64encode(("-----BEGIN CERTIFICATE-----\nlab client certificate for %s\n"
                             "-----END CERTIFICATE-----\n" % user).encode()).decode()
    key = base64.b64encode(b"-----BEGIN RSA PRIVATE KEY-----\nlab\n-----END RSA PRIVATE KEY-----\n").decode()
    return ("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: %s\n    server: %s\n"
            "  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: %s\n"
            "  name: %s@kubernetes\ncurrent-context: %s@kubernetes\nkind: Config\npreferences: {}\nusers:\n"
            "- name: %s\n  user:\n    client-certificate-data: %s\n    client-key-data: %s\n"
            % (ca, server, user, user, user, user, cert, key))


def resolve(host):
    """The address a name has in this node's /etc/hosts (IPs as is), or None."""
    if re.match(r"^\d+\.\d+\.\d+\.\d+$", host):
        return host
    if host == "localhost":
        return "127.0.0.1"
    for ln in (lc.read_file("/etc/hosts", "") or "").splitlines():
        f = ln.split("#", 1)[0].split()
        if len(f) >= 2 and host in f[1:]:
            return f[0]
    return None


# ---- other nodes' facts (the whole lab is visible under /var/lib/kubewiz-lab) ---

def node_dir(index):
    return os.path.join(lc.LAB, "nodes", str(index))


def node_sys(index):
    return lc.load_json(os.path.join(node_dir(index), "vol", "sys.json"), {})


def node_packages(index):
    return lc.load_json(os.path.join(node_dir(index), "state", "packages.json"), {})


def node_paths(index):
    """(etc dir, /var/lib dir) of a node as seen from this node."""
    if index == lc.node_index():
        return "/etc", "/var/lib"
    d = node_dir(index)
    return os.path.join(d, "fs", "etc"), os.path.join(d, "fs", "var", "lib")


def kubelet_config(varlib):
    txt = lc.read_file(os.path.join(varlib, "kubelet", "config.yaml"))
    if txt is None:
        return None
    import yaml
    try:
        return lc.yaml_load(txt) or {}
    except yaml.YAMLError:
        return {}


def node_runtime(index):
    """"docker" or "containerd": what the node's kubelet was set up with."""
    etc, varlib = node_paths(index)
    env = lc.read_file(os.path.join(varlib, "kubelet", "kubeadm-flags.env"), "") or ""
    if "containerd.sock" in env:
        return "containerd"
    if env:
        return "docker"
    return None


_KP_CACHE = {}


def reset_cache():
    """Forget memoized node facts (callers that poll call this per round)."""
    _KP_CACHE.clear()


def kubelet_problem(index, version=None, cached=True):
    """Why the kubelet of node index cannot run its pods, or None. Used by
    init/join (waiting for the kubelet) and by kubectl (node Ready). Results
    are memoized for the life of the process unless cached is False."""
    key = (index, version)
    if cached and key in _KP_CACHE:
        return _KP_CACHE[key]
    r = _kubelet_problem(index, version)
    _KP_CACHE[key] = r
    return r


def _kubelet_problem(index, version=None):
    import fk_runtime
    etc, varlib = node_paths(index)
    st = node_sys(index)
    svc = st.get("services", {})
    pk = node_packages(index)
    cfg = kubelet_config(varlib)
    if cfg is None:
        return "failed to load kubelet config file, path: /var/lib/kubelet/config.yaml"
    if svc.get("kubelet") != "active":
        return "kubelet.service is not active"
    version = version or (pk.get("kubelet", {}).get("version") or "1.30.0")
    runtime = node_runtime(index) or "containerd"
    if st.get("swap") and cfg.get("failSwapOn", True) is not False:
        return ("failed to run Kubelet: running with swap on is not supported, please disable swap! or set "
                "--fail-swap-on flag to false. /proc/swaps contained: [Filename\t\t\t\tType\t\tSize\t\tUsed\t\t"
                "Priority %s]" % " ".join(st["swap"]))
    cg = (lc.read_file(os.path.join(node_dir(index), "cgroup"), "v2") or "v2").strip()
    if cg == "v1" and minor(version) >= 35 and cfg.get("failCgroupV1", True) is not False:
        return ("failed to run Kubelet: kubelet is configured to not run on a host using cgroup v1. cgroup v1 "
                "support is unsupported and will be removed in a future release")
    kdrv = cfg.get("cgroupDriver") or "cgroupfs"
    if runtime == "docker":
        if svc.get("docker") != "active":
            return ("failed to run Kubelet: failed to get docker version: Cannot connect to the Docker daemon at "
                    "unix:///var/run/docker.sock. Is the docker daemon running?")
        ddrv = fk_runtime.docker_cgroup_driver(etc)
        if ddrv != kdrv:
            return ('failed to run Kubelet: misconfiguration: kubelet cgroup driver: "%s" is different from docker '
                    'cgroup driver: "%s"' % (kdrv, ddrv))
        return None
    if svc.get("containerd") != "active":
        return ("failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint "
                "\"unix:///var/run/containerd/containerd.sock\": rpc error: code = Unavailable desc = connection error")
    f = fk_runtime.cri_facts(etc, pk)
    if not f["cri_enabled"]:
        return ("failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint "
                "\"unix:///var/run/containerd/containerd.sock\": rpc error: code = Unimplemented desc = unknown "
                "service runtime.v1.RuntimeService")
    cver = fk_runtime.containerd_version(pk) or "1.6.0"
    from_cri = minor(version) >= 34 and vtuple(cver) >= (2, 0, 0)
    cdrv = "systemd" if f["systemd_cgroup"] else "cgroupfs"
    if not from_cri and cdrv != kdrv:
        return ('failed to run Kubelet: misconfiguration: kubelet cgroup driver: "%s" is different from the '
                'container runtime cgroup driver: "%s" (SystemdCgroup in /etc/containerd/config.toml)' % (kdrv, cdrv))
    if minor(version) >= 36 and vtuple(cver) < (2, 0, 0):
        return ("failed to run Kubelet: the container runtime version %s is not supported: Kubernetes v1.36 "
                "requires containerd 2.0 or newer" % cver)
    sb = f["sandbox"]
    ims = lc.load_json(os.path.join(node_dir(index), "state", "images.json"), {}).get("containerd", [])
    if fk_runtime.normalize(sb) not in ims and fk_runtime.pull_error(sb, index):
        return ('Failed to create sandbox for pod: rpc error: code = Unknown desc = failed to get sandbox image '
                '"%s": %s' % (sb, fk_runtime.pull_error(sb, index)))
    return None


def api_up(cs, addr):
    """Whether an API server answers on addr: an initialised cluster with a
    control plane there whose kubelet runs its static pods."""
    if not cs.get("initialized"):
        return False
    for n in cs.get("nodes", {}).values():
        if n.get("role") == "control-plane" and n.get("address") == addr:
            return kubelet_problem(n["index"], n.get("version")) is None
    return False


def my_index():
    return lc.node_index()


def my_address():
    net = (lc.read_file(os.path.join(lc.LAB, "lab.net"), "") or "127.0.10").strip()
    return "%s.%d" % (net, my_index())
