"""fk_runtime: the container runtimes: docker, containerd (config default,
--version), ctr and crictl. Their state (running, cgroup driver, CRI on or
off, sandbox image, pulled images) comes from the real config files in the
node's /etc and the simulated services; image pulls follow the lab's
registry rules (registry.k8s.io and k8s.gcr.io are unreachable)."""

import hashlib
import json
import os
import re
import sys

import labcommon as lc
from labcommon import Exit, err, out

IMAGES_PATH = os.path.join(lc.STATE, "images.json")

# Registries that answer, and the repositories they have.
MIRROR_REPOS = {"registry.cn-hangzhou.aliyuncs.com/google_containers",
                "registry.aliyuncs.com/google_containers",
                "registry.cn-hangzhou.aliyuncs.com/lfy_k8s_images"}
BLOCKED = {"registry.k8s.io", "k8s.gcr.io", "gcr.io"}
OPEN_REGISTRIES = {"docker.io", "registry-1.docker.io", "quay.io", "ghcr.io"}


def split_ref(ref):
    """(registry, repository path, tag) of an image reference."""
    name, tag = ref, "latest"
    if "@" in name:
        name, tag = name.split("@", 1)
    elif ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        reg, path = parts[0], "/".join(parts[1:])
    else:
        reg, path = "docker.io", name if len(parts) > 1 else "library/" + name
    return reg, path, tag


def normalize(ref):
    reg, path, tag = split_ref(ref)
    return "%s/%s:%s" % (reg, path, tag)


def dockerhub_blocked():
    """`lab up --no-docker-hub`: docker.io answers only through a mirror."""
    return "dockerhub=blocked" in (lc.read_file(os.path.join(lc.LAB, "policy"), "") or "")


def node_has_dockerhub_mirror(index=None):
    """Whether a node's runtime is set up with a registry mirror for docker.io:
    Docker's registry-mirrors, or containerd's certs.d/docker.io/hosts.toml."""
    import kstate
    index = lc.node_index() if index is None else index
    etc, _varlib = kstate.node_paths(index)
    pk = kstate.node_packages(index)
    rt = kstate.node_runtime(index)
    if rt == "docker" or (rt is None and "docker-ce" in pk):
        if docker_daemon_config(etc).get("registry-mirrors"):
            return True
        if rt == "docker":
            return False
    f = cri_facts(etc, pk)
    cp = f.get("config_path") or ""
    if cp.startswith("/etc/"):
        cp = os.path.join(etc, cp[5:])
    return bool(_mirrors(cp).get("docker.io"))


def pull_error(ref, index=None):
    """Why a pull of ref fails on a node (default this one), as the runtime
    words it, or None."""
    reg, path, tag = split_ref(ref)
    if reg in BLOCKED:
        return ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to do request: '
                'Head "https://%s/v2/%s/manifests/%s": dial tcp 34.96.108.209:443: i/o timeout'
                % (normalize(ref), ref, reg, path, tag))
    if reg in ("docker.io", "registry-1.docker.io") and dockerhub_blocked() and not node_has_dockerhub_mirror(index):
        return ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to do request: '
                'Head "https://registry-1.docker.io/v2/%s/manifests/%s": dial tcp 104.244.46.57:443: i/o timeout'
                % (normalize(ref), ref, path, tag))
    if reg in OPEN_REGISTRIES:
        return None
    repo = "%s/%s" % (reg, path.rsplit("/", 1)[0]) if "/" in path else reg
    if reg.endswith("aliyuncs.com"):
        if repo not in MIRROR_REPOS:
            return ('failed to pull and unpack image "%s": failed to resolve reference "%s": pull access denied, '
                    'repository does not exist or may require authorization: server message: insufficient_scope: '
                    'authorization failed' % (normalize(ref), ref))
        return None
    return ('failed to pull and unpack image "%s": failed to resolve reference "%s": failed to do request: '
            'Head "https://%s/v2/%s/manifests/%s": dial tcp: lookup %s: no such host'
            % (normalize(ref), ref, reg, path, tag, reg.split(":")[0]))


def images(kind):
    return lc.load_json(IMAGES_PATH, {}).get(kind, [])


def add_image(kind, ref):
    with lc.Locked(IMAGES_PATH, {}) as im:
        lst = im.setdefault(kind, [])
        n = normalize(ref)
        if n not in lst:
            lst.append(n)


def pkg_version(*names):
    pk = lc.installed_packages()
    for n in names:
        if n in pk:
            return pk[n]["version"]
    return None


# ---- containerd --------------------------------------------------------------

