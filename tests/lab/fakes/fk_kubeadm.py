"""fk_kubeadm: kubeadm (init by flags or --config, join, token, certs
certificate-key, init phase upload-certs, config images list|pull, reset,
version) and kubelet --version. Preflight checks and their texts follow
kubeadm's; the cluster lives in the lab's shared cluster directory."""

import os
import re
import secrets
import shutil
import sys

import labcommon as lc
import kstate
from labcommon import Exit, err, out

STACK = "To see the stack trace of this error execute with --v=5 or higher"


def my_version():
    pk = lc.installed_packages()
    return pk.get("kubeadm", {}).get("version", "1.30.0")


def kubelet(argv):
    pk = lc.installed_packages()
    v = pk.get("kubelet", {}).get("version", "1.30.0")
    if "--version" in argv[1:]:
        out("Kubernetes v%s" % v)
        return 0
    err("kubelet: the lab does not run the kubelet directly; use systemctl")
    raise Exit(1)


# ---- argument parsing -------------------------------------------------------------

def parse_flags(a, bools=()):
    """(flags dict name->value (list if repeated), positional list)."""
    flags = {}
    pos = []
    i = 0
    while i < len(a):
        x = a[i]
        if x.startswith("--"):
            name, eq, val = x[2:].partition("=")
            if not eq:
                if name in bools:
                    val = "true"
                elif i + 1 < len(a) and not a[i + 1].startswith("--"):
                    val = a[i + 1]
                    i += 1
                else:
                    val = "true"
            flags[name] = val
        elif x.startswith("-") and len(x) > 1:
            name = x[1:]
            if name == "f":
                flags["force"] = "true"
            elif name == "o" and i + 1 < len(a):
                flags["output"] = a[i + 1]
                i += 1
            elif name.startswith("v="):
                pass
            elif name == "v" and i + 1 < len(a):
                i += 1
            else:
                flags[name] = "true"
        else:
            pos.append(x)
        i += 1
    return flags, pos


BOOLS = ("upload-certs", "control-plane", "dry-run", "force", "print-join-command", "discovery-token-unsafe-skip-ca-verification",
         "skip-token-print", "skip-certificate-key-print", "help")


def fail_phase(phase, msg):
    err("error execution phase %s: %s" % (phase, msg))
    err(STACK)
    raise Exit(1)


# ---- config files ------------------------------------------------------------------

API_RANGE = {"v1beta1": (13, 21), "v1beta2": (15, 26), "v1beta3": (22, 35), "v1beta4": (31, 99)}


def load_config(path, kind_wanted):
    """Parse a kubeadm config file; returns dict of kind -> document."""
    import yaml
    txt = lc.read_file(path)
    if txt is None:
        err("unable to read config from \"%s\" : open %s: no such file or directory" % (path, path))
        err(STACK)
        raise Exit(1)
    try:
        docs = [d for d in yaml.safe_load_all(txt) if d]
    except yaml.YAMLError as e:
        err("error converting YAML to JSON: %s" % str(e).replace("\n", " "))
        err(STACK)
        raise Exit(1)
    res = {}
    kv = kstate.minor(my_version())
    for d in docs:
        if not isinstance(d, dict):
            continue
        api = d.get("apiVersion", "")
        kind = d.get("kind", "")
        if api.startswith("kubeadm.k8s.io/"):
            ver = api.split("/", 1)[1]
            lo, hi = API_RANGE.get(ver, (0, -1))
            if kv > hi and ver in API_RANGE:
                err("your configuration file uses an old API spec: \"%s\" (kind: \"%s\"). Please use kubeadm v1.%d "
                    "instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will "
                    "write the new, similar spec using a newer API version." % (api, kind, hi))
                err(STACK)
                raise Exit(1)
            if kv < lo or ver not in API_RANGE:
                err("no kind \"%s\" is registered for version \"%s\" in scheme "
                    "\"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31\"" % (kind, api))
                err(STACK)
                raise Exit(1)
            if ver == "v1beta4":
                _check_extra_args(d, kind)
            elif ver in ("v1beta2", "v1beta3"):
                _check_extra_args_map(d, kind, api)
        res[kind] = d
    if kind_wanted not in res and kind_wanted == "InitConfiguration" and "ClusterConfiguration" not in res:
        err("no InitConfiguration or ClusterConfiguration kind was found in the YAML file")
        err(STACK)
        raise Exit(1)
    return res


def _walk_extra(d, path=""):
    if isinstance(d, dict):
        for k, v in d.items():
            p = "%s.%s" % (path, k) if path else k
            if k == "extraArgs":
                yield p, v
            else:
                for r in _walk_extra(v, p):
                    yield r


def _check_extra_args(d, kind):
    for p, v in _walk_extra(d):
        if isinstance(v, dict):
            err("error unmarshaling configuration schema.GroupVersionKind{Group:\"kubeadm.k8s.io\", Version:\"v1beta4\", "
                "Kind:\"%s\"}: strict decoding error: json: cannot unmarshal object into Go struct field of type "
                "[]v1beta4.Arg (%s must be a list of {name, value})" % (kind, p))
            err(STACK)
            raise Exit(1)


def _check_extra_args_map(d, kind, api):
    for p, v in _walk_extra(d):
        if isinstance(v, list):
            err("error unmarshaling configuration schema.GroupVersionKind{Group:\"kubeadm.k8s.io\", Version:\"%s\", "
                "Kind:\"%s\"}: json: cannot unmarshal array into Go struct field of type map[string]string (%s)"
                % (api.split("/")[1], kind, p))
            err(STACK)
            raise Exit(1)


ALLOWED_WITH_CONFIG = {"config", "upload-certs", "ignore-preflight-errors", "dry-run", "node-name", "skip-phases",
                       "skip-token-print", "skip-certificate-key-print", "v", "kubeconfig", "rootfs", "cri-socket",
                       "certificate-key", "help"}


def mix_check(flags):
    bad = sorted(k for k in flags if k not in ALLOWED_WITH_CONFIG)
    if bad:
        err("can not mix '--config' with arguments %s" % ("[" + " ".join(bad) + "]"))
        err(STACK)
        raise Exit(1)


# ---- preflight ------------------------------------------------------------------------

def _ignored(flags):
    v = flags.get("ignore-preflight-errors", "")
    return {x.strip().lower() for x in v.split(",") if x.strip()}


def _runtime_for(version, cri_socket):
    """Which runtime kubeadm talks to."""
    import fk_runtime
    if cri_socket:
        return "docker" if "docker" in cri_socket else "containerd"
    if kstate.minor(version) < 24:
        # dockershim: Docker unless only containerd is there.
        if fk_runtime.pkg_version("docker-ce") or not fk_runtime.containerd_version():
            return "docker"
    return "containerd"


