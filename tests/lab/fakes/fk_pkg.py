"""fk_pkg: fakes of the package managers (yum/dnf, yum-config-manager, rpm,
apt-get, apt-cache, apt-mark, dpkg-query). Packages come only from
configured repositories the lab knows (pkgdata), at versions those offer;
installing one "installs" its fake tools into the node's /usr/local."""

import configparser
import fnmatch
import glob
import os
import re
import sys

import labcommon as lc
import labfakes
import pkgdata
from labcommon import Exit, err, out

PKG_PATH = os.path.join(lc.STATE, "packages.json")

CONTAINERD_IO_CONFIG = '''#   Copyright 2018-2022 Docker Inc.

#   Licensed under the Apache License, Version 2.0 (the "License");
#   you may not use this file except in compliance with the License.
#   You may obtain a copy of the License at

#       http://www.apache.org/licenses/LICENSE-2.0

#   Unless required by applicable law or agreed to in writing, software
#   distributed under the License is distributed on an "AS IS" BASIS,
#   WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
#   See the License for the specific language governing permissions and
#   limitations under the License.

disabled_plugins = ["cri"]

#root = "/var/lib/containerd"
#state = "/run/containerd"
#subreaper = true
#oom_score = 0

#[grpc]
#  address = "/run/containerd/containerd.sock"
#  uid = 0
#  gid = 0

#[debug]
#  address = "/run/containerd/debug.sock"
#  uid = 0
#  gid = 0
#  level = "info"
'''

# Dependencies: package -> [names]
DEPS = {
    "kubelet": ["kubernetes-cni"],
    "kubeadm": ["cri-tools", "kubelet", "kubectl"],
    "docker-ce": ["docker-ce-cli", "containerd.io"],
}
DEPS_EL7 = {"docker-ce": ["docker-ce-cli", "containerd.io", "container-selinux"],
            "containerd.io": ["container-selinux"]}