def containerd_version(pkgs=None):
    pk = lc.installed_packages() if pkgs is None else pkgs
    for n in ("containerd.io", "containerd"):
        if n in pk:
            return pk[n]["version"]
    return None


def containerd_major(pkgs=None):
    v = containerd_version(pkgs) or "1.6.0"
    return int(v.split(".")[0])


def default_sandbox(pkgs=None):
    v = containerd_version(pkgs) or "1.6.0"
    mm = tuple(int(x) for x in v.split("~")[0].split(".")[:2])
    if mm < (1, 5):
        return "k8s.gcr.io/pause:3.2"
    if mm < (1, 7):
        return "registry.k8s.io/pause:3.6"
    if mm < (2, 0):
        return "registry.k8s.io/pause:3.8"
    return "registry.k8s.io/pause:3.10"


def default_config(pkgs=None):
    name = "containerd-config-v3.toml" if containerd_major(pkgs) >= 2 else "containerd-config-v2.toml"
    with open(os.path.join(lc.DATA, name)) as f:
        return f.read().replace("@SANDBOX@", default_sandbox(pkgs))


def _load_toml(txt):
    import tomllib
    return tomllib.loads(txt)


def containerd_config(etc="/etc", pkgs=None):
    """The effective config as a dict: the file if present, else defaults."""
    txt = lc.read_file(os.path.join(etc, "containerd/config.toml"))
    if txt is None:
        return _load_toml(default_config(pkgs)), False
    try:
        return _load_toml(txt), True
    except Exception:
        return None, True


def containerd_config_error(txt):
    try:
        cfg = _load_toml(txt)
    except Exception as e:
        return "containerd: failed to load TOML: /etc/containerd/config.toml: %s" % e
    if cfg.get("version", 1) == 3 and containerd_major() < 2:
        return "containerd: unsupported config version `3`"
    return None


def _get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def cri_facts(etc="/etc", pkgs=None):
    """dict: cri_enabled, systemd_cgroup, sandbox, config_path."""
    cfg, from_file = containerd_config(etc, pkgs)
    if cfg is None:
        return {"cri_enabled": False, "systemd_cgroup": False, "sandbox": default_sandbox(pkgs), "config_path": "",
                "mirrors": {}, "version": cfg and cfg.get("version", 1)}
    disabled = cfg.get("disabled_plugins", []) or []
    cri_on = not any(x in ("cri", "io.containerd.grpc.v1.cri") for x in disabled)
    plugins = cfg.get("plugins", {})
    if cfg.get("version", 1) == 3:
        sc = _get(plugins, "io.containerd.cri.v1.runtime", "containerd", "runtimes", "runc", "options", "SystemdCgroup")
        sb = _get(plugins, "io.containerd.cri.v1.images", "pinned_images", "sandbox")
        cp = _get(plugins, "io.containerd.cri.v1.images", "registry", "config_path")
    else:
        cri = plugins.get("io.containerd.grpc.v1.cri", {}) if cfg.get("version", 1) == 2 else plugins.get("cri", {})
        sc = _get(cri, "containerd", "runtimes", "runc", "options", "SystemdCgroup")
        sb = cri.get("sandbox_image")
        cp = _get(cri, "registry", "config_path")
    return {"cri_enabled": cri_on, "systemd_cgroup": bool(sc), "sandbox": sb or default_sandbox(pkgs),
            "config_path": cp or "", "mirrors": _mirrors(cp or "")}


def _mirrors(config_path):
    res = {}
    if not config_path or not os.path.isdir(config_path):
        return res
    for reg in os.listdir(config_path):
        txt = lc.read_file(os.path.join(config_path, reg, "hosts.toml"))
        if txt:
            res[reg] = re.findall(r'\[host\."([^"]+)"\]', txt)
    return res


def containerd_running():
    return lc.service_active("containerd")


def cri_socket_error():
    """Why the CRI socket is unusable, with kubeadm's wording, or None."""
    if not containerd_version():
        return ("[ERROR CRI]: container runtime is not running: output: time=\"%s\" level=fatal msg=\"validate "
                "service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": "
                "rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix "
                "/var/run/containerd/containerd.sock: connect: no such file or directory\\\"\"\n, error: exit status 1" % lc.iso())
    if not containerd_running():
        return ("[ERROR CRI]: container runtime is not running: output: time=\"%s\" level=fatal msg=\"validate "
                "service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": "
                "rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix "
                "/var/run/containerd/containerd.sock: connect: connection refused\\\"\"\n, error: exit status 1" % lc.iso())
    if not cri_facts()["cri_enabled"]:
        return ("[ERROR CRI]: container runtime is not running: output: time=\"%s\" level=fatal msg=\"validate "
                "service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": "
                "rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService\"\n, error: exit status 1"
                % lc.iso())
    return None


