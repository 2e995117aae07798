"""lab_boot: a node's boot. Rebuilds the volatile state (swap, kernel
modules, sysctl, SELinux mode, running services, /proc and /sys files)
from the node's persistent files, the way systemd does at boot. Runs inside
the node's namespaces before sshd starts."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labcommon as lc  # noqa: E402


def fstab_swaps():
    res = []
    for ln in (lc.read_file("/etc/fstab", "") or "").splitlines():
        f = ln.split()
        if len(f) >= 3 and not f[0].startswith("#") and f[2] == "swap":
            res.append(f[0])
    return res


def modules_load_d():
    res = []
    for d in ("/etc/modules-load.d", "/run/modules-load.d", "/usr/lib/modules-load.d"):
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        for nm in names:
            if not nm.endswith(".conf"):
                continue
            for ln in (lc.read_file(os.path.join(d, nm), "") or "").splitlines():
                ln = ln.strip()
                if ln and ln[0] not in "#;":
                    res.append(ln.split()[0])
    if os.path.exists("/etc/modules"):
        for ln in (lc.read_file("/etc/modules", "") or "").splitlines():
            ln = ln.strip()
            if ln and ln[0] != "#":
                res.append(ln.split()[0])
    return res


def selinux_mode():
    if lc.os_family() != "rpm":
        return "Disabled"
    mode = "enforcing"
    for ln in (lc.read_file("/etc/selinux/config", "") or "").splitlines():
        ln = ln.strip()
        if ln.startswith("SELINUX="):
            mode = ln.split("=", 1)[1].strip().lower()
    return {"enforcing": "Enforcing", "permissive": "Permissive"}.get(mode, "Disabled")


def load_module(st, m):
    if m not in lc.KNOWN_MODULES:
        return
    for d in lc.KNOWN_MODULES[m]:
        load_module(st, d)
    if m not in st["modules"]:
        st["modules"].append(m)


def main():
    vol = lc.VOL
    os.makedirs(os.path.join(vol, "proc", "bridge"), exist_ok=True)
    cpus, mem = 2, 4096
    try:
        cpus, mem = [int(x) for x in lc.read_file(os.path.join(lc.SELF, "hw")).split()]
    except (OSError, ValueError, AttributeError):
        pass
    kb = mem * 1024
    lc.write_file(os.path.join(vol, "proc", "meminfo"),
                  "MemTotal:       %8d kB\nMemFree:        %8d kB\nMemAvailable:   %8d kB\n"
                  "Buffers:           20480 kB\nCached:           409600 kB\nSwapCached:            0 kB\n"
                  "SwapTotal:       2097148 kB\nSwapFree:        2097148 kB\n" % (kb, kb * 3 // 4, kb * 7 // 8))
    cpu = ""
    for c in range(cpus):
        cpu += ("processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
                "model name\t: Intel(R) Xeon(R) Platinum 8269CY CPU @ 2.50GHz\ncpu MHz\t\t: 2500.000\n"
                "cpu cores\t: %d\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov lm\n\n" % (c, cpus))
    lc.write_file(os.path.join(vol, "proc", "cpuinfo"), cpu)
    lc.write_file(os.path.join(vol, "proc", "ip_forward"), "0\n")
    dmi = os.path.join(vol, "sysclass", "dmi", "id")
    os.makedirs(dmi, exist_ok=True)
    os.makedirs(os.path.join(vol, "sysclass.work"), exist_ok=True)
    lc.write_file(os.path.join(dmi, "product_uuid"), lc.read_file(os.path.join(lc.SELF, "product_uuid"), ""))
    lc.write_file(os.path.join(dmi, "product_name"), "KVM\n")
    lc.write_file(os.path.join(dmi, "sys_vendor"), "QEMU\n")

    st = {"swap": fstab_swaps(), "modules": [], "sysctl": {}, "selinux": selinux_mode(), "services": {}}
    for m in lc.BASE_MODULES:
        st["modules"].append(m)
    for m in modules_load_d():
        load_module(st, m)
    lc.write_file(lc.SYS_PATH, "{}\n")
    lc.render_proc(st)
    # systemd-sysctl: apply the sysctl.d files (after modules-load).
    for f in lc.sysctl_conf_files():
        for k, v, _ign in lc.parse_sysctl_file(f):
            lc.sysctl_set(k, v, st)
    # Services enabled (first boot: the OS defaults).
    svc_path = os.path.join(lc.STATE, "services.json")
    if not os.path.exists(svc_path):
        en = {"sshd": True}
        if lc.os_family() == "rpm":
            en.update({"firewalld": True, "chronyd": True, "NetworkManager": True})
        else:
            en.update({"cron": True, "systemd-networkd": True})
        lc.write_file(svc_path, lc.json.dumps({"enabled": en, "masked": []}) + "\n")
    svc = lc.load_json(svc_path, {})
    for name, on in svc.get("enabled", {}).items():
        if on and lc.unit_present(name) and name not in svc.get("masked", []):
            st["services"][name] = "active"
    lc.write_file(lc.SYS_PATH, lc.json.dumps(st, indent=1) + "\n")
    lc.write_file(os.path.join(vol, "hostname"), (lc.read_file("/etc/hostname", "localhost") or "localhost").strip() + "\n")
    lc.write_file(os.path.join(vol, "booted"), lc.iso() + "\n")
    start_fake_server()


def start_fake_server():
    """Start the node's fake server (fakesrv.py) in its own session and wait
    until it listens, when `lab up` built the shim that calls it. Without
    it, the shim runs the Python fake itself."""
    if not os.path.exists(lc.SHIM):
        return
    rfd, wfd = os.pipe()
    os.set_inheritable(wfd, True)
    pid = os.fork()
    if pid == 0:
        try:
            os.close(rfd)
            os.setsid()
            null = os.open(os.devnull, os.O_RDWR)
            log = os.open(os.path.join(lc.SELF, "fakesrv.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(null, 0)
            os.dup2(null, 1)
            os.dup2(log, 2)
            os.closerange(3, wfd)
            os.closerange(wfd + 1, 1024)
            os.execve("/usr/bin/python3", ["python3", os.path.join(lc.FAKES, "fakesrv.py"), str(wfd)],
                      {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"})
        finally:
            os._exit(127)
    os.close(wfd)
    # Ready (or dead) within seconds; the shim falls back if it never is.
    import select
    select.select([rfd], [], [], 30)
    os.close(rfd)


if __name__ == "__main__":
    main()
