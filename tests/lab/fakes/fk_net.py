"""fk_net: curl, wget and gpg. Only the URLs the lab knows answer (repo
keys, repo files, pinned manifests, the API server's health endpoints and
the Dashboard NodePort); other hosts do not resolve, like an offline node."""

import os
import re
import sys

import labcommon as lc
from labcommon import Exit, err, out

# Hosts that resolve (the rest fail like an unknown name). registry.k8s.io
# and friends resolve but time out: the "China" case.
KNOWN_HOSTS = {"pkgs.k8s.io", "mirrors.aliyun.com", "download.docker.com", "docs.projectcalico.org",
               "raw.githubusercontent.com", "vault.centos.org", "github.com", "docs.tigera.io",
               "deb.debian.org", "archive.ubuntu.com", "dl.rockylinux.org"}
TIMEOUT_HOSTS = {"registry.k8s.io", "k8s.gcr.io", "dl.k8s.io", "storage.googleapis.com",
                 "packages.cloud.google.com", "apt.kubernetes.io", "yum.kubernetes.io", "gcr.io"}

ARMOR = ("-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: LABKEY:%s\n\n"
         "mQINBGMHoXcBEADukGOEQyleViOgtkMVa7hKifP6POCTh+98xNW4TfHK/nBJN2sm\n"
         "u4XaiUmtB9UuGt9jl8VxQg4hOMRf40coIwHsNwtSrc2R9v5Kgpvcv537QVIigVHH\n"
         "=%s\n-----END PGP PUBLIC KEY BLOCK-----\n")


def _data(*p):
    return os.path.join(lc.DATA, *p)


def docker_repo_file(base, distro):
    return ("[docker-ce-stable]\nname=Docker CE Stable - $basearch\n"
            "baseurl=%s/linux/%s/$releasever/$basearch/stable\nenabled=1\ngpgcheck=1\n"
            "gpgkey=%s/linux/%s/gpg\n\n"
            "[docker-ce-stable-debuginfo]\nname=Docker CE Stable - Debuginfo $basearch\n"
            "baseurl=%s/linux/%s/$releasever/debug-$basearch/stable\nenabled=0\ngpgcheck=1\n"
            "gpgkey=%s/linux/%s/gpg\n\n"
            "[docker-ce-test]\nname=Docker CE Test - $basearch\n"
            "baseurl=%s/linux/%s/$releasever/$basearch/test\nenabled=0\ngpgcheck=1\n"
            "gpgkey=%s/linux/%s/gpg\n") % ((base, distro) * 6)


def _cluster_state(addr, api):
    """The cluster that owns addr (its control plane if api), or {}."""
    import kstate
    cid = kstate.select_by_address(addr) if api else kstate.select_by_any_address(addr)
    return kstate.load() if cid else {}


def _resolve(host):
    """The address a host name has on this node (its /etc/hosts), else None."""
    if re.match(r"^\d+\.\d+\.\d+\.\d+$", host):
        return host
    for ln in (lc.read_file("/etc/hosts", "") or "").splitlines():
        f = ln.split("#", 1)[0].split()
        if len(f) >= 2 and host in f[1:]:
            return f[0]
    return None


