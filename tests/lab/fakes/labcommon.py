"""labcommon: what every lab fake shares: where the node's state lives, the
lab clock, the journal, faults, JSON state files under a lock, and the
simulated kernel state (swap, modules, sysctl) behind the /proc files the
node sees."""

import errno
import fcntl
import fnmatch
import json
import os
import shlex
import signal
import sys
import time

LAB = os.environ.get("KUBEWIZ_LAB_INNER", "/var/lib/kubewiz-lab")
SELF = os.path.join(LAB, "self")
FAKES = os.path.join(LAB, "fakes")
DATA = os.path.join(FAKES, "data")
CLUSTER = os.path.join(LAB, "cluster")
STATE = os.path.join(SELF, "state")
VOL = os.path.join(SELF, "vol")
FAKE = os.path.join(FAKES, "fake")
SHIM = os.path.join(FAKES, "shim")
# The pid of the process that called the fake: the shim's when the node's
# fake server runs it (fakesrv.py), else this process.
CALLER_PID = None


def fake_target(name):
    """What a tool's symlink points to: the shim that hands the call to the
    node's fake server when `lab up` could build it, else the Python fake.
    sudo stays the Python fake: it may read a password from the terminal."""
    if name != "sudo" and os.path.exists(SHIM):
        return SHIM
    return FAKE

# Kernel modules a fresh VM has loaded (a small, plausible subset).
BASE_MODULES = ["ip_tables", "x_tables", "nf_conntrack", "nf_defrag_ipv4",
                "nf_defrag_ipv6", "libcrc32c", "virtio_net", "virtio_blk"]
# Modules the lab knows how to "load", with their dependencies.
KNOWN_MODULES = {
    "overlay": [], "br_netfilter": ["bridge"], "bridge": ["stp", "llc"],
    "stp": ["llc"], "llc": [], "ip_vs": ["nf_conntrack"], "ip_vs_rr": ["ip_vs"],
    "ip_vs_wrr": ["ip_vs"], "ip_vs_sh": ["ip_vs"], "nf_conntrack": [],
    "ipip": ["tunnel4"], "tunnel4": [], "vxlan": [], "xt_set": [],
    "ip_set": [], "nf_conntrack_ipv4": [], "iptable_nat": [], "iptable_filter": [],
}
BRIDGE_KEYS = ["bridge-nf-call-arptables", "bridge-nf-call-ip6tables",
               "bridge-nf-call-iptables", "bridge-nf-filter-pppoe-tagged",
               "bridge-nf-filter-vlan-tagged", "bridge-nf-pass-vlan-input-dev"]


def now():
    """The lab clock: the real time moved by `lab clock +DURATION`."""
    try:
        with open(os.path.join(LAB, "clock")) as f:
            off = int(f.read().strip() or "0")
    except (OSError, ValueError):
        off = 0
    return time.time() + off