def containerd(argv):
    a = argv[1:]
    if not a or a[0] in ("--version", "-v", "-version"):
        v = containerd_version() or "1.6.20"
        if "containerd.io" in lc.installed_packages():
            out("containerd containerd.io %s %s" % (v, "d2d58213818a3b3e2e7d45bd1f5d3b4a7c1e1a47"))
        else:
            out("containerd github.com/containerd/containerd %s %s" % (v.split("-")[0], v))
        return 0
    if a[0] == "config" and len(a) > 1 and a[1] == "default":
        sys.stdout.write(default_config())
        return 0
    if a[0] == "config" and len(a) > 1 and a[1] == "dump":
        txt = lc.read_file("/etc/containerd/config.toml") or default_config()
        sys.stdout.write(txt)
        return 0
    err("containerd: flag provided but not defined: %s" % a[0])
    raise Exit(1)


def ctr(argv):
    a = argv[1:]
    ns = "default"
    i = 0
    while i < len(a) and a[i].startswith("-"):
        if a[i] in ("-n", "--namespace"):
            ns = a[i + 1] if i + 1 < len(a) else ns
            i += 1
        elif a[i].startswith("--namespace="):
            ns = a[i].split("=", 1)[1]
        i += 1
    words = a[i:]
    v = containerd_version() or "1.6.20"
    if words and words[0] == "version":
        out("Client:\n  Version:  %s\n  Revision: d2d58213818a\n  Go version: go1.22.7\n" % v)
        if not containerd_running():
            err('ctr: failed to dial "/run/containerd/containerd.sock": connection error: desc = "transport: error '
                'while dialing: dial unix:///run/containerd/containerd.sock: timeout"')
            raise Exit(1)
        out("Server:\n  Version:  %s\n  Revision: d2d58213818a\n  UUID: 5b2c0f58-lab" % v)
        return 0
    if not containerd_running():
        err('ctr: failed to dial "/run/containerd/containerd.sock": connection error: desc = "transport: error while '
            'dialing: dial unix:///run/containerd/containerd.sock: timeout"')
        raise Exit(1)
    if words and words[0] in ("images", "image", "i"):
        sub = words[1] if len(words) > 1 else "ls"
        if sub in ("ls", "list"):
            out("REF                                                               TYPE                                                 DIGEST SIZE PLATFORMS LABELS")
            for r in images("containerd") if ns == "k8s.io" else []:
                out("%s application/vnd.docker.distribution.manifest.list.v2+json sha256:0000 10.0 MiB linux/amd64 -" % r)
            return 0
        if sub == "pull" and len(words) > 2:
            why = pull_error(words[2])
            if why:
                err("ctr: " + why)
                raise Exit(1)
            add_image("containerd", words[2])
            out("%s: resolved" % words[2])
            return 0
    if words and words[0] in ("namespaces", "ns"):
        out("NAME    LABELS\nk8s.io")
        return 0
    if words and words[0] in ("plugins", "plugin"):
        f = cri_facts()
        out("TYPE                                  ID                       PLATFORMS      STATUS")
        out("io.containerd.grpc.v1                 cri                      linux/amd64    %s" % ("ok" if f["cri_enabled"] else "skip"))
        return 0
    if words and words[0] in ("containers", "c", "tasks", "t", "snapshots", "content"):
        return 0
    err("ctr: No help topic for '%s'" % (words[0] if words else ""))
    raise Exit(1)