def preflight(kind, version, flags, runtime, control_plane, repo, images_needed=True):
    """Run kubeadm's preflight checks; print warnings; fail on errors."""
    import fk_runtime
    out("[preflight] Running pre-flight checks")
    errors = []
    warns = []
    ign = _ignored(flags)
    m = kstate.minor(version)
    st = lc.load_json(lc.SYS_PATH, {})
    hw = (lc.read_file(os.path.join(lc.SELF, "hw"), "2 4096") or "2 4096").split()
    cpus, mem = int(hw[0]), int(hw[1])
    if control_plane:
        if cpus < 2:
            errors.append(("NumCPU", "the number of available CPUs %d is less than the required 2" % cpus))
        if mem < 1700:
            errors.append(("Mem", "the system RAM (%d MB) is less than the minimum 1700 MB" % mem))
    if lc.service_active("firewalld"):
        ports = "[6443 10250]" if control_plane else "[10250]"
        warns.append(("Firewalld", "firewalld is active, please ensure ports %s are open or your cluster may not "
                                   "function correctly" % ports))
    if runtime == "docker":
        if not fk_runtime.docker_running():
            errors.append(("CRI", "container runtime is not running: output: Cannot connect to the Docker daemon at "
                                  "unix:///var/run/docker.sock. Is the docker daemon running?\n, error: exit status 1"))
            errors.append(("Service-Docker", "docker service is not active, please run 'systemctl start docker.service'"))
        else:
            if fk_runtime.docker_cgroup_driver() != "systemd":
                warns.append(("IsDockerSystemdCheck", "detected \"cgroupfs\" as the Docker cgroup driver. The "
                                                      "recommended driver is \"systemd\". Please follow the guide at "
                                                      "https://kubernetes.io/docs/setup/cri/"))
            dv = fk_runtime.pkg_version("docker-ce") or ""
            if m <= 23 and not dv.startswith("19.03"):
                warns.append(("SystemVerification", "this Docker version is not on the list of validated versions: "
                                                    "%s. Latest validated version: 19.03" % dv))
    else:
        why = fk_runtime.cri_socket_error()
        if why:
            errors.append(("CRI", why.split(": ", 1)[1] if why.startswith("[ERROR CRI]: ") else why))
    if st.get("swap"):
        if m < 28:
            errors.append(("Swap", "running with swap on is not supported. Please disable swap"))
        else:
            warns.append(("Swap", "swap is supported for cgroup v2 only. The kubelet must be properly configured to "
                                  "use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, "
                                  "or disable swap on the node"))
    fwd = (lc.read_file(os.path.join(lc.VOL, "proc", "ip_forward"), "0") or "0").strip()
    if fwd != "1":
        errors.append(("FileContent--proc-sys-net-ipv4-ip_forward",
                       "/proc/sys/net/ipv4/ip_forward contents are not set to 1"))
    if m < 30:
        b = os.path.join(lc.VOL, "proc", "bridge", "bridge-nf-call-iptables")
        if not os.path.exists(b):
            errors.append(("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
                           "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist"))
        elif (lc.read_file(b, "0") or "0").strip() != "1":
            errors.append(("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
                           "/proc/sys/net/bridge/bridge-nf-call-iptables contents are not set to 1"))
    if not lc.load_json(os.path.join(lc.STATE, "services.json"), {}).get("enabled", {}).get("kubelet"):
        warns.append(("Service-Kubelet", "kubelet service is not enabled, please run 'systemctl enable kubelet.service'"))
    pkk = lc.installed_packages().get("kubelet")
    if pkk and kstate.vtuple(pkk["version"])[:2] > kstate.vtuple(version)[:2]:
        errors.append(("KubeletVersion", "the kubelet version is higher than the control plane version. This is not a "
                                         "supported version skew and may lead to a malfunctional cluster. Kubelet "
                                         "version: \"%s\" Control plane version: \"%s\"" % (pkk["version"], version.lstrip("v"))))
    cg = (lc.read_file(os.path.join(lc.SELF, "cgroup"), "v2") or "v2").strip()
    if cg == "v1" and m >= 35 and flags.get("_failcgroupv1", "true") != "false":
        errors.append(("SystemVerification", "kubelet is configured to not run on a host using cgroup v1. cgroup v1 "
                                             "support is unsupported and will be removed in a future release. Please "
                                             "migrate to cgroup v2 or set the kubelet configuration field failCgroupV1 "
                                             "to false"))
    # Already initialised / joined.
    if kind == "init":
        for f in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"):
            p = "/etc/kubernetes/manifests/%s.yaml" % f
            if os.path.exists(p):
                errors.append(("FileAvailable--etc-kubernetes-manifests-%s.yaml" % f, "%s already exists" % p))
        if os.path.exists("/etc/kubernetes/manifests/kube-apiserver.yaml"):
            errors.insert(0, ("Port-6443", "Port 6443 is in use"))
            errors.insert(1, ("Port-10259", "Port 10259 is in use"))
            errors.insert(2, ("Port-10257", "Port 10257 is in use"))
        if os.path.exists("/var/lib/etcd/member"):
            errors.append(("DirAvailable--var-lib-etcd", "/var/lib/etcd is not empty"))
    if os.path.exists("/etc/kubernetes/kubelet.conf"):
        errors.append(("FileAvailable--etc-kubernetes-kubelet.conf", "/etc/kubernetes/kubelet.conf already exists"))
        errors.append(("Port-10250", "Port 10250 is in use"))
    if kind == "join" and os.path.exists("/etc/kubernetes/pki/ca.crt"):
        errors.append(("FileAvailable--etc-kubernetes-pki-ca.crt", "/etc/kubernetes/pki/ca.crt already exists"))
    for name, msg in warns:
        if name == "Firewalld" or True:
            err("\t[WARNING %s]: %s" % (name, msg))
    # Image pulls (control planes).
    if not [e for e in errors if e[0].lower() not in ign and "all" not in ign] and images_needed and control_plane:
        out("[preflight] Pulling images required for setting up a Kubernetes cluster")
        out("[preflight] This might take a minute or two, depending on the speed of your internet connection")
        out("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'")
        for img in kstate.image_list(version, repo):
            why = pull_one(img, runtime)
            if why:
                errors.append(("ImagePull", "failed to pull image %s: output: %s\n, error: exit status 1" % (img, why)))
    fatal = [(n, msg) for n, msg in errors if n.lower() not in ign and "all" not in ign]
    for n, msg in errors:
        if (n, msg) not in fatal:
            err("\t[WARNING %s]: %s" % (n, msg))
    if fatal:
        lines = "".join("\t[ERROR %s]: %s\n" % (n, msg) for n, msg in fatal)
        err("error execution phase preflight: [preflight] Some fatal errors occurred:\n" + lines +
            "[preflight] If you know what you are doing, you can make a check non-fatal with "
            "`--ignore-preflight-errors=...`")
        err(STACK)
        raise Exit(1)


def pull_one(img, runtime):
    """Pull an image into the node's runtime; returns an error text or None."""
    import fk_runtime
    kind = "docker" if runtime == "docker" else "containerd"
    if fk_runtime.normalize(img) in fk_runtime.images(kind):
        return None
    why = fk_runtime.pull_error(img)
    if why:
        if runtime == "docker":
            reg = fk_runtime.split_ref(img)[0]
            if reg in fk_runtime.BLOCKED:
                return ("Error response from daemon: Get https://%s/v2/: net/http: request canceled while waiting "
                        "for connection (Client.Timeout exceeded while awaiting headers)" % reg)
            return "Error response from daemon: " + why.split(": ", 1)[-1]
        return ("E%s    1234 remote_image.go:180] \"PullImage from image service failed\" err=\"rpc error: code = "
                "Unknown desc = %s\" image=\"%s\"\ntime=\"%s\" level=fatal msg=\"pulling image: rpc error: code = "
                "Unknown desc = %s\"" % (lc.iso()[5:10].replace("-", ""), why, img, lc.iso(), why))
    fk_runtime.add_image(kind, img)
    return None