def fetch(url, insecure=True):
    """(http status, body bytes); status 0 = host does not resolve,
    -28 = connection timed out, -7 = connection refused, -60 = bad cert."""
    m = re.match(r"^(https?)://([^/:]+)(?::(\d+))?(/.*)?$", url)
    if not m:
        return 0, b""
    scheme, host, port, path = m.group(1), m.group(2), m.group(3), m.group(4) or "/"
    if host in TIMEOUT_HOSTS:
        return -28, b""
    addr = _resolve(host)
    if addr is not None and host not in KNOWN_HOSTS:
        return _node_url(scheme, addr, int(port or (443 if scheme == "https" else 80)), path, insecure)
    if host not in KNOWN_HOSTS:
        return 0, b""
    u = "%s://%s%s" % (scheme, host, path)
    # Repository keys.
    m = re.match(r"^https?://(pkgs\.k8s\.io/core:/stable:|mirrors\.aliyun\.com/kubernetes-new/core/stable)"
                 r"/v1\.(\d+)/(deb/Release\.key|rpm/repodata/repomd\.xml\.key)$", u)
    if m:
        import pkgdata
        if int(m.group(2)) < 24 or int(m.group(2)) not in pkgdata.K8S_LATEST:
            return 404, b"404 page not found\n"
        return 200, (ARMOR % ("234654DA9A296436", "k8s")).encode()
    if re.match(r"^https?://mirrors\.aliyun\.com/kubernetes/(apt/doc/apt-key\.gpg|yum/doc/(yum|rpm-package)-key\.gpg)$", u):
        return 200, (ARMOR % ("B53DC80D13EDEF05", "legacy")).encode()
    m = re.match(r"^(https://download\.docker\.com|https?://mirrors\.aliyun\.com/docker-ce)/linux/"
                 r"(centos|rhel|debian|ubuntu|fedora)/(gpg|docker-ce\.repo)$", u)
    if m:
        if m.group(3) == "gpg":
            return 200, (ARMOR % ("8D81803C0EBFCD88", "docker")).encode()
        if m.group(2) in ("centos", "rhel", "fedora"):
            return 200, docker_repo_file(m.group(1), m.group(2)).encode()
        return 404, b""
    if u == "https://mirrors.aliyun.com/repo/Centos-7.repo" or u == "http://mirrors.aliyun.com/repo/Centos-7.repo":
        txt = ""
        for r in ("os", "updates", "extras"):
            rid = {"os": "base"}.get(r, r)
            txt += "[%s]\nname=CentOS-7 - %s - mirrors.aliyun.com\nbaseurl=http://mirrors.aliyun.com/centos-vault/7.9.2009/%s/$basearch/\ngpgcheck=0\n\n" % (rid, rid, r)
        return 200, txt.encode()
    # Manifests.
    if u in ("https://docs.projectcalico.org/v3.20/manifests/calico.yaml",
             "https://raw.githubusercontent.com/projectcalico/calico/v3.20.6/manifests/calico.yaml"):
        return 200, open(_data("calico-v3.20.yaml"), "rb").read()
    if u in ("https://docs.projectcalico.org/manifests/calico.yaml",):
        return 200, open(_data("calico-current.yaml"), "rb").read().replace(b"@VERSION@", b"v3.31.3")
    m = re.match(r"^https://raw\.githubusercontent\.com/projectcalico/calico/(v3\.(2[1-9]|3[01])\.\d+)/manifests/calico\.yaml$", u)
    if m:
        return 200, open(_data("calico-current.yaml"), "rb").read().replace(b"@VERSION@", m.group(1).encode())
    m = re.match(r"^https://raw\.githubusercontent\.com/kubernetes/dashboard/(v2\.3\.1|v2\.7\.0)/aio/deploy/recommended\.yaml$", u)
    if m:
        return 200, open(_data("dashboard-%s.yaml" % m.group(1)), "rb").read()
    m = re.match(r"^https://raw\.githubusercontent\.com/kubernetes-sigs/headlamp/(v0\.\d+\.\d+|main)/kubernetes-headlamp\.yaml$", u)
    if m:
        v = m.group(1) if m.group(1) != "main" else "v0.38.0"
        return 200, open(_data("headlamp.yaml"), "rb").read().replace(b"@VERSION@", v.encode())
    return 404, b"404: Not Found"


def _node_url(scheme, addr, port, path, insecure):
    """URLs served by lab nodes: the API server and NodePorts."""
    net = (lc.read_file(os.path.join(lc.LAB, "lab.net"), "") or "127.0.10").strip()
    if not addr.startswith(net + ".") and not addr.startswith("127."):
        return -28, b""
    st = _cluster_state(addr, port == 6443)
    if not st.get("initialized"):
        return -7, b""
    nodes = st.get("nodes", {})
    node_addrs = {n.get("address") for n in nodes.values()}
    if addr not in node_addrs:
        return -7, b""
    import kstate
    if port == 6443 and not kstate.api_up(st, addr):
        return -7, b""
    if port == 6443:
        if scheme != "https":
            return 400, b"Client sent an HTTP request to an HTTPS server.\n"
        if not insecure:
            return -60, b""
        if path in ("/healthz", "/readyz", "/livez"):
            return 200, b"ok"
        return 403, b'{"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden: User \\"system:anonymous\\" cannot get path \\"%s\\"","reason":"Forbidden","code":403}' % path.encode()
    for nd in nodes.values():
        if nd.get("address") == addr and kstate.kubelet_problem(nd["index"], nd.get("version")):
            return -7, b""
    import fk_kubectl
    svc = fk_kubectl.nodeport_service(st, port)
    if svc is None:
        return -7, b""
    ready, kind = svc
    if not ready:
        return -7, b""
    if kind == "dashboard":
        if scheme != "https":
            return 400, b"Client sent an HTTP request to an HTTPS server.\n"
        if not insecure:
            return -60, b""
        return 200, b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kubernetes Dashboard</title></head><body><kd-root></kd-root></body></html>\n'
    if kind == "headlamp":
        return 200, b'<!doctype html><html lang="en"><head><title>Headlamp</title></head><body><div id="root"></div></body></html>\n'
    return 200, b"ok\n"