def crictl(argv):
    a = argv[1:]
    words = [x for x in a if not x.startswith("-")]
    if words and words[0] == "config":
        sets = []
        for i, x in enumerate(a):
            if x == "--set" and i + 1 < len(a):
                sets.append(a[i + 1])
            elif x.startswith("--set="):
                sets.append(x.split("=", 1)[1])
        for s in list(sets):
            for part in s.split(","):
                if "=" in part:
                    k, v = part.split("=", 1)
                    cur = lc.read_file("/etc/crictl.yaml", "") or ""
                    lines = [ln for ln in cur.splitlines() if not ln.startswith(k + ":")]
                    lines.append("%s: %s" % (k, v))
                    lc.write_file("/etc/crictl.yaml", "\n".join(lines) + "\n")
        if not sets and len(words) > 1:
            for ln in (lc.read_file("/etc/crictl.yaml", "") or "").splitlines():
                if ln.startswith(words[1] + ":"):
                    out(ln.split(":", 1)[1].strip())
        return 0
    if words and words[0] == "--version" or "--version" in a:
        out("crictl version v%s" % (pkg_version("cri-tools") or "1.30.0"))
        return 0
    if lc.read_file("/etc/crictl.yaml") is None:
        err('WARN[0000] runtime connect using default endpoints: [unix:///var/run/dockershim.sock '
            'unix:///run/containerd/containerd.sock unix:///run/crio/crio.sock unix:///var/run/cri-dockerd.sock]. '
            'As the default settings are now deprecated, you should set the endpoint instead.')
    why = cri_socket_error()
    if why:
        msg = re.sub(r"^\[ERROR CRI\]: container runtime is not running: output: ", "", why.split("\n")[0])
        err("E%s   validate service connection: %s" % (lc.iso()[5:19].replace("-", "").replace("T", " "), msg))
        err('FATA[0000] validate service connection: validate CRI v1 runtime API for endpoint '
            '"unix:///run/containerd/containerd.sock": rpc error')
        raise Exit(1)
    f = cri_facts()
    cmd = words[0] if words else ""
    if cmd == "info":
        info = {"status": {"conditions": [{"type": "RuntimeReady", "status": True},
                                          {"type": "NetworkReady", "status": os.path.isdir("/etc/cni/net.d") and bool(os.listdir("/etc/cni/net.d"))}]},
                "config": {"containerd": {"snapshotter": "overlayfs", "defaultRuntimeName": "runc",
                                          "runtimes": {"runc": {"runtimeType": "io.containerd.runc.v2",
                                                                "options": {"SystemdCgroup": f["systemd_cgroup"]}}}},
                           "sandboxImage": f["sandbox"], "registry": {"configPath": f["config_path"]}}}
        out(json.dumps(info, indent=2))
        return 0
    if cmd == "version":
        out("Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v%s\nRuntimeApiVersion:  v1" % containerd_version())
        return 0
    if cmd in ("images", "img"):
        out("IMAGE                                                             TAG                 IMAGE ID            SIZE")
        for r in images("containerd"):
            reg, path, tag = split_ref(r)
            out("%-65s %-19s %-19s 10MB" % ("%s/%s" % (reg, path), tag, "0123456789ab"))
        return 0
    if cmd == "pull" and len(words) > 1:
        why = pull_error(words[1])
        if why:
            err('E0000 00:00:00.000000    1234 remote_image.go:180] "PullImage from image service failed" err="rpc error: '
                'code = Unknown desc = %s" image="%s"' % (why, words[1]))
            err('FATA[0030] pulling image: rpc error: code = Unknown desc = %s' % why)
            raise Exit(1)
        add_image("containerd", words[1])
        out("Image is up to date for sha256:0123456789abcdef")
        return 0
    if cmd in ("inspecti",):
        rc = 0
        for ref in words[1:]:
            if normalize(ref) in images("containerd"):
                out(json.dumps({"status": {"id": "sha256:" + hashlib.sha256(ref.encode()).hexdigest(),
                                           "repoTags": [ref], "size": "10485760"}}, indent=2))
            else:
                err('E0000 00:00:00.000000    1234 remote_image.go:94] "ImageStatus from image service failed" '
                    'err="no such image \\"%s\\" present" image="%s"' % (ref, ref))
                err('FATA[0000] no such image "%s" present' % ref)
                rc = 1
        return rc
    if cmd in ("ps", "pods"):
        if cmd == "pods":
            out("POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME")
        else:
            out("CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD")
        return 0
    if cmd in ("rmp", "rm", "stopp", "stop", "rmi"):
        return 0
    err("No help topic for '%s'" % cmd)
    raise Exit(1)


# ---- docker ---------------------------------------------------------------------

def docker_daemon_config(etc="/etc"):
    txt = lc.read_file(os.path.join(etc, "docker/daemon.json"))
    if not txt or not txt.strip():
        return {}
    try:
        return json.loads(txt)
    except ValueError:
        return {}


def docker_cgroup_driver(etc="/etc"):
    for o in docker_daemon_config(etc).get("exec-opts", []) or []:
        if o.replace(" ", "").startswith("native.cgroupdriver="):
            return o.split("=", 1)[1].strip()
    return "cgroupfs"


def docker_running():
    return lc.service_active("docker")


NO_DAEMON = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"