# ---- version helpers ---------------------------------------------------------------------

def resolve_version(v):
    """The control-plane version to deploy (kubeadm's rules)."""
    mine = "v" + my_version()
    if not v or v in ("stable", "stable-1", "latest"):
        err("W%s    1234 version.go:104] could not fetch a Kubernetes version from the internet: unable to get URL "
            "\"https://dl.k8s.io/release/stable-1.txt\": Get \"https://dl.k8s.io/release/stable-1.txt\": context "
            "deadline exceeded (Client.Timeout exceeded while awaiting headers)" % lc.iso()[5:10].replace("-", ""))
        err("W%s    1234 version.go:105] falling back to the local client version: %s" % (lc.iso()[5:10].replace("-", ""), mine))
        return mine
    v = "v" + v.lstrip("v")
    if not re.match(r"^v\d+\.\d+\.\d+$", v):
        err("invalid version \"%s\"" % v)
        err(STACK)
        raise Exit(1)
    kv, mv = kstate.vtuple(v), kstate.vtuple(mine)
    if kv[:2] > mv[:2]:
        err("this version of kubeadm only supports deploying clusters with the control plane version >= %d.%d.0. "
            "Current version: %s" % (mv[0], mv[1] - 1, v) if False else
            "the specified version to deploy (%s) is greater than the kubeadm version (%s). This is not supported"
            % (v, mine))
        err(STACK)
        raise Exit(1)
    if kv[:2] < (mv[0], mv[1] - 1):
        err("this version of kubeadm only supports deploying clusters with the control plane version >= %d.%d.0. "
            "Current version: %s" % (mv[0], mv[1] - 1, v))
        err(STACK)
        raise Exit(1)
    return v


# ---- init ----------------------------------------------------------------------------------

def _init_settings(flags):
    """Settings from flags or the config file."""
    s = {}
    if "config" in flags:
        mix_check(flags)
        docs = load_config(flags["config"], "InitConfiguration")
        ic = docs.get("InitConfiguration", {})
        cc = docs.get("ClusterConfiguration", {})
        kc = docs.get("KubeletConfiguration", {})
        bts = ic.get("bootstrapTokens") or []
        s["token"] = bts[0].get("token") if bts else None
        s["ttl"] = bts[0].get("ttl", "24h0m0s") if bts else "24h0m0s"
        s["certificate_key"] = ic.get("certificateKey") or flags.get("certificate-key")
        s["advertise"] = (ic.get("localAPIEndpoint") or {}).get("advertiseAddress")
        nr = ic.get("nodeRegistration") or {}
        s["cri_socket"] = nr.get("criSocket") or flags.get("cri-socket")
        s["node_name"] = nr.get("name") or flags.get("node-name")
        s["version"] = cc.get("kubernetesVersion")
        s["endpoint"] = cc.get("controlPlaneEndpoint")
        s["repo"] = cc.get("imageRepository")
        net = cc.get("networking") or {}
        s["pod_subnet"] = net.get("podSubnet")
        s["service_subnet"] = net.get("serviceSubnet") or "10.96.0.0/12"
        s["cgroup_driver"] = kc.get("cgroupDriver")
        s["fail_swap_on"] = kc.get("failSwapOn", True)
        s["fail_cgroup_v1"] = kc.get("failCgroupV1", True)
        s["kubelet_config"] = kc
    else:
        s["token"] = flags.get("token")
        s["ttl"] = flags.get("token-ttl", "24h0m0s")
        s["certificate_key"] = flags.get("certificate-key")
        s["advertise"] = flags.get("apiserver-advertise-address")
        s["cri_socket"] = flags.get("cri-socket")
        s["node_name"] = flags.get("node-name")
        s["version"] = flags.get("kubernetes-version")
        s["endpoint"] = flags.get("control-plane-endpoint")
        s["repo"] = flags.get("image-repository")
        s["pod_subnet"] = flags.get("pod-network-cidr")
        s["service_subnet"] = flags.get("service-cidr", "10.96.0.0/12")
        s["cgroup_driver"] = None
        s["fail_swap_on"] = True
        s["fail_cgroup_v1"] = True
        s["kubelet_config"] = {}
    return s


def _check_token(tok):
    if tok and not kstate.TOKEN_RE.match(tok):
        err("[bootstraptokens[0].token: Invalid value: \"%s\": the bootstrap token \"%s\" was not of the form "
            "\"\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z\"]" % (tok, tok))
        err(STACK)
        raise Exit(1)


def _check_certkey(k):
    if k and not re.match(r"^[0-9a-f]{64}$", k):
        err("invalid certificate key: the certificate key must be a hex encoded string of 32 bytes (64 characters)")
        err(STACK)
        raise Exit(1)


def _node_name(s):
    return s.get("node_name") or os.uname().nodename


def _write_kubelet_files(s, version, runtime):
    drv = s.get("cgroup_driver")
    m = kstate.minor(version)
    if not drv:
        if runtime == "docker" and m < 22:
            import fk_runtime
            drv = fk_runtime.docker_cgroup_driver()
        else:
            drv = "systemd" if m >= 22 else "cgroupfs"
    kc = {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "cgroupDriver": drv,
          "failSwapOn": s.get("fail_swap_on", True) is not False}
    if s.get("fail_cgroup_v1") is False:
        kc["failCgroupV1"] = False
    import yaml
    lc.write_file("/var/lib/kubelet/config.yaml", yaml.safe_dump(kc, default_flow_style=False))
    if runtime == "docker":
        env = 'KUBELET_KUBEADM_ARGS="--network-plugin=cni --pod-infra-container-image=%s"\n' % (
            [i for i in kstate.image_list(version, s.get("repo")) if "/pause:" in i][0])
    else:
        env = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock"\n'
    lc.write_file("/var/lib/kubelet/kubeadm-flags.env", env)


def _wait_kubelet(phase, what, version):
    """The kubelet-check: fails like kubeadm when the kubelet cannot run."""
    why = kstate.kubelet_problem(lc.node_index(), version.lstrip("v"), cached=False)
    if not why:
        return
    lc.write_file(os.path.join(lc.VOL, "failed-kubelet"), why + "\n")
    m = kstate.minor(version)
    if m >= 31:
        out("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s")
        out("[kubelet-check] The kubelet is not healthy after 4m0.000528429s")
        out("")
        out("Unfortunately, an error has occurred, likely caused by:")
        out("\t- The kubelet is not running")
        out("\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)")
        out("")
        out("If you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:")
        out("\t- 'systemctl status kubelet'")
        out("\t- 'journalctl -xeu kubelet'")
        out("")
        fail_phase(phase, "The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: Get "
                          "\"http://127.0.0.1:10248/healthz\": dial tcp 127.0.0.1:10248: connect: connection refused")
    out("[kubelet-check] Initial timeout of 40s passed.")
    out("[kubelet-check] It seems like the kubelet isn't running or healthy.")
    out("[kubelet-check] The HTTP call equal to 'curl -sSL http://localhost:10248/healthz' failed with error: Get "
        "\"http://localhost:10248/healthz\": dial tcp 127.0.0.1:10248: connect: connection refused.")
    out("")
    out("\tUnfortunately, an error has occurred:")
    out("\t\ttimed out waiting for the condition")
    out("")
    out("\tThis error is likely caused by:")
    out("\t\t- The kubelet is not running")
    out("\t\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)")
    out("")
    out("\tIf you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:")
    out("\t\t- 'systemctl status kubelet'")
    out("\t\t- 'journalctl -xeu kubelet'")
    out("")
    fail_phase(phase, what)


