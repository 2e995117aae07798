"""fk_system: fakes of the base system tools of a node: systemctl,
hostnamectl, swapon/swapoff, modprobe/lsmod, sysctl, setenforce/getenforce,
firewall-cmd, nproc, iptables, ipvsadm, ip (per-node MAC and addresses),
journalctl and a journaling wrapper around the real sudo."""

import os
import re
import subprocess
import sys

import labcommon as lc
from labcommon import Exit, err, out


# ---- systemctl ---------------------------------------------------------

def _unit_name(u):
    for suf in (".service",):
        if u.endswith(suf):
            return u[:-len(suf)]
    return u


def _unit_desc(name):
    return {
        "docker": "Docker Application Container Engine",
        "containerd": "containerd container runtime",
        "kubelet": "kubelet: The Kubernetes Node Agent",
        "firewalld": "firewalld - dynamic firewall daemon",
        "sshd": "OpenSSH server daemon",
        "NetworkManager": "Network Manager",
        "chronyd": "NTP client/server",
        "cron": "Regular background program processing daemon",
        "systemd-networkd": "Network Configuration",
    }.get(name, name)


def _kubelet_state():
    """The kubelet crash-loops (systemd restarts it) until kubeadm init/join
    wrote its config, and whenever it cannot run (swap, cgroup driver, ...)."""
    import kstate
    if kstate.kubelet_problem(lc.node_index()):
        return "activating"
    return "active"


def _active_state(name):
    st = lc.load_json(lc.SYS_PATH, {})
    s = st.get("services", {}).get(name)
    if s == "active" and name == "kubelet":
        return _kubelet_state()
    if s == "active":
        return "active"
    if s == "failed":
        return "failed"
    return "inactive"


def _set_active(name, on):
    with lc.sys_state() as st:
        if on:
            st.setdefault("services", {})[name] = "active"
        else:
            st.setdefault("services", {}).pop(name, None)
    if name == "firewalld":
        pass


def _start_check(name):
    """Why a service would fail to start, or None."""
    if name == "docker":
        txt = lc.read_file("/etc/docker/daemon.json")
        if txt is not None and txt.strip():
            try:
                lc.json.loads(txt)
            except ValueError:
                return "daemon.json is not valid JSON"
    if name == "containerd":
        txt = lc.read_file("/etc/containerd/config.toml")
        if txt is not None:
            import fk_runtime
            why = fk_runtime.containerd_config_error(txt)
            if why:
                return why
    return None