def docker(argv):
    a = argv[1:]
    v = pkg_version("docker-ce-cli", "docker-ce") or "20.10.7"
    v = v.split(":", 1)[-1]
    if a and a[0] in ("--version", "-v"):
        out("Docker version %s, build f0df350" % v)
        return 0
    words = [x for x in a if not x.startswith("-")]
    cmd = words[0] if words else ""
    fmt = None
    for i, x in enumerate(a):
        if x in ("-f", "--format") and i + 1 < len(a):
            fmt = a[i + 1]
        elif x.startswith("--format="):
            fmt = x.split("=", 1)[1]
    if cmd == "version":
        out("Client: Docker Engine - Community\n Version:           %s\n API version:       1.41" % v)
        if not docker_running():
            err(NO_DAEMON)
            raise Exit(1)
        out("\nServer: Docker Engine - Community\n Engine:\n  Version:          %s" % v)
        return 0
    if not docker_running():
        err(NO_DAEMON)
        raise Exit(1)
    if cmd == "info":
        cfg = docker_daemon_config()
        drv = docker_cgroup_driver()
        if fmt:
            s = fmt.replace("{{.CgroupDriver}}", drv).replace("{{.ServerVersion}}", v)
            s = s.replace("{{.Driver}}", cfg.get("storage-driver", "overlay2"))
            s = s.replace("{{.CgroupVersion}}", "2" if lc.read_file(os.path.join(lc.SELF, "cgroup"), "v2").strip() == "v2" else "1")
            s = s.replace("{{json .RegistryConfig.Mirrors}}", json.dumps(cfg.get("registry-mirrors", [])))
            s = s.replace("{{.RegistryConfig.Mirrors}}", "[" + " ".join(cfg.get("registry-mirrors", [])) + "]")
            out(s)
            return 0
        out("Client:\n Context:    default\n Debug Mode: false\n\nServer:\n Containers: 0\n Server Version: %s" % v)
        out(" Storage Driver: %s\n Logging Driver: %s\n Cgroup Driver: %s\n Cgroup Version: %s" % (
            cfg.get("storage-driver", "overlay2"), cfg.get("log-driver", "json-file"), drv,
            "2" if lc.read_file(os.path.join(lc.SELF, "cgroup"), "v2").strip() == "v2" else "1"))
        mirrors = cfg.get("registry-mirrors", [])
        if mirrors:
            out(" Registry Mirrors:")
            for m in mirrors:
                out("  %s/" % m.rstrip("/"))
        out(" Live Restore Enabled: false")
        return 0
    if cmd == "pull" and len(words) > 1:
        ref = words[1]
        why = pull_error(ref)
        if why:
            reg = split_ref(ref)[0]
            if reg in BLOCKED:
                err("Error response from daemon: Get \"https://%s/v2/\": net/http: request canceled while waiting for "
                    "connection (Client.Timeout exceeded while awaiting headers)" % reg)
            else:
                err("Error response from daemon: %s" % why.split(": ", 1)[-1])
            raise Exit(1)
        add_image("docker", ref)
        reg, path, tag = split_ref(ref)
        out("%s: Pulling from %s\nDigest: sha256:0123456789abcdef\nStatus: Downloaded newer image for %s" % (tag, path, ref))
        out(ref if reg != "docker.io" else "docker.io/%s:%s" % (path, tag))
        return 0
    if cmd in ("images", "image") and (cmd == "images" or (len(words) > 1 and words[1] in ("ls", "list"))):
        out("REPOSITORY                                                         TAG        IMAGE ID       CREATED        SIZE")
        for r in images("docker"):
            reg, path, tag = split_ref(r)
            name = path if reg == "docker.io" else "%s/%s" % (reg, path)
            if name.startswith("library/"):
                name = name[8:]
            out("%-66s %-10s %-14s %-14s 10MB" % (name, tag, "0123456789ab", "2 years ago"))
        return 0
    if cmd == "inspect" or (cmd == "image" and len(words) > 1 and words[1] == "inspect"):
        refs = words[2:] if cmd == "image" else words[1:]
        found = []
        missing = []
        for ref in refs:
            if normalize(ref) not in images("docker"):
                missing.append(ref)
                continue
            found.append({"Id": "sha256:" + hashlib.sha256(ref.encode()).hexdigest(), "RepoTags": [ref]})
        # As docker does: what was found, then an error per missing one.
        if fmt:
            for f in found:
                out(fmt.replace("{{.Id}}", f["Id"]).replace("{{.ID}}", f["Id"]))
        else:
            out(json.dumps(found, indent=4))
        for ref in missing:
            err("Error: No such %s: %s" % ("image" if cmd == "image" else "object", ref))
        return 1 if missing else 0
    if cmd in ("ps",):
        out("CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES")
        return 0
    if cmd in ("rm", "rmi", "stop", "kill", "system", "container"):
        return 0
    err("docker: '%s' is not a docker command.\nSee 'docker --help'" % cmd)
    raise Exit(1)