def _join_text(endpoint, token, h, key=None, control_plane=False):
    t = "kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s" % (endpoint, token, h)
    if control_plane:
        t += " \\\n\t--control-plane"
        if key:
            t += " --certificate-key %s" % key
    return t


def init(flags, pos):
    if pos and pos[0] == "phase":
        return init_phase(flags, pos[1:])
    s = _init_settings(flags)
    version = resolve_version(s["version"])
    vv = version.lstrip("v")
    m = kstate.minor(version)
    _check_token(s["token"])
    _check_certkey(s["certificate_key"])
    if s.get("fail_cgroup_v1") is False:
        flags["_failcgroupv1"] = "false"
    runtime = _runtime_for(version, s["cri_socket"])
    out("[init] Using Kubernetes version: %s" % version)
    preflight("init", version, flags, runtime, True, s["repo"])
    name = _node_name(s)
    adv = s["advertise"] or kstate.my_address()
    endpoint = s["endpoint"]
    ep = endpoint if (endpoint and ":" in endpoint) else ("%s:6443" % endpoint if endpoint else "%s:6443" % adv)
    svc_ip = "10.96.0.1"
    # certs
    out("[certs] Using certificateDir folder \"/etc/kubernetes/pki\"")
    out("[certs] Generating \"ca\" certificate and key")
    kstate.make_ca("/etc/kubernetes/pki")
    for c in ("apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client", "etcd/ca",
              "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client", "sa"):
        if c == "apiserver":
            names = [x for x in [endpoint.split(":")[0] if endpoint else None, name, "kubernetes", "kubernetes.default",
                                 "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"] if x]
            out("[certs] Generating \"apiserver\" certificate and key")
            out("[certs] apiserver serving cert is signed for DNS names [%s] and IPs [%s %s]" % (" ".join(names), svc_ip, adv))
        elif c == "sa":
            out("[certs] Generating \"sa\" key and public key")
        else:
            out("[certs] Generating \"%s\" certificate and key" % c)
        p = "/etc/kubernetes/pki/%s.crt" % c if c != "sa" else "/etc/kubernetes/pki/sa.pub"
        if not os.path.exists(p):
            lc.write_file(p, "-----BEGIN CERTIFICATE-----\nlab %s\n-----END CERTIFICATE-----\n" % c)
    ca_pem = lc.read_file("/etc/kubernetes/pki/ca.crt")
    h = kstate.ca_hash("/etc/kubernetes/pki/ca.crt")
    server = "https://%s" % ep
    out("[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"")
    confs = ["admin.conf"] + (["super-admin.conf"] if m >= 29 else []) + ["kubelet.conf", "controller-manager.conf", "scheduler.conf"]
    for c in confs:
        out("[kubeconfig] Writing \"%s\" kubeconfig file" % c)
        user = {"admin.conf": "kubernetes-admin", "super-admin.conf": "kubernetes-super-admin",
                "kubelet.conf": "system:node:" + name}.get(c, "system:" + c.split(".")[0])
        lc.write_file("/etc/kubernetes/" + c, kstate.kubeconfig(server, ca_pem, user), mode=0o600)
    out("[etcd] Creating static Pod manifest for local etcd in \"/etc/kubernetes/manifests\"")
    out("[control-plane] Using manifest folder \"/etc/kubernetes/manifests\"")
    images = kstate.image_list(version, s["repo"])
    for comp in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"):
        if comp != "etcd":
            out("[control-plane] Creating static Pod manifest for \"%s\"" % comp)
        img = [i for i in images if "/%s:" % comp in i][0]
        lc.write_file("/etc/kubernetes/manifests/%s.yaml" % comp,
                      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: kube-system\nspec:\n"
                      "  containers:\n  - name: %s\n    image: %s\n  hostNetwork: true\n" % (comp, comp, img))
    os.makedirs("/var/lib/etcd/member", exist_ok=True)
    out("[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"")
    out("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"")
    out("[kubelet-start] Starting the kubelet")
    _write_kubelet_files(s, version, runtime)
    with lc.sys_state() as st:
        # kubeadm runs "systemctl start kubelet" (enabled or not).
        st.setdefault("services", {})["kubelet"] = "active"
    out("[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "
        "\"/etc/kubernetes/manifests\". This can take up to 4m0s")
    _wait_kubelet("wait-control-plane", "couldn't initialize a Kubernetes cluster", version)
    if m >= 31:
        out("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s")
        out("[kubelet-check] The kubelet is healthy after 1.001936273s")
        out("[api-check] Waiting for a healthy API server. This can take up to 4m0s")
        out("[api-check] The API server is healthy after 5.502150931s")
    else:
        out("[apiclient] All control plane components are healthy after 9.502007 seconds")
    token = s["token"] or kstate.gen_token()
    try:
        ttl = kstate.parse_duration(s["ttl"] or "24h0m0s")
    except ValueError:
        ttl = 86400
    key = s["certificate_key"]
    upload = flags.get("upload-certs") == "true"
    if upload and not key:
        key = secrets.token_hex(32)
    t = lc.now()
    kstate.select(h.split(":", 1)[1][:16])
    with kstate.locked() as cs:
        cs.clear()
        cs.update({"initialized": True, "version": vv, "endpoint": ep, "controlPlaneEndpoint": endpoint or "",
                   "imageRepository": s["repo"] or "", "podSubnet": s["pod_subnet"] or "",
                   "serviceSubnet": s["service_subnet"] or "10.96.0.0/12", "ca_hash": h, "ca_pem": ca_pem,
                   "runtime": runtime, "created": t,
                   "tokens": {token: {"expires": (t + ttl) if ttl else None, "created": t}},
                   "certs": {"key": key, "expires": t + 7200} if upload else {},
                   "nodes": {name: {"index": lc.node_index(), "address": adv, "role": "control-plane",
                                    "version": vv, "runtime": runtime, "joined": t}},
                   "objects": {}, "taints": {name: [_cp_taint(m)]}})
    # The cluster now exists, whatever becomes of this process: an init
    # whose output pipe is gone ends 141 at its next write with its work
    # done. The journal says so, for the tests' "initialised once".
    lc.journal(["kubeadm-effect", "init", "cluster created"], "done")
    out("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace")
    out("[kubelet] Creating a ConfigMap \"kubelet-config%s\" in namespace kube-system with the configuration for the "
        "kubelets in the cluster" % ("-1.%d" % m if m < 24 else ""))
    if upload:
        out("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace")
        out("[upload-certs] Using certificate key:")
        out(key)
    else:
        out("[upload-certs] Skipping phase. Please see --upload-certs")
    if m < 24:
        out("[mark-control-plane] Marking the node %s as control-plane by adding the labels "
            "\"node-role.kubernetes.io/master=''\" and \"node-role.kubernetes.io/control-plane='' (deprecated)\"" % name)
        out("[mark-control-plane] Marking the node %s as control-plane by adding the taints "
            "[node-role.kubernetes.io/master:NoSchedule]" % name)
    else:
        out("[mark-control-plane] Marking the node %s as control-plane by adding the labels: "
            "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]" % name)
        out("[mark-control-plane] Marking the node %s as control-plane by adding the taints "
            "[node-role.kubernetes.io/control-plane:NoSchedule]" % name)
    out("[bootstrap-token] Using token: %s" % token)
    out("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes")
    out("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get "
        "long term certificate credentials")
    out("[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a "
        "Node Bootstrap Token")
    out("[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster")
    out("[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace")
    out("[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client "
        "certificate and key")
    out("[addons] Applied essential addon: CoreDNS")
    out("[addons] Applied essential addon: kube-proxy")
    out("")
    out("Your Kubernetes control-plane has initialized successfully!")
    out("")
    out("To start using your cluster, you need to run the following as a regular user:")
    out("")
    out("  mkdir -p $HOME/.kube")
    out("  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config")
    out("  sudo chown $(id -u):$(id -g) $HOME/.kube/config")
    out("")
    out("Alternatively, if you are the root user, you can run:")
    out("")
    out("  export KUBECONFIG=/etc/kubernetes/admin.conf")
    out("")
    out("You should now deploy a pod network to the cluster.")
    out("Run \"kubectl apply -f [podnetwork].yaml\" with one of the options listed at:")
    out("  https://kubernetes.io/docs/concepts/cluster-administration/addons/")
    out("")
    skip_tok = flags.get("skip-token-print") == "true"
    shown = "<value withheld>" if skip_tok else token
    if endpoint:
        if upload:
            out("You can now join any number of the control-plane node running the following command on each as root:")
            out("")
            out("  " + _join_text(ep, shown, h, key if flags.get("skip-certificate-key-print") != "true"
                                  else "<value withheld>", True))
            out("")
            out("Please note that the certificate-key gives access to cluster sensitive data, keep it secret!")
            out("As a safeguard, uploaded-certs will be deleted in two hours; If necessary, you can use")
            out("\"kubeadm init phase upload-certs --upload-certs\" to reload certs afterward.")
        else:
            out("You can now join any number of control-plane nodes by copying certificate authorities")
            out("and service account keys on each node and then running the following as root:")
            out("")
            out("  " + _join_text(ep, shown, h, None, True))
        out("")
    out("Then you can join any number of worker nodes by running the following on each as root:")
    out("")
    out(_join_text(ep, shown, h))
    return 0


def _cp_taint(m):
    return "node-role.kubernetes.io/master:NoSchedule" if m < 24 else "node-role.kubernetes.io/control-plane:NoSchedule"


def _need_admin(flags):
    """The cluster, reached with the admin kubeconfig, or fail like kubeadm."""
    kc = flags.get("kubeconfig", "/etc/kubernetes/admin.conf")
    if lc.read_file(kc) is None:
        err("failed to load admin kubeconfig: open %s: no such file or directory" % kc)
        err(STACK)
        raise Exit(1)
    import fk_kubectl
    why = fk_kubectl.connect_error(kc)
    if why:
        err(why)
        err(STACK)
        raise Exit(1)
    return kstate.load()


def init_phase(flags, pos):
    if not pos:
        err("Use one of the available subcommands")
        raise Exit(1)
    if pos[0] == "upload-certs":
        if flags.get("upload-certs") != "true":
            out("[upload-certs] Skipping phase. Please see --upload-certs")
            return 0
        if "config" in flags:
            docs = load_config(flags["config"], "InitConfiguration")
            key = (docs.get("InitConfiguration") or {}).get("certificateKey") or flags.get("certificate-key")
        else:
            key = flags.get("certificate-key")
        _check_certkey(key)
        _need_admin(flags)
        key = key or secrets.token_hex(32)
        with kstate.locked() as cs:
            cs["certs"] = {"key": key, "expires": lc.now() + 7200}
        out("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace")
        out("[upload-certs] Using certificate key:")
        out(key)
        return 0
    if pos[0] == "preflight":
        version = resolve_version(flags.get("kubernetes-version"))
        preflight("init", version, flags, _runtime_for(version, flags.get("cri-socket")), True,
                  flags.get("image-repository"), images_needed=False)
        return 0
    err("unknown phase %s in the lab (supported: upload-certs, preflight)" % pos[0])
    raise Exit(1)


# ---- join ----------------------------------------------------------------------------------

def _join_hold():
    """Tests only: hold a join whose work is done (kubelet.conf, the Node)
    before its last lines, by a "SECONDS<TAB>lab-hold kubeadm-join-done"
    line in the lab's delays file, so that kubewiz can be killed right
    there (tests/reliability/kill-join.sh). After a hold the output goes
    out a line at a time, as kubeadm writes it: with the reader of the pipe
    gone, the first line ends the masking filter and the next one fails
    (exit 141), the work done but the join never reported."""
    sys.stdout.flush()
    if not lc.apply_delay(["lab-hold", "kubeadm-join-done"]):
        return
    out("[kubelet-start] The kubelet performed the TLS Bootstrap.")
    sys.stdout.flush()
    import time
    time.sleep(1)
    sys.stdout.flush()


# Flags kubeadm join accepts beside --config (kubeadm's isAllowedFlag,
# plus every --skip-*); the others make "can not mix" errors.
JOIN_ALLOWED_WITH_CONFIG = {"config", "ignore-preflight-errors", "dry-run", "kubeconfig", "node-name", "cri-socket",
                            "upload-certs", "print-join-command", "rootfs", "v", "log-file", "help"}

# The fields of a JoinConfiguration (v1beta2..v1beta4) kubeadm knows: a
# dict of known keys, None for a leaf; strict decoding refuses the others.
_JOIN_FIELDS = {
    "apiVersion": None, "kind": None, "caCertPath": None, "skipPhases": None, "patches": None, "dryRun": None,
    "timeouts": None,
    "discovery": {"bootstrapToken": {"apiServerEndpoint": None, "token": None, "caCertHashes": None,
                                     "unsafeSkipCAVerification": None},
                  "file": None, "tlsBootstrapToken": None, "timeout": None},
    "nodeRegistration": {"name": None, "criSocket": None, "taints": None, "kubeletExtraArgs": None,
                         "ignorePreflightErrors": None, "imagePullPolicy": None, "imagePullSerial": None},
    "controlPlane": {"localAPIEndpoint": {"advertiseAddress": None, "bindPort": None}, "certificateKey": None},
}


def _check_join_fields(d, api, known=None, path=""):
    """Refuse unknown fields of a JoinConfiguration and a caCertHashes that
    is not a list, as kubeadm's strict decoding does."""
    known = _JOIN_FIELDS if known is None else known
    for k, v in (d or {}).items():
        p = "%s.%s" % (path, k) if path else k
        if k not in known:
            err("error unmarshaling configuration schema.GroupVersionKind{Group:\"kubeadm.k8s.io\", Version:\"%s\", "
                "Kind:\"JoinConfiguration\"}: strict decoding error: unknown field \"%s\"" % (api, p))
            err(STACK)
            raise Exit(1)
        if k == "caCertHashes" and not isinstance(v, list):
            err("error unmarshaling configuration schema.GroupVersionKind{Group:\"kubeadm.k8s.io\", Version:\"%s\", "
                "Kind:\"JoinConfiguration\"}: json: cannot unmarshal %s into Go struct field "
                "BootstrapTokenDiscovery.discovery.bootstrapToken.caCertHashes of type []string"
                % (api, "string" if isinstance(v, str) else "object"))
            err(STACK)
            raise Exit(1)
        if isinstance(known[k], dict) and isinstance(v, dict):
            _check_join_fields(v, api, known[k], p)


def join(flags, pos):
    s = {}
    if "config" in flags:
        bad = sorted(k for k in flags if k not in JOIN_ALLOWED_WITH_CONFIG and not k.startswith("skip-"))
        if bad:
            err("can not mix '--config' with arguments %s" % ("[" + " ".join(bad) + "]"))
            err(STACK)
            raise Exit(1)
        docs = load_config(flags["config"], "JoinConfiguration")
        if "JoinConfiguration" not in docs:
            err("no JoinConfiguration kind was found in the YAML file")
            err(STACK)
            raise Exit(1)
        jc = docs.get("JoinConfiguration", {})
        _check_join_fields(jc, jc.get("apiVersion", "").split("/")[-1])
        disc = (jc.get("discovery") or {}).get("bootstrapToken") or {}
        s["endpoint"] = disc.get("apiServerEndpoint")
        s["token"] = disc.get("token")
        s["hashes"] = disc.get("caCertHashes") or []
        s["unsafe"] = disc.get("unsafeSkipCAVerification", False)
        cp = jc.get("controlPlane")
        s["control_plane"] = cp is not None
        s["certificate_key"] = (cp or {}).get("certificateKey")
        s["advertise"] = ((cp or {}).get("localAPIEndpoint") or {}).get("advertiseAddress")
        nr = jc.get("nodeRegistration") or {}
        s["node_name"] = nr.get("name")
        s["cri_socket"] = nr.get("criSocket")
    else:
        s["endpoint"] = pos[0] if pos else None
        s["token"] = flags.get("token") or flags.get("discovery-token")
        s["hashes"] = [flags["discovery-token-ca-cert-hash"]] if "discovery-token-ca-cert-hash" in flags else []
        s["unsafe"] = flags.get("discovery-token-unsafe-skip-ca-verification") == "true"
        s["control_plane"] = flags.get("control-plane") == "true"
        s["certificate_key"] = flags.get("certificate-key")
        s["advertise"] = flags.get("apiserver-advertise-address")
        s["node_name"] = flags.get("node-name")
        s["cri_socket"] = flags.get("cri-socket")
    if not s["endpoint"] or not s["token"]:
        err("discovery: Invalid value: \"\": bootstrapToken or file must be set")
        err(STACK)
        raise Exit(1)
    if not kstate.TOKEN_RE.match(s["token"]):
        err("[discovery.bootstrapToken.token: Invalid value: \"%s\": the bootstrap token \"%s\" was not of the form "
            "\"\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z\"]" % (s["token"], s["token"]))
        err(STACK)
        raise Exit(1)
    if not s["hashes"] and not s["unsafe"]:
        err("discovery.bootstrapToken: Invalid value: \"\": using token-based discovery without caCertHashes can be "
            "unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass "
            "--discovery-token-unsafe-skip-ca-verification flag to continue")
        err(STACK)
        raise Exit(1)
    _check_certkey(s["certificate_key"])
    host, _, port = s["endpoint"].rpartition(":")
    if not host:
        host, port = s["endpoint"], "6443"
    addr = kstate.resolve(host)
    if addr is None or not kstate.select_by_address(addr):
        kstate.select("none")
    cs = kstate.load()
    version = "v" + (cs.get("version") or my_version())
    runtime = _runtime_for(version, s["cri_socket"])
    preflight("join", version, flags, runtime, s["control_plane"], cs.get("imageRepository") or None,
              images_needed=False)
    # Discovery: reach the API server through the node's own name resolution.
    url = "https://%s/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s" % s["endpoint"]
    if addr is None:
        fail_phase("preflight", "couldn't validate the identity of the API Server: Get \"%s\": dial tcp: lookup %s on "
                                "127.0.0.53:53: no such host" % (url, host))
    if port != "6443" or not kstate.api_up(cs, addr):
        fail_phase("preflight", "couldn't validate the identity of the API Server: Get \"%s\": dial tcp %s:%s: "
                                "connect: connection refused" % (url, addr, port))
    tid = s["token"].split(".")[0]
    tk = cs.get("tokens", {}).get(s["token"])
    if tk is None or (tk.get("expires") is not None and tk["expires"] <= lc.now()):
        fail_phase("preflight", "couldn't validate the identity of the API Server: could not find a JWS signature in "
                                "the cluster-info ConfigMap for token ID \"%s\"" % tid)
    if s["hashes"] and cs.get("ca_hash") not in s["hashes"]:
        fail_phase("preflight", "couldn't validate the identity of the API Server: cluster CA found in cluster-info "
                                "ConfigMap is invalid: none of the public keys \"%s\" are pinned" % cs.get("ca_hash"))
    out("[preflight] Reading configuration from the cluster...")
    out("[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'")
    name = s.get("node_name") or os.uname().nodename
    other = cs.get("nodes", {}).get(name)
    if other and other.get("index") != lc.node_index() and \
            kstate.kubelet_problem(other["index"], other.get("version")) is None:
        fail_phase("kubelet-start", "a Node with name \"%s\" and status \"Ready\" already exists in the cluster. You "
                                    "must delete the existing Node or change the name of this new joining Node" % name)
    pkk = lc.installed_packages().get("kubelet")
    if pkk and kstate.vtuple(pkk["version"])[:2] > kstate.vtuple(version)[:2]:
        fail_phase("preflight", "kubelet version \"%s\" is higher than the control plane version \"%s\"; this is not a "
                                "supported version skew" % (pkk["version"], version))
    m = kstate.minor(version)
    if s["control_plane"]:
        if not cs.get("controlPlaneEndpoint"):
            fail_phase("preflight", "\nOne or more conditions for hosting a new control plane instance is not "
                                    "satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't "
                                    "have a stable controlPlaneEndpoint address\n\nPlease ensure that:\n* The cluster "
                                    "has a stable controlPlaneEndpoint address.\n* The certificates that must be shared "
                                    "among control plane instances are provided.\n")
        out("[preflight] Running pre-flight checks before initializing the new control plane instance")
        # the control-plane images
        for img in kstate.image_list(version, cs.get("imageRepository") or None):
            why = pull_one(img, runtime)
            if why:
                fail_phase("preflight", "[preflight] Some fatal errors occurred:\n\t[ERROR ImagePull]: failed to pull "
                                        "image %s: output: %s\n, error: exit status 1" % (img, why))
        certs = cs.get("certs") or {}
        if s["certificate_key"]:
            out("[download-certs] Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace")
            if not certs or certs.get("expires", 0) <= lc.now():
                fail_phase("control-plane-prepare/download-certs", "error downloading certs: error downloading the "
                           "secret: Secret \"kubeadm-certs\" was not found in the \"kube-system\" Namespace. This Secret "
                           "might have expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a control "
                           "plane to generate a new one")
            if certs.get("key") != s["certificate_key"]:
                fail_phase("control-plane-prepare/download-certs", "error downloading certs: error decoding secret "
                           "data with provided key: cipher: message authentication failed")
        else:
            fail_phase("control-plane-prepare/certs", "error creating PKI assets: failure loading ca certificate "
                       "authority: couldn't load the certificate file /etc/kubernetes/pki/ca.crt: open "
                       "/etc/kubernetes/pki/ca.crt: no such file or directory")
    # Write the node's files, start the kubelet, wait for it.
    lc.write_file("/etc/kubernetes/pki/ca.crt", cs["ca_pem"])
    server = "https://%s" % s["endpoint"]
    lc.write_file("/etc/kubernetes/bootstrap-kubelet.conf", kstate.kubeconfig(server, cs["ca_pem"], "tls-bootstrap-token-user"),
                  mode=0o600)
    adv = s["advertise"] or kstate.my_address()
    if s["control_plane"]:
        out("[certs] Using certificateDir folder \"/etc/kubernetes/pki\"")
        out("[certs] Generating \"apiserver\" certificate and key")
        out("[kubeconfig] Writing \"admin.conf\" kubeconfig file")
        lc.write_file("/etc/kubernetes/admin.conf", kstate.kubeconfig(server, cs["ca_pem"]), mode=0o600)
        out("[control-plane] Using manifest folder \"/etc/kubernetes/manifests\"")
        for comp in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"):
            lc.write_file("/etc/kubernetes/manifests/%s.yaml" % comp,
                          "apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: kube-system\n" % comp)
        os.makedirs("/var/lib/etcd/member", exist_ok=True)
    out("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"")
    out("[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"")
    out("[kubelet-start] Starting the kubelet")
    kst = {"cgroup_driver": None, "fail_swap_on": True, "repo": cs.get("imageRepository") or None}
    _write_kubelet_files(kst, version, runtime)
    with lc.sys_state() as st:
        st.setdefault("services", {})["kubelet"] = "active"
    if m >= 31:
        out("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s")
    out("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap...")
    _wait_kubelet("kubelet-start", "error uploading crisocket: timed out waiting for the condition" if m < 31 else
                  "The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error", version)
    lc.write_file("/etc/kubernetes/kubelet.conf", kstate.kubeconfig(server, cs["ca_pem"], "system:node:" + name), mode=0o600)
    os.unlink("/etc/kubernetes/bootstrap-kubelet.conf")
    with kstate.locked() as c2:
        c2.setdefault("nodes", {})[name] = {"index": lc.node_index(), "address": adv,
                                            "role": "control-plane" if s["control_plane"] else "worker",
                                            "version": (pkk or {}).get("version", version.lstrip("v")),
                                            "runtime": runtime, "joined": lc.now()}
        if s["control_plane"]:
            c2.setdefault("taints", {})[name] = [_cp_taint(m)]
    _join_hold()
    out("")
    if s["control_plane"]:
        out("This node has joined the cluster and a new control plane instance was created:")
        out("")
        out("* Certificate signing request was sent to apiserver and approval was received.")
        out("* The Kubelet was informed of the new secure connection details.")
        out("* Control plane label and taint were applied to the new node.")
        out("* The Kubernetes control plane instances scaled up.")
        out("* A new etcd member was added to the local/stacked etcd cluster.")
        out("")
        out("To start administering your cluster from this node, you need to run the following as a regular user:")
        out("")
        out("\tmkdir -p $HOME/.kube")
        out("\tsudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config")
        out("\tsudo chown $(id -u):$(id -g) $HOME/.kube/config")
        out("")
        out("Run 'kubectl get nodes' to see this node join the cluster.")
    else:
        out("This node has joined the cluster:")
        out("* Certificate signing request was sent to apiserver and a response was received.")
        out("* The Kubelet was informed of the new secure connection details.")
        out("")
        out("Run 'kubectl get nodes' on the control-plane to see this node join the cluster.")
    out("")
    return 0


# ---- token / certs / config / reset / version ---------------------------------------------

def token(flags, pos):
    sub = pos[0] if pos else ""
    if sub == "generate":
        out(kstate.gen_token())
        return 0
    if sub == "create":
        tok = pos[1] if len(pos) > 1 else None
        if "config" in flags:
            # kubeadm takes the first of the InitConfiguration's
            # bootstrapTokens (its token, ttl), a token argument aside.
            bts = (load_config(flags["config"], "InitConfiguration").get("InitConfiguration") or {}).get(
                "bootstrapTokens") or [{}]
            tok = tok or bts[0].get("token")
            flags["ttl"] = str(bts[0].get("ttl") or "24h0m0s")
        if tok and not kstate.TOKEN_RE.match(tok):
            err("the bootstrap token \"%s\" was not of the form \"\\\\A([a-z0-9]{6})\\\\.([a-z0-9]{16})\\\\z\"" % tok)
            err(STACK)
            raise Exit(1)
        _check_certkey(flags.get("certificate-key"))
        try:
            ttl = kstate.parse_duration(flags.get("ttl", "24h0m0s"))
        except ValueError:
            err("invalid argument \"%s\" for \"--ttl\" flag: time: invalid duration \"%s\"" % (flags["ttl"], flags["ttl"]))
            raise Exit(1)
        cs = _need_admin(flags)
        tok = tok or kstate.gen_token()
        with kstate.locked() as c2:
            toks = c2.setdefault("tokens", {})
            old = toks.get(tok)
            if old and (old.get("expires") is None or old["expires"] > lc.now()):
                err("a token with id \"%s\" already exists" % tok.split(".")[0])
                err(STACK)
                raise Exit(1)
            toks[tok] = {"expires": (lc.now() + ttl) if ttl else None, "created": lc.now()}
        if flags.get("print-join-command") == "true":
            line = "kubeadm join %s --token %s --discovery-token-ca-cert-hash %s " % (cs["endpoint"], tok, cs["ca_hash"])
            if flags.get("certificate-key"):
                line += "--control-plane --certificate-key %s " % flags["certificate-key"]
            out(line)
        else:
            out(tok)
        return 0
    if sub == "list":
        cs = _need_admin(flags)
        now = lc.now()
        rows = [(t, d) for t, d in cs.get("tokens", {}).items() if d.get("expires") is None or d["expires"] > now]
        if rows:
            out("TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION"
                "                                                EXTRA GROUPS")
        for t, d in rows:
            if d.get("expires") is None:
                ttl, exp = "<forever>", "<never>"
            else:
                left = int(d["expires"] - now)
                ttl = "%dh" % (left // 3600) if left >= 3600 else "%dm" % (left // 60)
                exp = lc.iso(d["expires"])
            out("%-25s %-11s %-22s %-24s %-58s %s" % (t, ttl, exp, "authentication,signing",
                                                      "<none>", "system:bootstrappers:kubeadm:default-node-token"))
        return 0
    if sub == "delete":
        _need_admin(flags)
        with kstate.locked() as c2:
            for t in pos[1:]:
                for k in list(c2.get("tokens", {})):
                    if k == t or k.split(".")[0] == t:
                        del c2["tokens"][k]
                        out("bootstrap token \"%s\" deleted" % k.split(".")[0])
        return 0
    err("Error: unknown command \"%s\" for \"kubeadm token\"" % sub)
    raise Exit(1)


def config(flags, pos):
    sub = pos[0] if pos else ""
    if sub == "images" and len(pos) > 1 and pos[1] in ("list", "pull"):
        if "config" in flags:
            docs = load_config(flags["config"], "InitConfiguration")
            cc = docs.get("ClusterConfiguration", {})
            version = resolve_version(cc.get("kubernetesVersion"))
            repo = cc.get("imageRepository")
            cri = (docs.get("InitConfiguration", {}).get("nodeRegistration") or {}).get("criSocket")
        else:
            version = resolve_version(flags.get("kubernetes-version"))
            repo = flags.get("image-repository")
            cri = flags.get("cri-socket")
        imgs = kstate.image_list(version, repo)
        if pos[1] == "list":
            for i in imgs:
                out(i)
            return 0
        runtime = _runtime_for(version, cri)
        if runtime == "containerd":
            import fk_runtime
            why = fk_runtime.cri_socket_error()
            if why:
                err("failed to create new CRI runtime service: validate service connection: " + why.split("output: ", 1)[-1])
                err(STACK)
                raise Exit(1)
        else:
            import fk_runtime
            if not fk_runtime.docker_running():
                err("failed to pull image \"%s\": output: Cannot connect to the Docker daemon at "
                    "unix:///var/run/docker.sock. Is the docker daemon running?\n, error: exit status 1" % imgs[0])
                err(STACK)
                raise Exit(1)
        for i in imgs:
            why = pull_one(i, runtime)
            if why:
                err("failed to pull image \"%s\": output: %s\n, error: exit status 1" % (i, why))
                err(STACK)
                raise Exit(1)
            out("[config/images] Pulled %s" % i)
        return 0
    if sub == "print" and len(pos) > 1 and pos[1] == "init-defaults":
        api = "v1beta4" if kstate.minor(my_version()) >= 31 else ("v1beta3" if kstate.minor(my_version()) >= 22 else "v1beta2")
        out("apiVersion: kubeadm.k8s.io/%s\nbootstrapTokens:\n- groups:\n  - system:bootstrappers:kubeadm:default-node-token\n"
            "  token: abcdef.0123456789abcdef\n  ttl: 24h0m0s\n  usages:\n  - signing\n  - authentication\n"
            "kind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 1.2.3.4\n  bindPort: 6443\n"
            "nodeRegistration:\n  criSocket: unix:///var/run/containerd/containerd.sock\n  imagePullPolicy: IfNotPresent\n"
            "  name: node\n  taints: null\n---\napiVersion: kubeadm.k8s.io/%s\nkind: ClusterConfiguration\n"
            "imageRepository: registry.k8s.io\nkubernetesVersion: %s\nnetworking:\n  dnsDomain: cluster.local\n"
            "  serviceSubnet: 10.96.0.0/12\n" % (api, api, "v" + my_version().rsplit(".", 1)[0] + ".0"))
        return 0
    err("Error: unknown command \"%s\" for \"kubeadm config\"" % " ".join(pos))
    raise Exit(1)


def reset(flags, pos):
    if flags.get("force") != "true":
        sys.stderr.write("[reset] Are you sure you want to proceed? [y/N]: ")
        sys.stderr.flush()
        ans = sys.stdin.readline().strip()
        if ans not in ("y", "Y"):
            fail_phase("preflight", "won't proceed; the user didn't answer (Y|y) in order to continue")
    out("[preflight] Running pre-flight checks")
    name = None
    if not kstate.select_by_node(lc.node_index()):
        kstate.select("none")
    cs = kstate.load()
    for n, d in cs.get("nodes", {}).items():
        if d.get("index") == lc.node_index():
            name = n
    if os.path.exists("/etc/kubernetes/manifests/etcd.yaml"):
        out("[reset] Removing info for node \"%s\" from the ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace"
            % (name or os.uname().nodename))
    out("[reset] Deleted contents of the etcd data directory: /var/lib/etcd")
    out("[reset] Stopping the kubelet service")
    with lc.sys_state() as st:
        st.setdefault("services", {}).pop("kubelet", None)
    out("[reset] Unmounting mounted directories in \"/var/lib/kubelet\"")
    out("[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]")
    out("[reset] Deleting files: [/etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf /etc/kubernetes/kubelet.conf "
        "/etc/kubernetes/bootstrap-kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf]")
    for d in ("/etc/kubernetes/manifests", "/etc/kubernetes/pki", "/var/lib/etcd"):
        shutil.rmtree(d, ignore_errors=True)
    if os.path.isdir("/var/lib/kubelet"):
        for e in os.listdir("/var/lib/kubelet"):
            p = os.path.join("/var/lib/kubelet", e)
            shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else os.unlink(p)
    for f in ("admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf", "controller-manager.conf",
              "scheduler.conf"):
        try:
            os.unlink("/etc/kubernetes/" + f)
        except OSError:
            pass
    try:
        os.unlink(os.path.join(lc.VOL, "failed-kubelet"))
    except OSError:
        pass
    # The cluster: the first control plane takes it down; others leave it.
    # A worker's Node object stays (NotReady) until "kubectl delete node";
    # a control plane leaves etcd, and the last one takes the cluster down.
    with kstate.locked() as c2:
        if name and name in c2.get("nodes", {}) and c2["nodes"][name].get("role") == "control-plane":
            del c2["nodes"][name]
            if not any(d.get("role") == "control-plane" for d in c2["nodes"].values()):
                c2.clear()
    out("")
    out("The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d")
    out("")
    out("The reset process does not reset or clean up iptables rules or IPVS tables.")
    out("If you wish to reset iptables, you must do so manually by using the \"iptables\" command.")
    out("")
    out("If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)")
    out("to reset your system's IPVS tables.")
    out("")
    out("The reset process does not clean your kubeconfig files and you must remove them manually.")
    out("Please, check the contents of the $HOME/.kube/config file.")
    return 0


def version(flags, pos):
    v = my_version()
    o = flags.get("output", "")
    if o == "short":
        out("v" + v)
    elif o == "json":
        out('{\n  "clientVersion": {\n    "major": "1",\n    "minor": "%d",\n    "gitVersion": "v%s",\n    '
            '"goVersion": "go1.22.5",\n    "compiler": "gc",\n    "platform": "linux/amd64"\n  }\n}' % (kstate.minor(v), v))
    elif o == "yaml":
        out("clientVersion:\n  gitVersion: v%s\n  major: \"1\"\n  minor: \"%d\"\n  platform: linux/amd64" % (v, kstate.minor(v)))
    else:
        out('kubeadm version: &version.Info{Major:"1", Minor:"%d", GitVersion:"v%s", GitCommit:"lab", '
            'GitTreeState:"clean", BuildDate:"2024-01-01T00:00:00Z", GoVersion:"go1.22.5", Compiler:"gc", '
            'Platform:"linux/amd64"}' % (kstate.minor(v), v))
    return 0


def certs(flags, pos):
    if pos and pos[0] == "certificate-key":
        out(secrets.token_hex(32))
        return 0
    if pos and pos[0] == "check-expiration":
        _need_admin(flags)
        out("CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED")
        return 0
    err("Error: unknown command \"%s\" for \"kubeadm certs\"" % " ".join(pos))
    raise Exit(1)


def kubeadm(argv):
    a = argv[1:]
    flags, pos = parse_flags(a, BOOLS)
    if not pos:
        if "version" in flags:
            return version(flags, [])
        out("kubeadm: easily bootstrap a secure Kubernetes cluster")
        return 0
    cmd, rest = pos[0], pos[1:]
    if cmd in ("init", "join", "reset") and os.geteuid() != 0:
        err("[preflight] Running pre-flight checks\nerror execution phase preflight: [preflight] Some fatal errors "
            "occurred:\n\t[ERROR IsPrivilegedUser]: user is not running as root")
        raise Exit(1)
    fn = {"init": init, "join": join, "token": token, "config": config, "reset": reset,
          "version": version, "certs": certs}.get(cmd)
    if fn is None:
        err("unknown command \"%s\" for \"kubeadm\"\nRun 'kubeadm --help' for usage." % cmd)
        raise Exit(1)
    return fn(flags, rest)