def _critical(fn):
    """Run a package transaction with SIGHUP, SIGINT, SIGTERM and SIGPIPE
    blocked, as rpm and dpkg do, so a dropped session cannot leave a package
    half installed (recorded without its files, or the reverse)."""
    import signal
    sigs = {signal.SIGHUP, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        fn()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def installed():
    return lc.load_json(PKG_PATH, {})


def _install_tools(name):
    """The commands a package puts on the PATH (idempotent)."""
    for t in labfakes.PACKAGE_TOOLS.get(name, []):
        p = labfakes.tool_path(t)
        if not os.path.lexists(p):
            os.symlink(lc.fake_target(t), p)


def _install_effects(name, ver, fam):
    """Files, tools and services a package brings."""
    _install_tools(name)
    with lc.services_state() as svc:
        if name == "containerd.io":
            if not os.path.exists("/etc/containerd/config.toml"):
                lc.write_file("/etc/containerd/config.toml", CONTAINERD_IO_CONFIG)
            if fam == "deb":
                svc["enabled"]["containerd"] = True
        elif name == "containerd":
            if fam == "deb":
                svc["enabled"]["containerd"] = True
        elif name == "docker-ce":
            if fam == "deb":
                svc["enabled"]["docker"] = True
                svc["enabled"]["containerd"] = True
        elif name == "kubelet":
            if fam == "rpm":
                lc.write_file("/etc/sysconfig/kubelet", "KUBELET_EXTRA_ARGS=\n")
            else:
                lc.write_file("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=\n")
                svc["enabled"]["kubelet"] = True
            os.makedirs("/var/lib/kubelet", exist_ok=True)
    if fam == "deb":
        # Debian's maintainer scripts start enabled services right away.
        for u in {"containerd.io": ["containerd"], "containerd": ["containerd"],
                  "docker-ce": ["docker", "containerd"], "kubelet": ["kubelet"]}.get(name, []):
            with lc.sys_state() as st:
                st.setdefault("services", {})[u] = "active"


def _remove_effects(name):
    for t in labfakes.PACKAGE_TOOLS.get(name, []):
        still = [p for p, tools in labfakes.PACKAGE_TOOLS.items() if t in tools and p != name and p in installed()]
        if still:
            continue
        p = labfakes.tool_path(t)
        if os.path.islink(p):
            os.unlink(p)
    unit = {"containerd.io": "containerd", "containerd": "containerd", "docker-ce": "docker", "kubelet": "kubelet"}.get(name)
    if unit:
        with lc.sys_state() as st:
            st.setdefault("services", {}).pop(unit, None)


def _vercmp(a, b):
    def key(v):
        v = v.split(":", 1)[-1]
        return [int(x) if x.isdigit() else x for x in re.split(r"[.~+-]", v)]
    ka, kb = key(a), key(b)
    try:
        return (ka > kb) - (ka < kb)
    except TypeError:
        return (a > b) - (a < b)


# ---- yum / dnf ------------------------------------------------------------

class Repo:
    def __init__(self, rid, sec, path):
        self.id = rid
        self.name = sec.get("name", rid)
        self.baseurl = (sec.get("baseurl") or "").split()
        self.mirrorlist = sec.get("mirrorlist") or sec.get("metalink") or ""
        self.enabled = sec.get("enabled", "1").strip() in ("1", "true", "yes", "True")
        self.gpgcheck = sec.get("gpgcheck", "1" if lc.node_os() == "rocky9" else "0").strip() in ("1", "true", "yes")
        self.repo_gpgcheck = sec.get("repo_gpgcheck", "0").strip() in ("1", "true", "yes")
        self.gpgkey = (sec.get("gpgkey") or "").split()
        self.exclude = re.split(r"[\s,]+", (sec.get("exclude") or sec.get("excludepkgs") or "").strip())
        self.exclude = [e for e in self.exclude if e]
        self.path = path
        self.kind = None
        self.pkgs = []
        self.error = None
        self.url = self.baseurl[0] if self.baseurl else self.mirrorlist

    def load(self):
        osname = lc.node_os()
        if self.baseurl:
            kind, pk = pkgdata.rpm_repo(self.baseurl[0], osname)
            if kind is None:
                self.error = pk
                return False
            self.kind, self.pkgs = kind, pk
            return True
        if self.mirrorlist:
            pk = pkgdata.rpm_mirrorlist(self.mirrorlist, osname)
            if pk is None:
                self.error = "mirrorlist"
                return False
            self.kind, self.pkgs = "base", pk
            return True
        self.error = "nourl"
        return False


def read_repos():
    repos = []
    for path in sorted(glob.glob("/etc/yum.repos.d/*.repo")):
        cp = configparser.RawConfigParser(strict=False, interpolation=None)
        try:
            cp.read(path)
        except configparser.Error:
            continue
        for s in cp.sections():
            repos.append(Repo(s, dict(cp.items(s)), path))
    return repos


def _host(url):
    m = re.match(r"^[a-z]+://([^/:]+)", url)
    return m.group(1) if m else url


def _repo_failure(r, is_dnf, osname):
    """Print the real tool's error for an unreachable repository."""
    url = pkgdata.expand(r.url, osname)
    if is_dnf:
        err("Errors during downloading metadata for repository '%s':" % r.id)
        if r.error == "404":
            err("  - Status code: 404 for %s/repodata/repomd.xml (IP: 127.0.0.1)" % url.rstrip("/"))
        else:
            err("  - Curl error (6): Couldn't resolve host name for %s/repodata/repomd.xml [Could not resolve host: %s]"
                % (url.rstrip("/"), _host(url)))
        err("Error: Failed to download metadata for repo '%s': Cannot download repomd.xml: Cannot download "
            "repodata/repomd.xml: All mirrors were tried" % r.id)
        return
    if r.error == "mirrorlist":
        out("Loaded plugins: fastestmirror")
        out("Determining fastest mirrors")
        err("Could not retrieve mirrorlist %s error was" % url)
        err("14: curl#6 - \"Could not resolve host: %s; Unknown error\"" % _host(url))
    elif r.error == "404":
        err("%s/repodata/repomd.xml: [Errno 14] HTTPS Error 404 - Not Found" % url.rstrip("/"))
        err("Trying other mirror.")
    else:
        err("%s/repodata/repomd.xml: [Errno 14] curl#6 - \"Could not resolve host: %s; Unknown error\""
            % (url.rstrip("/"), _host(url)))
        err("Trying other mirror.")
    err("")
    err("")
    err(" One of the configured repositories failed (%s)," % r.name.replace("$releasever", "7").replace("$basearch", "x86_64"))
    err(" and yum doesn't have enough cached data to continue. At this point the only")
    err(" safe thing yum can do is fail. There are a few ways to work \"fix\" this:")
    err("")
    err("     1. Contact the upstream for the repository and get them to fix the problem.")
    err("")
    err("     4. Disable the repository permanently, so yum won't use it by default. Yum")
    err("        will then just ignore the repository until you permanently enable it")
    err("        again or use --enablerepo for temporary usage:")
    err("")
    err("            yum-config-manager --disable %s" % r.id)
    err("        or")
    err("            subscription-manager repos --disable=%s" % r.id)
    err("")
    err("Cannot find a valid baseurl for repo: %s/7/x86_64" % r.id)


def _spec_match(spec, p):
    """Does a yum package spec (name[-version[-release]][.arch]) match p?"""
    s = spec[:-7] if spec.endswith(".x86_64") or spec.endswith(".noarch") else spec
    n = p["name"]
    # Every form starts with the name: most packages of a repository fail
    # here, before any string is built (yum matches specs against all).
    lit = len(s)
    for ch in "*?[":
        i = s.find(ch)
        if 0 <= i < lit:
            lit = i
    k = min(lit, len(n))
    if s[:k] != n[:k]:
        return False
    v, r = p["version"], p["release"]
    cands = [n, "%s-%s" % (n, v), "%s-%s-%s" % (n, v, r), "%s-0:%s-%s" % (n, v, r)]
    if lit == len(s):
        return s in cands
    return any(fnmatch.fnmatchcase(c, s) for c in cands)


def _spec_name(spec, avail):
    for p in avail:
        if _spec_match(spec, p):
            return p["name"]
    return None


def yum(argv):
    is_dnf = argv[0] == "dnf" or lc.node_os() == "rocky9"
    osname = lc.node_os()
    a = argv[1:]
    opts = [x for x in a if x.startswith("-")]
    words = [x for x in a if not x.startswith("-")]
    if "--version" in opts and not words:
        out("4.14.0" if is_dnf else "3.4.3")
        if is_dnf:
            out("  Installed: dnf-0:4.14.0-9.el9.noarch at Mon Apr 29 12:00:00 2024")
        return 0
    assume = "-y" in opts or "--assumeyes" in opts
    quiet = "-q" in opts or "--quiet" in opts
    disx = set()
    for x in opts:
        if x.startswith("--disableexcludes="):
            disx.update(x.split("=", 1)[1].split(","))
        if x.startswith("--setopt=disable_excludes=") or x.startswith("--setopt=disableexcludes="):
            disx.update(x.split("=", 2)[2].split(","))
        if x.startswith("--disableexcludepkgs=") or x.startswith("--disable-excludes="):
            disx.update(x.split("=", 1)[1].split(","))
    i = 0
    enablerepo, disablerepo = [], []
    while i < len(a):
        if a[i] in ("--enablerepo", "--disablerepo") and i + 1 < len(a):
            (enablerepo if a[i] == "--enablerepo" else disablerepo).append(a[i + 1])
            words.remove(a[i + 1]) if a[i + 1] in words else None
            i += 1
        elif a[i].startswith("--enablerepo="):
            enablerepo.append(a[i].split("=", 1)[1])
        elif a[i].startswith("--disablerepo="):
            disablerepo.append(a[i].split("=", 1)[1])
        i += 1
    if not words:
        err("You need to give some command" if not is_dnf else "Error: No command given")
        raise Exit(1)
    cmd, args = words[0], words[1:]
    if cmd == "config-manager" and is_dnf:
        return yum_config_manager(["yum-config-manager"] + a[a.index("config-manager") + 1:])
    if cmd in ("clean",):
        out("Loaded plugins: fastestmirror" if not is_dnf else "0 files removed")
        return 0
    if cmd in ("remove", "erase"):
        pk = installed()
        gone = [n for n in args if n in pk]
        if not gone:
            out("No Match for argument: %s" % " ".join(args) if not is_dnf else "No packages marked for removal.")
            if not is_dnf:
                out("No Packages marked for removal")
            return 0
        if not assume:
            out("Is this ok [y/N]: Operation aborted." if is_dnf else "Is this ok [y/N]: Exiting on user command")
            raise Exit(1)
        with lc.Locked(PKG_PATH) as pkgs:
            for n in gone:
                pkgs.pop(n, None)
        for n in gone:
            _remove_effects(n)
        out("Removed:\n  " + "  ".join(gone) + "\n\nComplete!")
        return 0
    if cmd == "versionlock":
        plugin = "python3-dnf-plugin-versionlock" if is_dnf else "yum-plugin-versionlock"
        if plugin not in installed():
            err("No such command: versionlock. Please use /usr/bin/%s --help" % ("dnf" if is_dnf else "yum"))
            if is_dnf:
                err("It could be a DNF plugin command, try: \"dnf install 'dnf-command(versionlock)'\"")
            raise Exit(1)
        sub = args[0] if args else "list"
        with lc.Locked(os.path.join(lc.STATE, "versionlock.json"), []) as locks:
            if sub == "add":
                inst = installed()
                for n in args[1:]:
                    base = n.split("-")[0] if n not in inst else n
                    if base in inst:
                        e = "%s-0:%s-%s.*" % (base, inst[base]["version"], inst[base]["release"])
                        if e not in locks:
                            locks.append(e)
                        out("Adding versionlock on: %s" % e)
                    else:
                        err("Error: No package found for: %s" % n)
                        raise Exit(1)
            elif sub in ("delete", "del"):
                locks[:] = [e for e in locks if not any(e.startswith(n + "-") for n in args[1:])]
            elif sub == "clear":
                locks[:] = []
            else:
                for e in locks:
                    out(e)
        return 0
    # Everything else needs the repositories' metadata.
    repos = []
    for r in read_repos():
        en = r.enabled
        for pat in enablerepo:
            if fnmatch.fnmatch(r.id, pat):
                en = True
        for pat in disablerepo:
            if fnmatch.fnmatch(r.id, pat):
                en = False
        if en:
            repos.append(r)
    if not quiet and not is_dnf:
        out("Loaded plugins: fastestmirror")
    for r in repos:
        if not r.load():
            _repo_failure(r, is_dnf, osname)
            raise Exit(1)
        if r.repo_gpgcheck and r.kind == "k8s-legacy":
            err("https://mirrors.aliyun.com/kubernetes/yum/repos/kubernetes-el7-x86_64/repodata/repomd.xml: "
                "[Errno -1] repomd.xml signature could not be verified for %s" % r.id)
            err("Trying other mirror.")
            err("")
            err(" One of the configured repositories failed (%s)," % r.name)
            err(" and yum doesn't have enough cached data to continue.")
            err("failure: repodata/repomd.xml from %s: [Errno 256] No more mirrors to try." % r.id)
            raise Exit(1)
    if cmd in ("makecache", "repolist", "check-update"):
        if cmd == "repolist":
            out("repo id                          repo name")
            for r in repos:
                out("%-32s %s" % (r.id, r.name))
        elif is_dnf:
            out("Metadata cache created.")
        return 0

    def avail_from(r):
        if r.id in disx or "all" in disx or "main" in disx and False:
            return list(r.pkgs)
        return [p for p in r.pkgs if not any(fnmatch.fnmatchcase(p["name"], e) for e in r.exclude)]

    if cmd == "list" or cmd == "info":
        show_dup = "--showduplicates" in opts
        inst = installed()
        rows = []
        for r in repos:
            for p in avail_from(r):
                if args and not any(fnmatch.fnmatchcase(p["name"], x) for x in args if x not in ("available", "installed", "all")):
                    continue
                rows.append((p["name"], "%s-%s" % (p["version"], p["release"]), r.id))
        if not show_dup:
            best = {}
            for n, v, rid in rows:
                if n not in best or _vercmp(v, best[n][0]) > 0:
                    best[n] = (v, rid)
            rows = [(n, v, rid) for n, (v, rid) in best.items()]
        ins = [(n, "%s-%s" % (d["version"], d["release"])) for n, d in inst.items()
               if not args or any(fnmatch.fnmatchcase(n, x) for x in args)]
        if not rows and not ins:
            err("Error: No matching Packages to list")
            raise Exit(1)
        if ins and "available" not in args:
            out("Installed Packages")
            for n, v in sorted(ins):
                out("%-40s %-30s %s" % (n + ".x86_64", v, "@" + inst[n].get("repo", "installed")))
        if rows and "installed" not in args:
            out("Available Packages")
            for n, v, rid in sorted(rows, key=lambda t: (t[0], [int(x) if x.isdigit() else 0 for x in re.split(r"[.-]", t[1])])):
                out("%-40s %-30s %s" % (n + ".x86_64", v, rid))
        return 0
    if cmd not in ("install", "update", "upgrade", "reinstall", "downgrade"):
        err("No such command: %s. Please use /usr/bin/%s --help" % (cmd, "dnf" if is_dnf else "yum"))
        raise Exit(1)
    if cmd in ("update", "upgrade") and not args:
        out("No packages marked for update" if not is_dnf else "Dependencies resolved.\nNothing to do.\nComplete!")
        return 0
    # Resolve the requested specs.
    inst = installed()
    chosen = {}
    missing = []
    excluded = []
    for spec in args:
        if spec.startswith("/") or spec.endswith(".rpm"):
            missing.append(spec)
            continue
        best = None
        any_match = False
        for r in repos:
            for p in r.pkgs:
                if _spec_match(spec, p):
                    any_match = True
            for p in avail_from(r):
                if _spec_match(spec, p) and (best is None or _vercmp(p["version"] + "-" + p["release"],
                                                                       best[0]["version"] + "-" + best[0]["release"]) > 0):
                    best = (p, r)
        if best is None:
            (excluded if any_match else missing).append(spec)
            continue
        chosen[best[0]["name"]] = best
    if missing or excluded:
        if is_dnf:
            for s in excluded:
                err("All matches were filtered out by exclude filtering for argument: %s" % s)
            for s in missing:
                err("No match for argument: %s" % s)
            err("Error: Unable to find a match: %s" % " ".join(excluded + missing))
            raise Exit(1)
        for s in excluded + missing:
            out("No package %s available." % s)
        if not chosen:
            err("Error: Nothing to do")
            raise Exit(1)
    # Dependencies (newest available from enabled repos, excludes apply).
    deps = dict(DEPS)
    if osname == "centos7":
        deps.update(DEPS_EL7)
    todo = list(chosen)
    while todo:
        n = todo.pop()
        for d in deps.get(n, []):
            if d in chosen or d in inst:
                continue
            best = None
            for r in repos:
                for p in r.pkgs if (r.id in disx or "all" in disx) else avail_from(r):
                    if p["name"] == d and (best is None or _vercmp(p["version"], best[0]["version"]) > 0):
                        best = (p, r)
            if best is None:
                p = chosen[n][0]
                err("Error: Package: %s-%s-%s.x86_64 (%s)" % (n, p["version"], p["release"], chosen[n][1].id))
                err("           Requires: %s" % d)
                if not is_dnf:
                    err(" You could try using --skip-broken to work around the problem")
                raise Exit(1)
            chosen[d] = best
            todo.append(d)
    # GPG: a repository with gpgcheck=1 needs its key.
    for n, (p, r) in chosen.items():
        if r.gpgcheck and not r.gpgkey and r.kind != "base" and "--nogpgcheck" not in opts:
            err("warning: /var/cache/%s/x86_64/%s/%s/packages/%s-%s-%s.x86_64.rpm: Header V4 RSA/SHA512 Signature, "
                "key ID 9a296436: NOKEY" % ("dnf" if is_dnf else "yum", "7" if osname == "centos7" else "9", r.id,
                                           n, p["version"], p["release"]))
            err("Public key for %s-%s-%s.x86_64.rpm is not installed" % (n, p["version"], p["release"]))
            raise Exit(1)
    todo_names = [n for n in chosen if not (n in inst and inst[n]["version"] == chosen[n][0]["version"]
                                            and inst[n]["release"] == chosen[n][0]["release"])]
    if not todo_names:
        _critical(lambda: [_install_tools(n) for n in chosen])
        for n in chosen:
            p = chosen[n][0]
            if is_dnf:
                out("Package %s-%s-%s.x86_64 is already installed." % (n, p["version"], p["release"]))
            else:
                out("Package %s-%s-%s.x86_64 already installed and latest version" % (n, p["version"], p["release"]))
        out("Dependencies resolved.\nNothing to do.\nComplete!" if is_dnf else "Nothing to do")
        return 0
    if not quiet:
        out("Dependencies resolved." if is_dnf else "Resolving Dependencies\n--> Running transaction check")
        out("=" * 80)
        out(" Package                Arch      Version                 Repository        Size")
        out("=" * 80)
        out("Installing:")
        for n in todo_names:
            p, r = chosen[n]
            out(" %-22s x86_64    %-23s %-17s 10 M" % (n, p["version"] + "-" + p["release"], r.id))
        out("")
        out("Transaction Summary")
        out("=" * 80)
        out("Install  %d Packages" % len(todo_names))
        out("")
    if not assume:
        if is_dnf:
            out("Is this ok [y/N]: Operation aborted.")
        else:
            out("Is this ok [y/d/N]: Exiting on user command")
            out("Your transaction was saved, rerun it with:")
            out(" yum load-transaction /tmp/yum_save_tx.%s.yumtx" % lc.iso().replace(":", "-"))
        raise Exit(1)
    fam = "rpm"
    def commit():
        for n in todo_names:
            _install_effects(n, chosen[n][0]["version"], fam)
        with lc.Locked(PKG_PATH) as pkgs:
            for n in todo_names:
                p, r = chosen[n]
                pkgs[n] = {"version": p["version"], "release": p["release"], "repo": r.id}
    _critical(commit)
    if not quiet:
        out("Running transaction")
        for i, n in enumerate(todo_names):
            p, r = chosen[n]
            out("  Installing : %s-%s-%s.x86_64    %d/%d" % (n, p["version"], p["release"], i + 1, len(todo_names)))
        out("")
        out("Installed:")
        for n in todo_names:
            p, r = chosen[n]
            out("  %s.x86_64 0:%s-%s" % (n, p["version"], p["release"]))
        out("")
        out("Complete!")
    return 0


def yum_config_manager(argv):
    import fk_net
    a = argv[1:]
    i = 0
    while i < len(a):
        x = a[i]
        if x in ("--add-repo", "--add-repo="[:-1]) or x.startswith("--add-repo="):
            url = x.split("=", 1)[1] if "=" in x else (a[i + 1] if i + 1 < len(a) else "")
            if "=" not in x:
                i += 1
            name = url.rstrip("/").rsplit("/", 1)[-1]
            if not name.endswith(".repo"):
                name = re.sub(r"[^A-Za-z0-9_.-]", "_", url.split("://", 1)[-1]) + ".repo"
            dest = "/etc/yum.repos.d/" + name
            out("Loaded plugins: fastestmirror")
            out("adding repo from: %s" % url)
            out("grabbing file %s to %s" % (url, dest))
            code, body = fk_net.fetch(url)
            if code != 200:
                err("Could not fetch/save url %s to file %s: [Errno 14] %s" % (
                    url, dest, "curl#6 - \"Could not resolve host: %s; Unknown error\"" % _host(url)
                    if code == 0 else "HTTPS Error %d - Not Found" % code))
                raise Exit(1)
            lc.write_file(dest, body.decode())
            out("repo saved to %s" % dest)
        elif x in ("--enable", "--disable"):
            ids = a[i + 1:]
            for path in sorted(glob.glob("/etc/yum.repos.d/*.repo")):
                txt = lc.read_file(path, "")
                cur = None
                lines = []
                for ln in txt.splitlines():
                    m = re.match(r"^\[(.+)\]\s*$", ln)
                    if m:
                        cur = m.group(1)
                    if cur and any(fnmatch.fnmatch(cur, p) for p in ids) and re.match(r"^enabled\s*=", ln):
                        ln = "enabled=%d" % (1 if x == "--enable" else 0)
                    lines.append(ln)
                lc.write_file(path, "\n".join(lines) + "\n")
            return 0
        i += 1
    return 0


def rpm(argv):
    a = argv[1:]
    if not a:
        err("rpm: no arguments given for query")
        raise Exit(1)
    if "--import" in a:
        return 0
    if "-e" in a or "--erase" in a:
        names = [x for x in a if not x.startswith("-")]
        inst = installed()
        rc = 0
        for n in names:
            if n not in inst:
                err("error: package %s is not installed" % n)
                rc = 1
        if rc:
            raise Exit(1)
        with lc.Locked(PKG_PATH) as pkgs:
            for n in names:
                pkgs.pop(n, None)
        for n in names:
            _remove_effects(n)
        return 0
    qf = None
    i = 0
    names = []
    qa = False
    while i < len(a):
        x = a[i]
        if x in ("--qf", "--queryformat"):
            qf = a[i + 1] if i + 1 < len(a) else ""
            i += 1
        elif x.startswith("--qf=") or x.startswith("--queryformat="):
            qf = x.split("=", 1)[1]
        elif x in ("-qa", "-aq") or (x == "-a"):
            qa = True
        elif x.startswith("-"):
            pass
        else:
            names.append(x)
        i += 1
    inst = installed()
    if qa:
        names = sorted(inst)

    def fmt(n, d):
        if qf is None:
            return "%s-%s-%s.x86_64\n" % (n, d["version"], d["release"])
        s = qf.replace("%{NAME}", n).replace("%{VERSION}", d["version"]).replace("%{RELEASE}", d["release"])
        s = s.replace("%{ARCH}", "x86_64").replace("%{EPOCH}", "(none)")
        return s.replace("\\n", "\n").replace("\\t", "\t")
    rc = 0
    for n in names:
        if n in inst:
            sys.stdout.write(fmt(n, inst[n]))
        else:
            out("package %s is not installed" % n)
            rc += 1
    return min(rc, 255)


# ---- apt -------------------------------------------------------------------

LISTS_PATH = os.path.join(lc.STATE, "apt-lists.json")
HOLDS_PATH = os.path.join(lc.STATE, "apt-holds.json")


def read_sources():
    """[(url, suite, components, options)] from sources.list(.d)."""
    res = []
    files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
    for f in files:
        for ln in (lc.read_file(f, "") or "").splitlines():
            ln = ln.strip()
            if not ln.startswith("deb "):
                continue
            opts = {}
            m = re.match(r"^deb\s+\[([^\]]*)\]\s+(.*)$", ln)
            rest = ln[4:].strip()
            if m:
                for kv in m.group(1).split():
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        opts[k] = v
                rest = m.group(2)
            parts = rest.split()
            if len(parts) < 2:
                continue
            res.append((parts[0], parts[1], parts[2:], opts))
    for f in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        ent = {}
        for ln in (lc.read_file(f, "") or "").splitlines() + [""]:
            if not ln.strip():
                if ent.get("uris"):
                    for u in ent["uris"].split():
                        for s in ent.get("suites", "").split():
                            res.append((u, s, ent.get("components", "").split(),
                                        {"signed-by": ent.get("signed-by", "")}))
                ent = {}
                continue
            if ":" in ln and not ln.startswith(" "):
                k, v = ln.split(":", 1)
                ent[k.strip().lower()] = v.strip()
    return res


def _keyring_has(path, keyid):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return ("LABKEY:" + keyid).encode() in data


def _trusted_has(keyid):
    for p in glob.glob("/etc/apt/trusted.gpg.d/*") + ["/etc/apt/trusted.gpg"]:
        if _keyring_has(p, keyid):
            return True
    return False


def apt_update(quiet):
    osname = lc.node_os()
    lists = []
    n = 0
    errors = []
    warns = []
    for url, suite, comps, opts in read_sources():
        n += 1
        kind, keyid, pk = pkgdata.deb_repo(url, suite, osname)
        rel = "%s %s" % (url.rstrip("/"), suite) if suite != "/" else url.rstrip("/") + "  "
        if kind is None:
            if keyid == "404":
                out("Ign:%d %s InRelease" % (n, rel))
                out("Err:%d %s Release" % (n, rel))
                out("  404  Not Found [IP: 127.0.0.1 443]")
                errors.append("E: The repository '%s Release' does not have a Release file." % rel)
            else:
                out("Err:%d %s InRelease" % (n, rel))
                out("  Could not resolve '%s'" % _host(url))
                warns.append("W: Failed to fetch %s/%sInRelease  Could not resolve '%s'" % (
                    url.rstrip("/"), "dists/%s/" % suite if suite != "/" else "", _host(url)))
            continue
        if keyid:
            sb = opts.get("signed-by")
            ok = _keyring_has(sb, keyid) if sb else _trusted_has(keyid)
            if not ok:
                out("Get:%d %s InRelease [1,192 B]" % (n, rel))
                out("Err:%d %s InRelease" % (n, rel))
                out("  The following signatures couldn't be verified because the public key is not available: "
                    "NO_PUBKEY %s" % keyid)
                warns.append("W: GPG error: %s InRelease: The following signatures couldn't be verified because the "
                              "public key is not available: NO_PUBKEY %s" % (rel, keyid))
                errors.append("E: The repository '%s InRelease' is not signed." % rel)
                continue
        out("Hit:%d %s InRelease" % (n, rel))
        lists.append({"kind": kind, "url": url.rstrip("/"), "suite": suite, "packages": pk})
    if not errors:
        out("Reading package lists...")
    for w in warns:
        err(w)
    for e in errors:
        err(e)
    if errors:
        err("N: Updating from such a repository can't be done securely, and is therefore disabled by default.")
        err("N: See apt-secure(8) manpage for repository creation and user configuration details.")
    lc.write_file(LISTS_PATH, lc.json.dumps(lists) + "\n")
    return 100 if errors else 0


def _avail():
    """[(package, list entry)] from the last `apt-get update`."""
    res = []
    for l in lc.load_json(LISTS_PATH, []):
        for p in l["packages"]:
            res.append((p, l))
    return res


def _deb_ver(p):
    return "%s-%s" % (p["version"], p["release"])


def apt_get(argv):
    a = argv[1:]
    opts = [x for x in a if x.startswith("-")]
    words = [x for x in a if not x.startswith("-")]
    # -o Opt=val takes a value
    for i, x in enumerate(a):
        if x == "-o" and i + 1 < len(a) and a[i + 1] in words:
            words.remove(a[i + 1])
    quiet = any(x.startswith("-q") for x in opts)
    assume = any(x in ("-y", "--yes", "--assume-yes") or (x.startswith("-") and not x.startswith("--") and "y" in x)
                 for x in opts)
    if not words:
        err("E: No command given" if argv[0] == "apt" else "apt 2.6.1 (amd64)\nUsage: apt-get [options] command")
        raise Exit(100 if argv[0] != "apt" else 1)
    cmd, args = words[0], words[1:]
    if cmd == "update":
        return apt_update(quiet)
    if cmd in ("clean", "autoclean", "autoremove"):
        return 0
    if cmd in ("remove", "purge"):
        inst = installed()
        holds = lc.load_json(HOLDS_PATH, [])
        names = [x for x in args if x in inst]
        held = [x for x in names if x in holds]
        if held and "--allow-change-held-packages" not in opts:
            err("E: Held packages were changed and -y was used without --allow-change-held-packages.")
            raise Exit(100)
        with lc.Locked(PKG_PATH) as pkgs:
            for n in names:
                pkgs.pop(n, None)
        for n in names:
            _remove_effects(n)
        return 0
    if cmd not in ("install", "upgrade", "dist-upgrade", "full-upgrade"):
        err("E: Invalid operation %s" % cmd)
        raise Exit(100)
    if cmd != "install" or not args:
        out("Reading package lists...\nBuilding dependency tree...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
        return 0
    out("Reading package lists...")
    out("Building dependency tree...")
    out("Reading state information...")
    avail = _avail()
    inst = installed()
    holds = lc.load_json(HOLDS_PATH, [])
    chosen = {}
    for spec in args:
        if spec.endswith(".deb"):
            err("E: Unsupported file %s given on commandline" % spec)
            raise Exit(100)
        name, _, ver = spec.partition("=")
        cands = [(p, l) for p, l in avail if p["name"] == name]
        if not cands:
            err("E: Unable to locate package %s" % name)
            raise Exit(100)
        if ver:
            cands = [(p, l) for p, l in cands if _deb_ver(p) == ver or (ver.endswith("*") and _deb_ver(p).startswith(ver[:-1]))]
            if not cands:
                err("E: Version '%s' for '%s' was not found" % (ver, name))
                raise Exit(100)
        best = cands[0]
        for c in cands:
            if _vercmp(_deb_ver(c[0]), _deb_ver(best[0])) > 0:
                best = c
        chosen[name] = best
    todo = list(chosen)
    while todo:
        n = todo.pop()
        for d in DEPS.get(n, []):
            if d in chosen or d in inst:
                continue
            cands = [(p, l) for p, l in avail if p["name"] == d]
            if not cands:
                p = chosen[n][0]
                out("Some packages could not be installed. This may mean that you have")
                out("requested an impossible situation ...")
                out("The following packages have unmet dependencies:")
                out(" %s : Depends: %s but it is not installable" % (n, d))
                err("E: Unable to correct problems, you have held broken packages.")
                raise Exit(100)
            best = cands[0]
            for c in cands:
                if _vercmp(_deb_ver(c[0]), _deb_ver(best[0])) > 0:
                    best = c
            chosen[d] = best
            todo.append(d)
    changes = [n for n in chosen if n not in inst or _deb_ver(inst[n]) != _deb_ver(chosen[n][0])]
    held = [n for n in changes if n in holds and n in inst]
    if held and "--allow-change-held-packages" not in opts:
        out("The following held packages will be changed:\n  %s" % " ".join(held))
        err("E: Held packages were changed and -y was used without --allow-change-held-packages.")
        raise Exit(100)
    down = [n for n in changes if n in inst and _vercmp(_deb_ver(chosen[n][0]), _deb_ver(inst[n])) < 0]
    if down and "--allow-downgrades" not in opts:
        out("The following packages will be DOWNGRADED:\n  %s" % " ".join(down))
        err("E: Packages were downgraded and -y was used without --allow-downgrades.")
        raise Exit(100)
    if not changes:
        _critical(lambda: [_install_tools(n) for n in chosen])
        for n in chosen:
            out("%s is already the newest version (%s)." % (n, _deb_ver(chosen[n][0])))
        out("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
        return 0
    out("The following NEW packages will be installed:")
    out("  " + " ".join(changes))
    out("0 upgraded, %d newly installed, 0 to remove and 0 not upgraded." % len(changes))
    if not assume:
        out("Do you want to continue? [Y/n] Abort.")
        raise Exit(1)
    for i, n in enumerate(changes):
        p, l = chosen[n]
        out("Get:%d %s %s amd64 %s [10.0 MB]" % (i + 1, l["url"], n, _deb_ver(p)))

    def commit():
        for n in changes:
            _install_effects(n, chosen[n][0]["version"], "deb")
        with lc.Locked(PKG_PATH) as pkgs:
            for n in changes:
                p, l = chosen[n]
                pkgs[n] = {"version": p["version"], "release": p["release"], "repo": l["url"]}
    _critical(commit)
    for n in changes:
        out("Setting up %s (%s) ..." % (n, _deb_ver(chosen[n][0])))
    return 0


def apt_cache(argv):
    a = argv[1:]
    words = [x for x in a if not x.startswith("-")]
    if not words:
        raise Exit(100)
    cmd, args = words[0], words[1:]
    avail = _avail()
    if cmd == "madison":
        for n in args:
            rows = sorted([(p, l) for p, l in avail if p["name"] == n],
                          key=lambda t: [int(x) if x.isdigit() else 0 for x in re.split(r"[.~:+-]", _deb_ver(t[0]))],
                          reverse=True)
            for p, l in rows:
                src = "%s %s" % (l["url"], l["suite"]) if l["suite"] != "/" else l["url"] + "/ "
                out("%10s | %s | %s Packages" % (n, _deb_ver(p), src))
        return 0
    if cmd == "policy":
        inst = installed()
        for n in args:
            rows = [(p, l) for p, l in avail if p["name"] == n]
            out("%s:" % n)
            out("  Installed: %s" % (_deb_ver(inst[n]) if n in inst else "(none)"))
            cand = max(rows, key=lambda t: [int(x) if x.isdigit() else 0 for x in re.split(r"[.~:+-]", _deb_ver(t[0]))]) if rows else None
            out("  Candidate: %s" % (_deb_ver(cand[0]) if cand else "(none)"))
        return 0
    if cmd in ("show", "depends", "showpkg"):
        rc = 0
        for n in args:
            rows = [(p, l) for p, l in avail if p["name"] == n]
            if not rows:
                err("N: Unable to locate package %s" % n)
                rc = 100
                continue
            for p, l in rows:
                out("Package: %s\nVersion: %s\nArchitecture: amd64\n" % (n, _deb_ver(p)))
        if rc:
            err("E: No packages found")
        return rc
    if cmd == "search":
        pat = args[0] if args else ""
        for name in sorted({p["name"] for p, _l in avail if pat in p["name"]}):
            out("%s - %s" % (name, name))
        return 0
    err("E: Invalid operation %s" % cmd)
    raise Exit(100)


def apt_mark(argv):
    a = [x for x in argv[1:] if not x.startswith("-")]
    if not a:
        err("E: No command given")
        raise Exit(100)
    cmd, args = a[0], a[1:]
    if cmd == "showhold":
        for n in sorted(lc.load_json(HOLDS_PATH, [])):
            out(n)
        return 0
    if cmd in ("hold", "unhold"):
        known = set(installed()) | {p["name"] for p, _l in _avail()}
        with lc.Locked(HOLDS_PATH, []) as holds:
            for n in args:
                if n not in known:
                    err("E: Unable to locate package %s" % n)
                    raise Exit(100)
                if cmd == "hold":
                    if n in holds:
                        out("%s was already set on hold." % n)
                    else:
                        holds.append(n)
                        out("%s set on hold." % n)
                else:
                    if n in holds:
                        holds.remove(n)
                        out("Canceled hold on %s." % n)
                    else:
                        out("%s was already not on hold." % n)
        return 0
    if cmd in ("auto", "manual", "showmanual", "showauto"):
        return 0
    err("E: Invalid operation %s" % cmd)
    raise Exit(100)


def dpkg_query(argv):
    a = argv[1:]
    fmt = None
    names = []
    mode = None
    i = 0
    while i < len(a):
        x = a[i]
        if x in ("-W", "--show"):
            mode = "W"
        elif x in ("-l", "--list"):
            mode = "l"
        elif x in ("-s", "--status"):
            mode = "s"
        elif x in ("-f", "--showformat"):
            fmt = a[i + 1] if i + 1 < len(a) else ""
            i += 1
        elif x.startswith("-f=") or x.startswith("--showformat="):
            fmt = x.split("=", 1)[1]
        elif x.startswith("-f") and len(x) > 2:
            fmt = x[2:]
        elif x.startswith("-"):
            pass
        else:
            names.append(x)
        i += 1
    inst = installed()
    if mode is None:
        err("dpkg-query: error: need an action option")
        raise Exit(2)
    if not names:
        names = sorted(inst)
    rc = 0
    for n in names:
        matches = [k for k in inst if fnmatch.fnmatchcase(k, n)]
        if not matches:
            err("dpkg-query: no packages found matching %s" % n)
            rc = 1
            continue
        for k in matches:
            d = inst[k]
            v = _deb_ver(d)
            if mode == "W":
                f = fmt if fmt is not None else "${Package}\t${Version}\n"
                s = f.replace("${Package}", k).replace("${binary:Package}", k).replace("${Version}", v)
                s = s.replace("${Status}", "install ok installed").replace("${db:Status-Abbrev}", "ii ")
                s = s.replace("${db:Status-Status}", "installed")
                sys.stdout.write(s.replace("\\n", "\n").replace("\\t", "\t"))
            elif mode == "l":
                out("ii  %-30s %-20s amd64 %s" % (k, v, k))
            else:
                out("Package: %s\nStatus: install ok installed\nVersion: %s\n" % (k, v))
    return rc


def dpkg(argv):
    """dpkg: the queries scripts use; installing .deb files is not simulated."""
    a = argv[1:]
    if "--print-architecture" in a:
        out("amd64")
        return 0
    if a and a[0] in ("-l", "--list", "-s", "--status", "-W", "--show"):
        return dpkg_query(["dpkg-query"] + a)
    if a and a[0] in ("-i", "--install"):
        for f in a[1:]:
            if not os.path.exists(f):
                err("dpkg: error: cannot access archive '%s': No such file or directory" % f)
                raise Exit(2)
        err("dpkg: error: installing .deb files is not simulated by the lab")
        raise Exit(2)
    if "--version" in a:
        out("Debian 'dpkg' package management program version 1.21.22 (amd64).")
        return 0
    err("dpkg: error: need an action option\n\nType dpkg --help for help about installing and deinstalling packages [*];")
    raise Exit(2)