def systemctl(argv):
    args = [a for a in argv[1:] if not a.startswith("-")]
    opts = [a for a in argv[1:] if a.startswith("-")]
    quiet = "-q" in opts or "--quiet" in opts
    now = "--now" in opts
    if not args:
        out("  UNIT                         LOAD   ACTIVE SUB     DESCRIPTION")
        return 0
    verb, units = args[0], [_unit_name(u) for u in args[1:]]
    if verb in ("daemon-reload", "daemon-reexec", "reset-failed"):
        return 0
    if verb in ("is-active", "is-enabled", "is-failed"):
        rc = 3 if verb == "is-active" else 1
        allok = True
        for u in units:
            if verb == "is-active":
                s = _active_state(u) if lc.unit_present(u) else "inactive"
                ok = s == "active"
            elif verb == "is-failed":
                s = _active_state(u)
                ok = s == "failed"
                s = "failed" if ok else s
            else:
                if not lc.unit_present(u):
                    if not quiet:
                        err("Failed to get unit file state for %s.service: No such file or directory" % u)
                    allok = False
                    continue
                svc = lc.load_json(os.path.join(lc.STATE, "services.json"), {})
                if u in svc.get("masked", []):
                    s = "masked"
                else:
                    s = "enabled" if svc.get("enabled", {}).get(u) else "disabled"
                ok = s == "enabled"
            if not quiet:
                out(s)
            allok = allok and ok
        return 0 if allok else (rc if verb == "is-active" else 1)
    if verb in ("start", "stop", "restart", "reload", "enable", "disable", "mask", "unmask",
                "try-restart", "reload-or-restart", "status", "show", "cat", "kill"):
        if not units:
            err("Too few arguments.")
            raise Exit(1)
        for u in units:
            if not lc.unit_present(u):
                if verb == "status":
                    err("Unit %s.service could not be found." % u)
                    raise Exit(4)
                if verb in ("stop", "disable", "mask") and u in lc.known_units():
                    continue
                if verb == "stop":
                    err("Failed to stop %s.service: Unit %s.service not loaded." % (u, u))
                elif verb in ("enable", "disable"):
                    err("Failed to %s unit: Unit file %s.service does not exist." % (verb, u))
                else:
                    err("Failed to %s %s.service: Unit %s.service not found." % (verb, u, u))
                raise Exit(5 if verb != "enable" and verb != "disable" else 1)
        for u in units:
            if verb == "status":
                s = _active_state(u)
                sub = {"active": "running", "activating": "auto-restart", "failed": "failed"}.get(s, "dead")
                svc = lc.load_json(os.path.join(lc.STATE, "services.json"), {})
                en = "enabled" if svc.get("enabled", {}).get(u) else "disabled"
                out("\u25cf %s.service - %s" % (u, _unit_desc(u)))
                out("   Loaded: loaded (/usr/lib/systemd/system/%s.service; %s; vendor preset: disabled)" % (u, en))
                if s == "activating":
                    out("   Active: activating (auto-restart) (Result: exit-code) since %s" % lc.iso())
                else:
                    out("   Active: %s (%s) since %s" % (s, sub, lc.iso()))
                if s != "active":
                    raise Exit(3)
                continue
            if verb == "show":
                out("ActiveState=%s" % _active_state(u))
                continue
            if verb == "cat":
                out("# /usr/lib/systemd/system/%s.service" % u)
                continue
            if verb in ("enable", "disable", "mask", "unmask"):
                with lc.services_state() as svc:
                    if verb in ("enable", "disable"):
                        was = bool(svc["enabled"].get(u))
                        svc["enabled"][u] = verb == "enable"
                        if verb == "enable" and not was:
                            err("Created symlink /etc/systemd/system/multi-user.target.wants/%s.service \u2192 "
                                "/usr/lib/systemd/system/%s.service." % (u, u))
                        if verb == "disable" and was:
                            err("Removed /etc/systemd/system/multi-user.target.wants/%s.service." % u)
                    elif verb == "mask":
                        if u not in svc["masked"]:
                            svc["masked"].append(u)
                        err("Created symlink /etc/systemd/system/%s.service \u2192 /dev/null." % u)
                    else:
                        if u in svc["masked"]:
                            svc["masked"].remove(u)
                if now:
                    if verb == "enable":
                        _start(u)
                    elif verb in ("disable", "mask"):
                        _set_active(u, False)
                continue
            if verb == "stop":
                _set_active(u, False)
                continue
            if verb in ("start", "restart", "reload", "try-restart", "reload-or-restart"):
                if verb == "try-restart" and _active_state(u) != "active":
                    continue
                _start(u)
                continue
            if verb == "kill":
                _set_active(u, False)
        return 0
    if verb in ("list-units", "list-unit-files"):
        for u in sorted(lc.known_units()):
            if lc.unit_present(u):
                out("%s.service %s" % (u, _active_state(u)))
        return 0
    err("Unknown command verb %s." % verb)
    raise Exit(1)


def _start(u):
    svc = lc.load_json(os.path.join(lc.STATE, "services.json"), {})
    if u in svc.get("masked", []):
        err("Failed to start %s.service: Unit %s.service is masked." % (u, u))
        raise Exit(1)
    why = _start_check(u)
    if why:
        with lc.sys_state() as st:
            st.setdefault("services", {})[u] = "failed"
        lc.write_file(os.path.join(lc.VOL, "failed-" + u), why + "\n")
        err("Job for %s.service failed because the control process exited with error code.\n"
            "See \"systemctl status %s.service\" and \"journalctl -xeu %s.service\" for details." % (u, u, u))
        raise Exit(1)
    try:
        os.unlink(os.path.join(lc.VOL, "failed-" + u))
    except OSError:
        pass
    _set_active(u, True)