def iso(t=None):
    """RFC 3339 UTC time of lab time t (default now)."""
    if t is None:
        t = now()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def node_index():
    try:
        with open(os.path.join(SELF, "index")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return 0


def node_os():
    return read_file(os.path.join(SELF, "os"), "centos7").strip()


def os_family(osname=None):
    osname = osname or node_os()
    return "rpm" if osname in ("centos7", "rocky9") else "deb"


def read_file(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def write_file(path, text, mode=None, inplace=False):
    """Write a file atomically (rename), or in place for bind-mounted files."""
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    if inplace:
        with open(path, "w") as f:
            f.write(text)
    else:
        tmp = "%s.tmp.%d" % (path, os.getpid())
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    if mode is not None:
        os.chmod(path, mode)


class Locked:
    """A JSON document in a file, read and written under an exclusive lock."""

    def __init__(self, path, default=None):
        self.path = path
        self.default = default if default is not None else {}
        self.fd = None
        self.data = None

    def __enter__(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        try:
            self.fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o666)
            try:
                os.fchmod(self.fd, 0o666)
            except OSError:
                pass
        except PermissionError:
            # Another user created the lock file: flock works read-only too.
            self.fd = os.open(self.path + ".lock", os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        txt = read_file(self.path)
        if txt:
            self.data = json.loads(txt)
        else:
            self.data = json.loads(json.dumps(self.default))
        return self.data

    def save(self):
        write_file(self.path, json.dumps(self.data, indent=1, sort_keys=True) + "\n")

    def __exit__(self, et, ev, tb):
        if et is None:
            self.save()
        os.close(self.fd)
        return False


def load_json(path, default=None):
    txt = read_file(path)
    if not txt:
        return default if default is not None else {}
    return json.loads(txt)


def yaml_load(txt):
    """yaml.safe_load with libyaml's parser when there is one (about ten
    times faster); a document it refuses is parsed again by PyYAML's, so
    results and error messages stay PyYAML's."""
    import yaml
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(txt, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(txt)


def yaml_load_all(txt):
    """The documents of yaml.safe_load_all (a list), as yaml_load does it."""
    import yaml
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return list(yaml.load_all(txt, Loader=loader))
        except yaml.YAMLError:
            pass
    return list(yaml.safe_load_all(txt))


# ---- journal and faults -------------------------------------------------

class Exit(Exception):
    """Raised by a fake to end with a status (after printing its messages)."""

    def __init__(self, code):
        Exception.__init__(self, code)
        self.code = code


def journal(argv, status):
    line = "%s\t%s\t%s\n" % (iso(), status, " ".join(shlex.quote(a) for a in argv))
    try:
        fd = os.open(os.path.join(SELF, "journal"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        os.write(fd, line.encode("utf-8", "replace"))
        os.close(fd)
    except OSError:
        pass


def _session_sshds():
    """The sshd processes between this command and the listener, the
    per-connection monitor (child of PID 1) last."""
    pid = CALLER_PID or os.getpid()
    chain = []
    while pid > 1:
        try:
            with open("/proc/%d/stat" % pid) as f:
                st = f.read()
        except OSError:
            break
        comm = st[st.index("(") + 1:st.rindex(")")]
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        chain.append((pid, comm, ppid))
        pid = ppid
    res = []
    for pid, comm, ppid in chain:
        if comm.startswith("sshd") and pid != 1:
            res.append(pid)
            if ppid == 1:
                break
    return res


def check_faults(argv):
    """Apply `lab fault` rules that match this command line."""
    path = os.path.join(SELF, "faults")
    txt = read_file(path, "")
    if not txt.strip():
        return
    line = " ".join(argv)
    hit = None
    try:
        fd = os.open(path, os.O_RDWR)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        rules = read_file(path, "").splitlines()
        keep = []
        for r in rules:
            parts = r.split("\t", 2)
            if len(parts) != 3:
                continue
            mode, once, pat = parts
            if hit is None and (fnmatch.fnmatchcase(line, pat) or fnmatch.fnmatchcase(line, pat + " *")):
                hit = mode
                if once == "1":
                    continue
            keep.append(r)
        if hit is not None and len(keep) != len(rules):
            write_file(path, "".join(k + "\n" for k in keep), inplace=True)
    finally:
        os.close(fd)
    if hit is None:
        return
    if hit == "fail":
        sys.stderr.write("%s: injected fault\n" % os.path.basename(argv[0]))
        journal(argv, 1)
        sys.exit(1)
    if hit == "hang":
        journal(argv, "hang")
        while True:
            time.sleep(3600)
    if hit == "drop":
        journal(argv, "drop")
        # Kill the connection's monitor; a non-root caller can only kill its
        # own session process, which ends the connection as well.
        for pid in reversed(_session_sshds()):
            try:
                os.kill(pid, signal.SIGKILL)
                break
            except OSError:
                continue
        time.sleep(5)
        sys.exit(255)


def apply_delay(argv):
    """Sleep as the lab's delay table says: lines "SECONDS<TAB>PATTERN" in
    $KUBEWIZ_LAB/delays, matched like `lab fault` patterns, the first match
    wins. The benchmark (tests/bench) uses it for realistic waits (package
    installs, image pulls, kubeadm init); without the file nothing waits.
    Returns whether it waited."""
    txt = read_file(os.path.join(LAB, "delays"), "")
    if not txt:
        return False
    line = " ".join(argv)
    for r in txt.splitlines():
        parts = r.split("\t", 1)
        if len(parts) != 2 or r.startswith("#"):
            continue
        try:
            sec = float(parts[0])
        except ValueError:
            continue
        if fnmatch.fnmatchcase(line, parts[1]) or fnmatch.fnmatchcase(line, parts[1] + " *"):
            time.sleep(sec)
            return True
    return False


def run_fake(name, argv, func):
    """Run one fake: faults, the delay, the fake itself, then one journal
    line."""
    check_faults(argv)
    apply_delay(argv)
    status = 0
    try:
        r = func(argv)
        status = r or 0
    except Exit as e:
        status = e.code
    except BrokenPipeError:
        status = 141
    except KeyboardInterrupt:
        status = 130
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = status or 141
    journal(argv, status)
    return status


def err(msg):
    sys.stderr.write(msg if msg.endswith("\n") else msg + "\n")


def out(msg=""):
    sys.stdout.write(msg if msg.endswith("\n") else msg + "\n")


# ---- simulated kernel state --------------------------------------------

SYS_PATH = os.path.join(VOL, "sys.json")


def sys_state():
    return Locked(SYS_PATH, {"swap": [], "modules": [], "sysctl": {},
                             "selinux": "Disabled", "services": {}})


def render_proc(st):
    """Write the /proc files the node sees from the volatile state."""
    pdir = os.path.join(VOL, "proc")
    lines = ["Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority"]
    for i, dev in enumerate(st.get("swap", [])):
        typ = "file" if dev.startswith("/swap") else "partition"
        lines.append("%-40s%s\t\t2097148\t\t0\t\t-%d" % (dev, typ, i + 2))
    write_file(os.path.join(pdir, "swaps"), "\n".join(lines) + "\n", inplace=True)
    mods = []
    users = {}
    for m in st.get("modules", []):
        for d in KNOWN_MODULES.get(m, []):
            users.setdefault(d, []).append(m)
    for m in reversed(st.get("modules", [])):
        u = users.get(m, [])
        mods.append("%s %d %d %s Live 0x0000000000000000" % (
            m, 16384 + 1024 * len(m), len(u), ",".join(u) + "," if u else "-"))
    write_file(os.path.join(pdir, "modules"), "\n".join(mods) + "\n", inplace=True)
    bdir = os.path.join(pdir, "bridge")
    os.makedirs(bdir, exist_ok=True)
    loaded = "br_netfilter" in st.get("modules", [])
    for k in BRIDGE_KEYS:
        p = os.path.join(bdir, k)
        if loaded:
            if not os.path.exists(p):
                write_file(p, ("1" if k.startswith("bridge-nf-call") else "0") + "\n", inplace=True)
        elif os.path.exists(p):
            os.unlink(p)


def swap_active():
    st = load_json(SYS_PATH, {})
    return list(st.get("swap", []))


def modules_loaded():
    return list(load_json(SYS_PATH, {}).get("modules", []))


SYSCTL_FILES = {"net.ipv4.ip_forward": os.path.join(VOL, "proc", "ip_forward")}
for _k in BRIDGE_KEYS:
    SYSCTL_FILES["net.bridge." + _k.replace("-", "-")] = os.path.join(VOL, "proc", "bridge", _k)

# Defaults of the sysctl keys the lab shows (others are "unknown").
SYSCTL_DEFAULTS = {
    "net.ipv6.conf.all.forwarding": "0", "net.ipv6.conf.default.forwarding": "0",
    "vm.swappiness": "30", "vm.overcommit_memory": "0", "vm.panic_on_oom": "0",
    "kernel.panic": "0", "kernel.panic_on_oops": "1", "fs.inotify.max_user_watches": "8192",
    "fs.inotify.max_user_instances": "128", "fs.file-max": "9223372036854775807",
    "net.ipv4.conf.all.rp_filter": "1", "net.ipv4.conf.default.rp_filter": "1",
    "net.ipv4.tcp_keepalive_time": "7200", "net.core.somaxconn": "4096",
    "net.netfilter.nf_conntrack_max": "131072", "kernel.pid_max": "4194304",
    "net.ipv4.ip_local_port_range": "32768\t60999", "kernel.hostname": None,
    "fs.protected_fifos": "1", "fs.protected_hardlinks": "1", "fs.protected_regular": "2",
    "fs.protected_symlinks": "1", "net.ipv4.conf.all.accept_source_route": "0",
    "net.ipv4.conf.default.accept_source_route": "0", "kernel.kptr_restrict": "1",
}


def sysctl_get(key):
    """Value of a sysctl key in this node, or None if it does not exist."""
    key = key.replace("/", ".")
    if key in SYSCTL_FILES:
        v = read_file(SYSCTL_FILES[key])
        return None if v is None else v.strip()
    if key == "kernel.hostname":
        return os.uname().nodename
    st = load_json(SYS_PATH, {})
    if key in st.get("sysctl", {}):
        return st["sysctl"][key]
    return SYSCTL_DEFAULTS.get(key)


def sysctl_set(key, value, st=None):
    """Set a sysctl key; returns False if it does not exist."""
    key = key.replace("/", ".")
    value = " ".join(value.split())
    if key in SYSCTL_FILES:
        p = SYSCTL_FILES[key]
        if not os.path.exists(p):
            return False
        write_file(p, value + "\n", inplace=True)
        return True
    if key == "kernel.hostname":
        return True
    if key not in SYSCTL_DEFAULTS:
        return False
    if st is None:
        with sys_state() as s:
            s.setdefault("sysctl", {})[key] = value
    else:
        st.setdefault("sysctl", {})[key] = value
    return True


def sysctl_conf_files():
    """The files `sysctl --system` reads, in its order (name-sorted,
    /etc overrides /run overrides /usr/lib), then /etc/sysctl.conf."""
    dirs = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"]
    seen = {}
    for d in dirs:
        try:
            names = os.listdir(d)
        except OSError:
            continue
        for nm in names:
            if nm.endswith(".conf") and nm not in seen:
                seen[nm] = os.path.join(d, nm)
    files = [seen[k] for k in sorted(seen)]
    if os.path.exists("/etc/sysctl.conf"):
        files.append("/etc/sysctl.conf")
    return files


def parse_sysctl_file(path):
    """[(key, value, ignore_errors)] from a sysctl.conf file."""
    res = []
    for ln in (read_file(path, "") or "").splitlines():
        ln = ln.strip()
        if not ln or ln[0] in "#;" or "=" not in ln:
            continue
        k, v = ln.split("=", 1)
        k = k.strip()
        ign = k.startswith("-")
        res.append((k.lstrip("-"), v.strip(), ign))
    return res


# ---- services ----------------------------------------------------------

# Units the lab knows: name -> package that ships it ("" = the base OS).
def known_units():
    fam = os_family()
    units = {"sshd": "", "chronyd" if fam == "rpm" else "cron": ""}
    if fam == "rpm":
        units.update({"firewalld": "", "NetworkManager": ""})
    else:
        units.update({"systemd-networkd": ""})
    units.update({"docker": "docker-ce", "docker.socket": "docker-ce",
                  "containerd": "containerd.io", "kubelet": "kubelet"})
    return units


def services_state():
    return Locked(os.path.join(STATE, "services.json"), {"enabled": {}, "masked": []})


def installed_packages():
    return load_json(os.path.join(STATE, "packages.json"), {})


def unit_present(name):
    units = known_units()
    if name not in units:
        return False
    pkg = units[name]
    if not pkg:
        return True
    pk = installed_packages()
    if name == "containerd":
        return "containerd.io" in pk or "containerd" in pk
    return pkg in pk


def service_active(name):
    return load_json(SYS_PATH, {}).get("services", {}).get(name) == "active"