def curl(argv):
    a = argv[1:]
    url = None
    outfile = None
    remote_name = False
    fail = False
    silent = False
    show_err = False
    insecure = False
    head = False
    wfmt = None
    include = False
    i = 0
    while i < len(a):
        x = a[i]
        if x.startswith("--"):
            name, _, val = x.partition("=")
            takes = name in ("--output", "--max-time", "--connect-timeout", "--retry", "--retry-delay",
                             "--write-out", "--header", "--request", "--data", "--user-agent", "--cacert",
                             "--retry-max-time", "--proto", "--resolve", "--user", "--data-binary")
            if takes and not val:
                val = a[i + 1] if i + 1 < len(a) else ""
                i += 1
            if name == "--output":
                outfile = val
            elif name == "--remote-name":
                remote_name = True
            elif name == "--fail":
                fail = True
            elif name == "--silent":
                silent = True
            elif name == "--show-error":
                show_err = True
            elif name == "--insecure":
                insecure = True
            elif name == "--head":
                head = True
            elif name == "--write-out":
                wfmt = val
            elif name == "--include":
                include = True
            elif name == "--url":
                url = val
        elif x.startswith("-") and len(x) > 1:
            j = 1
            while j < len(x):
                c = x[j]
                if c in "oOmwHXdAuKx":
                    val = x[j + 1:] or (a[i + 1] if i + 1 < len(a) else "")
                    if not x[j + 1:]:
                        i += 1
                    if c == "o":
                        outfile = val
                    elif c == "w":
                        wfmt = val
                    elif c == "O":
                        remote_name = True
                        if x[j + 1:] or True:
                            # -O takes no value: undo
                            if not x[j + 1:]:
                                i -= 1
                    break
                if c == "f":
                    fail = True
                elif c == "s":
                    silent = True
                elif c == "S":
                    show_err = True
                elif c == "k":
                    insecure = True
                elif c == "I":
                    head = True
                elif c == "i":
                    include = True
                elif c == "O":
                    remote_name = True
                j += 1
        else:
            url = x
        i += 1
    if not url:
        err("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information")
        raise Exit(2)
    code, body = fetch(url, insecure)
    host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", url)
    quiet = silent and not show_err

    def fail_with(rc, msg):
        if wfmt:
            sys.stdout.write(wfmt.replace("%{http_code}", "000").replace("\\n", "\n"))
        if not quiet:
            err("curl: (%d) %s" % (rc, msg))
        raise Exit(rc)
    if code == 0:
        fail_with(6, "Could not resolve host: %s" % host)
    if code == -28:
        fail_with(28, "Failed to connect to %s port 443 after 10001 ms: Timeout was reached" % host)
    if code == -7:
        port = re.sub(r"^[a-z]+://[^/:]+:?(\d*).*$", r"\1", url) or "443"
        fail_with(7, "Failed to connect to %s port %s after 0 ms: Couldn't connect to server" % (host, port))
    if code == -60:
        fail_with(60, "SSL certificate problem: unable to get local issuer certificate\nMore details here: "
                      "https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and "
                      "therefore could not\nestablish a secure connection to it.")
    if code >= 400 and fail:
        fail_with(22, "The requested URL returned error: %d" % code)
    if remote_name and not outfile:
        outfile = url.rstrip("/").rsplit("/", 1)[-1]
    data = body
    if head:
        data = ("HTTP/2 %d\r\ncontent-length: %d\r\n\r\n" % (code, len(body))).encode()
    elif include:
        data = ("HTTP/2 %d\r\n\r\n" % code).encode() + body
    if outfile and outfile != "-":
        try:
            with open(outfile, "wb") as f:
                f.write(data)
        except OSError as e:
            fail_with(23, "Failure writing output to destination: %s" % e.strerror)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    if wfmt:
        sys.stdout.write(wfmt.replace("%{http_code}", "%03d" % code).replace("\\n", "\n"))
    return 0