def journalctl(argv):
    unit = None
    a = argv[1:]
    for i, x in enumerate(a):
        if x in ("-u", "--unit") and i + 1 < len(a):
            unit = a[i + 1]
        elif x.startswith("-") and not x.startswith("--") and x.endswith("u") and i + 1 < len(a):
            unit = a[i + 1]
        elif x.startswith("--unit="):
            unit = x.split("=", 1)[1]
    if unit is None:
        out("-- No entries --")
        return 0
    u = _unit_name(unit)
    why = lc.read_file(os.path.join(lc.VOL, "failed-" + u)) if u != "kubelet" else None
    if why:
        out("%s lab %s[1234]: %s" % (lc.iso(), u, why.strip()))
    if u == "kubelet" and lc.service_active("kubelet"):
        import kstate
        prob = kstate.kubelet_problem(lc.node_index())
        if prob and "config file" in prob:
            prob = ("failed to load kubelet config file, path: /var/lib/kubelet/config.yaml, error: failed to load "
                    "Kubelet config file /var/lib/kubelet/config.yaml, error failed to read kubelet config file "
                    "\\\"/var/lib/kubelet/config.yaml\\\", error: open /var/lib/kubelet/config.yaml: no such file or directory")
        if prob:
            out("%s lab kubelet[2345]: E0101 00:00:00.000000    2345 run.go:72] \"command failed\" err=\"%s\"" % (lc.iso(), prob))
            out("%s lab systemd[1]: kubelet.service: Main process exited, code=exited, status=1/FAILURE" % lc.iso())
            why = None
    if not why and u != "kubelet":
        out("-- No entries --")
    elif u == "kubelet" and not lc.service_active("kubelet"):
        out("-- No entries --")
    return 0


# ---- hostnamectl --------------------------------------------------------