def wget(argv):
    a = argv[1:]
    url = None
    outfile = None
    quiet = False
    insecure = False
    i = 0
    while i < len(a):
        x = a[i]
        if x in ("-O", "--output-document"):
            outfile = a[i + 1] if i + 1 < len(a) else ""
            i += 1
        elif x.startswith("--output-document="):
            outfile = x.split("=", 1)[1]
        elif x.startswith("-O") and len(x) > 2:
            outfile = x[2:]
        elif x in ("-T", "-t", "--tries", "--timeout", "-P"):
            i += 1
        elif x == "--no-check-certificate":
            insecure = True
        elif x.startswith("-") and not x.startswith("--") and "O" in x:
            quiet = quiet or "q" in x
            rest = x[x.index("O") + 1:]
            if rest:
                outfile = rest
            else:
                outfile = a[i + 1] if i + 1 < len(a) else ""
                i += 1
        elif x in ("-q", "--quiet"):
            quiet = True
        elif x.startswith("-"):
            pass
        else:
            url = x
        i += 1
    if not url:
        err("wget: missing URL")
        raise Exit(1)
    code, body = fetch(url, insecure)
    host = re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", url)
    if code == 0:
        if not quiet:
            err("wget: unable to resolve host address '%s'" % host)
        raise Exit(4)
    if code in (-28, -7):
        if not quiet:
            err("failed: %s." % ("Connection timed out" if code == -28 else "Connection refused"))
        raise Exit(4)
    if code == -60:
        if not quiet:
            err("ERROR: cannot verify %s's certificate, issued by 'CN=kubernetes':\n  Unable to locally verify the "
                "issuer's authority.\nTo connect to %s insecurely, use `--no-check-certificate'." % (host, host))
        raise Exit(5)
    if code >= 400:
        if not quiet:
            err("%s ERROR %d: Not Found." % (lc.iso(), code))
        raise Exit(8)
    if outfile is None:
        outfile = url.rstrip("/").rsplit("/", 1)[-1] or "index.html"
    if outfile == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
    else:
        with open(outfile, "wb") as f:
            f.write(body)
    return 0


def gpg(argv):
    a = argv[1:]
    outfile = None
    yes = "--yes" in a or "--batch" in a and "--yes" in a
    files = []
    mode = None
    i = 0
    while i < len(a):
        x = a[i]
        if x in ("-o", "--output"):
            outfile = a[i + 1] if i + 1 < len(a) else ""
            i += 1
        elif x.startswith("--output="):
            outfile = x.split("=", 1)[1]
        elif x == "--dearmor" or x == "--dearmour":
            mode = "dearmor"
        elif x in ("--import", "--show-keys", "--list-keys", "-k", "--version"):
            mode = x
        elif x.startswith("-"):
            pass
        else:
            files.append(x)
        i += 1
    if mode == "--version":
        out("gpg (GnuPG) 2.2.40")
        return 0
    if mode != "dearmor":
        if mode in ("--import",):
            err("gpg: key 234654DA9A296436: public key imported")
        return 0
    if files:
        try:
            data = open(files[0], "rb").read()
        except OSError:
            err("gpg: can't open '%s': No such file or directory" % files[0])
            raise Exit(2)
    else:
        data = sys.stdin.buffer.read()
    m = re.search(rb"LABKEY:([0-9A-F]+)", data)
    if not data.startswith(b"-----BEGIN PGP") or not m:
        err("gpg: no valid OpenPGP data found.")
        raise Exit(2)
    binary = b"\x99\x02\x0d\x04LABKEY:" + m.group(1) + b"\x00" + bytes(range(32))
    if outfile and outfile != "-":
        if os.path.exists(outfile) and not yes:
            err("gpg: cannot open '/dev/tty': No such device or address")
            raise Exit(2)
        with open(outfile, "wb") as f:
            f.write(binary)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(binary)
    return 0