def _valid_hostname(h):
    return re.match(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$", h) is not None


def hostnamectl(argv):
    a = [x for x in argv[1:] if not x.startswith("--") or x in ("--static", "--transient", "--pretty")]
    pos = [x for x in argv[1:] if not x.startswith("-")]
    if not pos or pos[0] == "status":
        h = os.uname().nodename
        osr = dict(l.split("=", 1) for l in (lc.read_file("/etc/os-release", "") or "").splitlines() if "=" in l)
        out("   Static hostname: %s" % (lc.read_file("/etc/hostname", "localhost").strip()))
        out("         Icon name: computer-vm")
        out("           Chassis: vm")
        out("        Machine ID: %s" % lc.read_file(os.path.join(lc.SELF, "product_uuid"), "").strip().replace("-", ""))
        out("  Operating System: %s" % osr.get("PRETTY_NAME", "Linux").strip('"'))
        out("            Kernel: Linux %s" % os.uname().release)
        out("      Architecture: x86-64")
        _ = h
        return 0
    if pos[0] == "hostname":
        out(os.uname().nodename)
        return 0
    if pos[0] == "set-hostname":
        if len(pos) < 2:
            err("Too few arguments.")
            raise Exit(1)
        h = pos[1]
        if not _valid_hostname(h):
            err("Could not set static hostname: Invalid static hostname '%s'" % h)
            raise Exit(1)
        lc.write_file("/etc/hostname", h + "\n")
        subprocess.call(["hostname", h])
        lc.write_file(os.path.join(lc.VOL, "hostname"), h + "\n")
        _ = a
        return 0
    err("Unknown command verb %s." % pos[0])
    raise Exit(1)


# ---- swap ---------------------------------------------------------------

def _fstab_swaps():
    res = []
    for ln in (lc.read_file("/etc/fstab", "") or "").splitlines():
        f = ln.split()
        if len(f) >= 3 and not f[0].startswith("#") and f[2] == "swap":
            res.append(f[0])
    return res


def swapoff(argv):
    a = argv[1:]
    if not a:
        err("Usage:\n swapoff [options] [<spec>]\n\nDisable devices and files for paging and swapping.")
        raise Exit(2)
    with lc.sys_state() as st:
        if "-a" in a or "--all" in a:
            st["swap"] = []
        else:
            for dev in [x for x in a if not x.startswith("-")]:
                if dev not in st["swap"]:
                    err("swapoff: %s: swapoff failed: Invalid argument" % dev)
                    lc.render_proc(st)
                    raise Exit(4)
                st["swap"].remove(dev)
        lc.render_proc(st)
    return 0


def swapon(argv):
    a = argv[1:]
    swaps = lc.swap_active()
    if not a or "-s" in a or "--summary" in a:
        if swaps:
            out("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority")
            for i, d in enumerate(swaps):
                out("%-40s%s\t\t2097148\t\t0\t\t-%d" % (d, "file" if d.startswith("/swap") else "partition", i + 2))
        return 0
    if any(x == "--show" or x.startswith("--show=") for x in a):
        noh = "--noheadings" in a
        if swaps:
            if not noh:
                out("NAME                    TYPE      SIZE USED PRIO")
            for i, d in enumerate(swaps):
                out("%-23s %-9s   2G   0B   -%d" % (d, "file" if d.startswith("/swap") else "partition", i + 2))
        return 0
    if "-a" in a or "--all" in a:
        with lc.sys_state() as st:
            for d in _fstab_swaps():
                if d not in st["swap"]:
                    st["swap"].append(d)
            lc.render_proc(st)
        return 0
    with lc.sys_state() as st:
        for d in [x for x in a if not x.startswith("-")]:
            if d in st["swap"]:
                err("swapon: %s: swapon failed: Device or resource busy" % d)
                raise Exit(4)
            st["swap"].append(d)
        lc.render_proc(st)
    return 0


# ---- modules ------------------------------------------------------------

def _load(st, m):
    for d in lc.KNOWN_MODULES.get(m, []):
        _load(st, d)
    if m not in st["modules"]:
        st["modules"].append(m)


def modprobe(argv):
    a = [x for x in argv[1:] if not x.startswith("-")]
    remove = "-r" in argv[1:] or "--remove" in argv[1:]
    if not a:
        err("modprobe: ERROR: missing parameters. See -h.")
        raise Exit(1)
    names = a if (remove or "-a" in argv[1:] or "--all" in argv[1:]) else a[:1]
    with lc.sys_state() as st:
        for m in names:
            m = m.replace("-", "_")
            if remove:
                if m in st["modules"]:
                    st["modules"].remove(m)
                continue
            if m not in lc.KNOWN_MODULES and m not in st["modules"]:
                err("modprobe: FATAL: Module %s not found in directory /lib/modules/%s" % (m, os.uname().release))
                lc.render_proc(st)
                raise Exit(1)
            _load(st, m)
        lc.render_proc(st)
    return 0


def lsmod(argv):
    mods = lc.modules_loaded()
    users = {}
    for m in mods:
        for d in lc.KNOWN_MODULES.get(m, []):
            users.setdefault(d, []).append(m)
    out("Module                  Size  Used by")
    for m in reversed(mods):
        u = users.get(m, [])
        out("%-19s %8d  %d %s" % (m, 16384 + 1024 * len(m), len(u), ",".join(u)))
    return 0


# ---- sysctl -------------------------------------------------------------

def sysctl(argv):
    a = argv[1:]
    nflag = False
    quiet = False
    write = False
    keys = []
    system = False
    files = []
    i = 0
    while i < len(a):
        x = a[i]
        if x in ("-n", "--values"):
            nflag = True
        elif x in ("-q", "--quiet"):
            quiet = True
        elif x in ("-w", "--write"):
            write = True
        elif x == "--system":
            system = True
        elif x in ("-p", "--load"):
            if i + 1 < len(a) and not a[i + 1].startswith("-"):
                files.append(a[i + 1])
                i += 1
            else:
                files.append("/etc/sysctl.conf")
        elif x.startswith("-p") and len(x) > 2:
            files.append(x[2:])
        elif x.startswith("--load="):
            files.append(x.split("=", 1)[1])
        elif x in ("-a", "--all", "-e", "--ignore", "-b", "--binary"):
            if x in ("-a", "--all"):
                for k in sorted(set(list(lc.SYSCTL_DEFAULTS) + list(lc.SYSCTL_FILES))):
                    v = lc.sysctl_get(k)
                    if v is not None:
                        out("%s = %s" % (k, v))
                return 0
        elif x.startswith("-"):
            err("sysctl: invalid option -- '%s'" % x.lstrip("-"))
            raise Exit(1)
        else:
            keys.append(x)
        i += 1
    rc = 0
    if system or files:
        if system:
            files = lc.sysctl_conf_files()
        for f in files:
            if lc.read_file(f) is None:
                err("sysctl: cannot open \"%s\": No such file or directory" % f)
                rc = 255
                continue
            if system:
                out("* Applying %s ..." % f)
            for k, v, ign in lc.parse_sysctl_file(f):
                if lc.sysctl_set(k, v):
                    if not quiet:
                        out("%s = %s" % (k, " ".join(v.split())))
                elif not ign:
                    err("sysctl: cannot stat /proc/sys/%s: No such file or directory" % k.replace(".", "/"))
                    rc = 255 if not system else rc
        return rc
    for k in keys:
        if "=" in k:
            kk, v = k.split("=", 1)
            kk = kk.strip()
            if not lc.sysctl_set(kk, v.strip()):
                err("sysctl: cannot stat /proc/sys/%s: No such file or directory" % kk.replace(".", "/"))
                rc = 255
                continue
            if not quiet:
                out("%s = %s" % (kk, v.strip()))
            continue
        if write:
            err("sysctl: \"%s\" must be of the form name=value" % k)
            rc = 255
            continue
        v = lc.sysctl_get(k)
        if v is None:
            err("sysctl: cannot stat /proc/sys/%s: No such file or directory" % k.replace(".", "/"))
            rc = 255
            continue
        out(v if nflag else "%s = %s" % (k.replace("/", "."), v))
    return rc


# ---- SELinux ------------------------------------------------------------

def getenforce(argv):
    out(lc.load_json(lc.SYS_PATH, {}).get("selinux", "Disabled"))
    return 0


def setenforce(argv):
    a = argv[1:]
    if len(a) != 1:
        err("usage:  setenforce [ Enforcing | Permissive | 1 | 0 ]")
        raise Exit(1)
    with lc.sys_state() as st:
        if st.get("selinux") == "Disabled":
            err("setenforce: SELinux is disabled")
            raise Exit(1)
        v = a[0].lower()
        if v in ("1", "enforcing"):
            st["selinux"] = "Enforcing"
        elif v in ("0", "permissive"):
            st["selinux"] = "Permissive"
        else:
            err("usage:  setenforce [ Enforcing | Permissive | 1 | 0 ]")
            raise Exit(1)
    return 0


# ---- firewalld ----------------------------------------------------------

def firewall_cmd(argv):
    a = argv[1:]
    if not _active_state("firewalld") == "active":
        if "--state" in a:
            out("not running")
            raise Exit(252)
        err("FirewallD is not running")
        raise Exit(252)
    if "--state" in a:
        out("running")
        return 0
    perm = "--permanent" in a
    with lc.Locked(os.path.join(lc.STATE, "firewalld.json"), {"ports": [], "services": ["ssh", "dhcpv6-client"]}) as fw:
        rt = fw.setdefault("runtime", {"ports": list(fw["ports"]), "services": list(fw["services"])})
        for x in a:
            if x == "--reload":
                fw["runtime"] = {"ports": list(fw["ports"]), "services": list(fw["services"])}
            elif x.startswith("--add-port="):
                for p in x.split("=", 1)[1].split(","):
                    if not re.match(r"^\d+(-\d+)?/(tcp|udp|sctp|dccp)$", p):
                        err("Error: INVALID_PORT: %s" % p)
                        raise Exit(1)
                    tgt = fw["ports"] if perm else rt["ports"]
                    if p not in tgt:
                        tgt.append(p)
            elif x.startswith("--remove-port="):
                p = x.split("=", 1)[1]
                tgt = fw["ports"] if perm else rt["ports"]
                if p in tgt:
                    tgt.remove(p)
            elif x.startswith("--add-service="):
                s = x.split("=", 1)[1]
                tgt = fw["services"] if perm else rt["services"]
                if s not in tgt:
                    tgt.append(s)
            elif x.startswith(("--add-protocol=", "--add-rich-rule=", "--add-masquerade", "--add-source=",
                               "--remove-service=", "--set-default-zone=", "--add-interface=", "--remove-protocol=")):
                pass
            elif x == "--list-ports":
                out(" ".join(fw["ports"] if perm else rt["ports"]))
                return 0
            elif x in ("--permanent", "--quiet", "-q") or x.startswith("--zone="):
                pass
            elif x == "--list-all":
                out("public (active)\n  services: %s\n  ports: %s" % (" ".join(rt["services"]), " ".join(rt["ports"])))
                return 0
            elif x == "--list-services":
                out(" ".join(fw["services"] if perm else rt["services"]))
                return 0
            else:
                err("usage: see firewall-cmd man page\nfirewall-cmd: error: unrecognized arguments: %s" % x)
                raise Exit(2)
    out("success")
    return 0


# ---- hardware facts -------------------------------------------------------

def nproc(argv):
    try:
        cpus = int(lc.read_file(os.path.join(lc.SELF, "hw")).split()[0])
    except (AttributeError, ValueError, IndexError):
        cpus = 2
    out(str(cpus))
    return 0


# ---- iptables / ipvsadm ----------------------------------------------------

def iptables(argv):
    a = argv[1:]
    if "-S" in a or "--list-rules" in a:
        out("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT")
    elif "-L" in a or "--list" in a:
        out("Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\n\n"
            "Chain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination\n\n"
            "Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination")
    elif "--version" in a or "-V" in a:
        out("iptables v1.8.4 (legacy)")
    return 0


def ipvsadm(argv):
    if "-L" in argv[1:] or "-Ln" in argv[1:]:
        out("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn")
    return 0


# ---- ip: the host's ip, shown as this node's ---------------------------------

def ip(argv):
    """Runs the real ip. Reads that list links or addresses are rewritten so
    the node shows its own MAC and only its own lab address; changes to
    links, addresses and routes are refused (the network is the host's)."""
    a = argv[1:]
    words = [x for x in a if not x.startswith("-")]
    obj = words[0] if words else ""
    verb = words[1] if len(words) > 1 else "show"
    if obj in ("link", "l", "addr", "a", "address", "route", "r", "ro", "neigh", "n") and \
            verb in ("add", "del", "delete", "change", "replace", "set", "flush", "a", "d"):
        # The lab shares the host's network: pretend success for deletions
        # of interfaces that do not exist (CNI clean-up), refuse the rest.
        if obj in ("link", "l") and verb in ("del", "delete", "d"):
            name = words[2] if len(words) > 2 else ""
            err('Cannot find device "%s"' % name)
            raise Exit(1)
        err("RTNETLINK answers: Operation not permitted")
        raise Exit(2)
    p = subprocess.run(["/usr/sbin/ip"] + a if os.path.exists("/usr/sbin/ip") else ["/bin/ip"] + a,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sys.stderr.write(p.stderr.decode(errors="replace"))
    txt = p.stdout.decode(errors="replace")
    mac = (lc.read_file(os.path.join(lc.SELF, "mac"), "") or "").strip()
    idx = lc.node_index()
    conf = lc.read_file(os.path.join(lc.LAB, "lab.net"), "") or ""
    net = conf.strip() or "127.0.10"
    if mac:
        txt = re.sub(r"link/ether ([0-9a-f:]{17})", lambda m: "link/ether " + mac, txt)
        txt = re.sub(r'"address": ?"([0-9a-f]{2}:){5}[0-9a-f]{2}"(?!, ?"broadcast": ?"00)',
                     '"address":"%s"' % mac, txt)
    own = "%s.%d" % (net, idx)
    pat = re.compile(r"inet %s\.(\d+)/32" % re.escape(net))
    lines = []
    for ln in txt.split("\n"):
        m = pat.search(ln)
        if m and "%s.%s" % (net, m.group(1)) != own:
            continue
        lines.append(ln)
    sys.stdout.write("\n".join(lines))
    return p.returncode


# ---- sudo ---------------------------------------------------------------------

def _check_password(user, pw):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import crypt
    h = None
    for ln in (lc.read_file(os.path.join(lc.SELF, "sudo-user"), "") or "").splitlines():
        f = ln.split()
        if len(f) == 2 and f[0] == user:
            h = f[1]
    return bool(h) and h[0] not in "*!" and crypt.crypt(pw, h) == h


def sudo(argv):
    """sudo for the non-root case. The password is checked here, like the
    real sudo does (-S reads it from stdin, -p sets the prompt, -n fails
    when one is needed); the command then runs as root through the real
    sudo, which the lab's sudoers lets the lab user use without one."""
    import pwd
    a = argv[1:]
    stdin_pw = False
    prompt = None
    nonint = False
    target = None
    opts = []
    i = 0
    while i < len(a):
        x = a[i]
        if x == "--":
            i += 1
            break
        if not x.startswith("-") or x == "-":
            break
        if x in ("-S", "--stdin"):
            stdin_pw = True
        elif x in ("-n", "--non-interactive"):
            nonint = True
        elif x in ("-p", "--prompt"):
            prompt = a[i + 1] if i + 1 < len(a) else ""
            i += 1
        elif x.startswith("--prompt="):
            prompt = x.split("=", 1)[1]
        elif x in ("-u", "--user", "-g", "--group"):
            opts += [x, a[i + 1] if i + 1 < len(a) else ""]
            target = a[i + 1] if x in ("-u", "--user") and i + 1 < len(a) else target
            i += 1
        elif x in ("-E", "-H", "-i", "-s", "--preserve-env", "--login", "--shell", "-k", "-K"):
            if x not in ("-k", "-K"):
                opts.append(x)
        elif x in ("-v", "--validate"):
            opts.append(x)
        elif x in ("-V", "--version"):
            out("Sudo version 1.9.13p3")
            return 0
        elif len(x) > 2 and x[1] != "-":
            # bundled short options, e.g. -nS
            for c in x[1:]:
                if c == "S":
                    stdin_pw = True
                elif c == "n":
                    nonint = True
                elif c in "EHis":
                    opts.append("-" + c)
        else:
            err("sudo: invalid option -- '%s'" % x.lstrip("-"))
            raise Exit(1)
        i += 1
    cmd = a[i:]
    if not cmd and "-v" not in opts and "--validate" not in opts and "-i" not in opts and "-s" not in opts:
        err("usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-D directory] [-g group] [-h host] "
            "[-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i|-s] [<command>]")
        raise Exit(1)
    uid = os.getuid()
    real = "/usr/bin/sudo"
    if uid != 0:
        user = pwd.getpwuid(uid).pw_name
        sudoers = (lc.read_file(os.path.join(lc.SELF, "sudo-user"), "") or "").split()
        if user not in sudoers:
            err("%s is not in the sudoers file.  This incident will be reported." % user)
            raise Exit(1)
        if nonint:
            err("sudo: a password is required")
            raise Exit(1)
        if prompt is None:
            prompt = "[sudo] password for %s: " % user
        tries = 0
        ok = False
        while tries < 3:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            if stdin_pw:
                line = b""
                while True:
                    c = os.read(0, 1)
                    if not c or c == b"\n":
                        break
                    line += c
                if not c and not line:
                    if tries == 0:
                        err("sudo: no password was provided")
                        raise Exit(1)
                    err("")
                    err("sudo: no password was provided")
                    err("sudo: %d incorrect password attempt%s" % (tries, "" if tries == 1 else "s"))
                    raise Exit(1)
                pw = line.decode("utf-8", "replace")
            else:
                if not os.isatty(0):
                    err("sudo: a terminal is required to read the password; either use the -S option to read "
                        "from standard input or configure an askpass helper")
                    err("sudo: a password is required")
                    raise Exit(1)
                import getpass
                pw = getpass.getpass("")
            if _check_password(user, pw):
                ok = True
                break
            tries += 1
            if tries < 3:
                err("Sorry, try again.")
        if not ok:
            err("sudo: 3 incorrect password attempts")
            raise Exit(1)
    sys.stdout.flush()
    p = subprocess.Popen([real, "-n"] + opts + ["--"] + cmd if uid != 0 else [real] + opts + ["--"] + cmd)
    try:
        return p.wait()
    except KeyboardInterrupt:
        return p.wait()


def lsb_release(argv):
    """lsb_release from the node's /etc/os-release."""
    osr = {}
    for ln in (lc.read_file("/etc/os-release", "") or "").splitlines():
        if "=" in ln:
            k, v = ln.split("=", 1)
            osr[k] = v.strip('"')
    a = "".join(x.lstrip("-") for x in argv[1:] if x.startswith("-") and not x.startswith("--"))
    longs = [x for x in argv[1:] if x.startswith("--")]
    short = "s" in a or "--short" in longs
    rows = []
    if "i" in a or "a" in a or "--id" in longs or "--all" in longs:
        rows.append(("Distributor ID", osr.get("NAME", "").split()[0] if osr.get("NAME") else ""))
    if "d" in a or "a" in a or "--description" in longs or "--all" in longs:
        rows.append(("Description", osr.get("PRETTY_NAME", "")))
    if "r" in a or "a" in a or "--release" in longs or "--all" in longs:
        rows.append(("Release", osr.get("VERSION_ID", "")))
    if "c" in a or "a" in a or "--codename" in longs or "--all" in longs:
        rows.append(("Codename", osr.get("VERSION_CODENAME", "")))
    if not rows:
        err("No LSB modules are available.")
        return 0
    for k, v in rows:
        out(v if short else "%s:\t%s" % (k, v))
    return 0
