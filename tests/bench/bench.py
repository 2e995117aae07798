#!/usr/bin/python3
"""bench.py: the helpers of kubewiz's benchmark (tests/bench/run).

  render PLAN OUTDIR        split `kubewiz plan` output into the per-task
                            scripts (run-time values filled in), and write
                            the Ansible inventory and playbook and the
                            parallel-ssh stage bundles and host lists
  measure OUT -- CMD...     run CMD; append one JSON line to OUT with its
                            wall time, user+sys CPU of its whole process
                            tree, peak RSS, and the lab's CPU (--cgroup)
  critpath DELAYS LABDIR    the longest chain of configured delays through
                            the stage graph, from the nodes' journals
  chain LOG                 the longest chain of kubewiz's measured task
                            times (LOG from measure --stamp)
  table RESULTS             medians per tool and N, ratios, targets
  markdown RESULTS... [--machine TEXT]
                            the same in the README's Markdown (several
                            results files: one table per mode)

Only the standard library; runs on the host, never inside a node."""

import ctypes
import json
import os
import re
import secrets
import signal
import statistics
import sys
import time

STAGES = ["connect", "preflight", "system", "runtime", "packages", "images",
          "init", "network", "join", "ready", "dashboard"]
HEADER = re.compile(r"^# ==== kubewiz plan: node (\S+) \(([^)]*)\), "
                    r"(?:stage (\S+)|(join-prep) for (\S+)) ====$")

# ---- render ---------------------------------------------------------------


def parse_plan(text):
    """[(node, address, stage, script)] in plan order."""
    tasks = []
    cur = None
    buf = []
    for line in text.splitlines(True):
        m = HEADER.match(line.rstrip("\n"))
        if m:
            if cur:
                tasks.append(cur + ("".join(buf).rstrip("\n") + "\n",))
            node, addr = m.group(1), m.group(2)
            stage = m.group(3) or "join-prep"
            cur = (node, addr, stage)
            buf = []
        elif cur:
            buf.append(line)
    if cur:
        tasks.append(cur + ("".join(buf).rstrip("\n") + "\n",))
    return tasks


def fill(script, token, cert):
    """Put realistic run-time values where plan shows placeholders. The CA
    hash is only known after join-prep: the join script takes it as $1."""
    script = script.replace("KW_TOKEN='<generated at run time>'", "KW_TOKEN='%s'" % token)
    script = script.replace("KW_TOKEN='<from join-prep at run time>'", "KW_TOKEN='%s'" % token)
    script = script.replace("KW_CERT_KEY='<generated at run time>'", "KW_CERT_KEY='%s'" % cert)
    script = script.replace("KW_CA_HASH='<from join-prep at run time>'", 'KW_CA_HASH="$1"')
    if "<generated at run time>" in script or "at run time>'" in script:
        raise SystemExit("bench: render: a run-time placeholder is left")
    return script


def split_script(script, stage):
    """(common head, preamble, common tail) of a rendered script."""
    pre = "\n# --- preamble ---\n"
    body = "\n# --- %s.sh ---\n" % stage
    i = script.index(pre)
    j = script.index(body, i)
    head = script[:i]
    # The first two lines name the node ("# kubewiz: S on NODE ...").
    head = head.split("\n", 2)[2]
    return head, script[i + len(pre):j], script[j:]


def cmd_render(args):
    plan_file, out = args[0], args[1]
    with open(plan_file) as f:
        tasks = parse_plan(f.read())
    if not tasks:
        raise SystemExit("bench: render: no tasks in %s" % plan_file)
    token = "%s.%s" % (secrets.token_hex(3), secrets.token_hex(8))
    cert = secrets.token_hex(32)
    nodes = []
    addr = {}
    master = None
    by_stage = {}
    prep_done = False
    for node, a, stage, script in tasks:
        if node not in addr:
            nodes.append(node)
            addr[node] = a
        if stage == "init":
            master = node
        if stage == "join-prep":
            if prep_done:	# one join-prep: the token is the same for all
                continue
            prep_done = True
        script = fill(script, token, cert)
        d = os.path.join(out, "scripts", node)
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, stage + ".sh")
        with open(p, "w") as f:
            f.write(script)
        os.chmod(p, 0o700)
        by_stage.setdefault(stage, []).append((node, script))
    if master is None:
        raise SystemExit("bench: render: the plan has no init task")
    workers = [n for n in nodes if n != master]
    order = [s for s in STAGES[:8] if s in by_stage]
    if "join-prep" in by_stage:
        order.append("join-prep")
    order += [s for s in STAGES[8:] if s in by_stage]

    # parallel-ssh: one bundle per stage, the same for every host: the common
    # library and stage body around each node's own preamble, chosen by the
    # address the node was reached at.
    pd = os.path.join(out, "pssh")
    os.makedirs(pd, exist_ok=True)
    for stage in order:
        head = tail = None
        arms = []
        for node, script in by_stage[stage]:
            h, pre, t = split_script(script, stage)
            if head is None:
                head, tail = h, t
            elif h != head or t != tail:
                raise SystemExit("bench: render: %s differs between nodes "
                                 "beyond its preamble" % stage)
            arms.append('*" %s "[0-9]*)\n%s;;\n' % (addr[node], pre.rstrip("\n")))
        bundle = ("#!/bin/sh\n# kubewiz bench: %s for every node\n" % stage + head +
                  "\n# --- preamble (by node) ---\ncase \"${SSH_CONNECTION:-}\" in\n" +
                  "".join(arms) +
                  "*) echo \"kubewiz bench: no %s script for $SSH_CONNECTION\" >&2; exit 97 ;;\n"
                  "esac\n" % stage + tail)
        with open(os.path.join(pd, stage + ".sh"), "w") as f:
            f.write(bundle)
    with open(os.path.join(out, "layout.json"), "w") as f:
        json.dump({"nodes": nodes, "addr": addr, "master": master,
                   "workers": workers, "order": order,
                   "scripts": len([t for t in tasks if t[2] != "join-prep"]) + (1 if prep_done else 0)},
                  f, indent=1)
    print("%d nodes, %d stages, %d scripts" % (len(nodes), len(order),
          sum(len(by_stage[s]) for s in order)))


def cmd_ansible(args):
    """ansible OUTDIR LABDIR PORT: inventory, ansible.cfg and playbook."""
    out, lab, port = args[0], args[1], args[2]
    with open(os.path.join(out, "layout.json")) as f:
        lay = json.load(f)
    n = len(lay["nodes"])
    ad = os.path.join(out, "ansible")
    os.makedirs(ad, exist_ok=True)
    with open(os.path.join(ad, "inventory"), "w") as f:
        f.write("[master]\n%s ansible_host=%s\n[workers]\n" % (lay["master"], lay["addr"][lay["master"]]))
        for w in lay["workers"]:
            f.write("%s ansible_host=%s\n" % (w, lay["addr"][w]))
        f.write("[all:vars]\nansible_user=root\nansible_port=%s\n"
                "ansible_python_interpreter=/usr/bin/python3\n" % port)
    cp = os.path.join(out, "cp")
    os.makedirs(cp, exist_ok=True)
    with open(os.path.join(ad, "ansible.cfg"), "w") as f:
        f.write("""[defaults]
forks = %d
host_key_checking = True
gathering = explicit
retry_files_enabled = False
private_key_file = %s/id_ed25519
local_tmp = %s/ansible-local
remote_tmp = /tmp/.ansible-bench
interpreter_python = /usr/bin/python3
deprecation_warnings = False

[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=300s -o UserKnownHostsFile=%s/known_hosts -o IdentitiesOnly=yes -o BatchMode=yes
control_path_dir = %s
""" % (max(n, 5), lab, out, lab, cp))
    sd = os.path.join(out, "scripts")
    plays = []
    for stage in lay["order"]:
        if stage == "join-prep":
            hosts = "master"
        elif stage == "join":
            hosts = "workers"
        elif stage in ("init", "network", "ready", "dashboard"):
            hosts = "master"
        else:
            hosts = "all"
        task = '    - script: "%s/{{ inventory_hostname }}/%s.sh' % (sd, stage)
        if stage == "join":
            task += (" {{ hostvars['%s'].kw_prep.stdout | regex_search('CA_HASH=(sha256:[0-9a-f]+)', '\\\\1') | first }}"
                     % lay["master"])
        task += '"\n'
        if stage == "join-prep":
            task += "      register: kw_prep\n"
        plays.append("- name: %s\n  hosts: %s\n  gather_facts: false\n  any_errors_fatal: true\n"
                     "  tasks:\n%s" % (stage, hosts, task))
    with open(os.path.join(ad, "playbook.yml"), "w") as f:
        f.write("---\n" + "\n".join(plays))
    pd = os.path.join(out, "pssh")
    for name, hosts in (("all", lay["nodes"]), ("master", [lay["master"]]),
                        ("workers", lay["workers"])):
        with open(os.path.join(pd, "hosts-" + name), "w") as f:
            for h in hosts:
                f.write("%s:%s\n" % (lay["addr"][h], port))
    with open(os.path.join(pd, "stages"), "w") as f:
        for stage in lay["order"]:
            if stage in ("init", "network", "ready", "dashboard", "join-prep"):
                g = "master"
            elif stage == "join":
                g = "workers"
            else:
                g = "all"
            f.write("%s %s\n" % (stage, g))


# ---- measure --------------------------------------------------------------

PR_SET_CHILD_SUBREAPER = 36
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def proc_table():
    """{pid: (ppid, rss_bytes)} of every process."""
    t = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        rest = st[st.rindex(")") + 2:].split()
        t[int(d)] = (int(rest[1]), int(rest[21]) * PAGE)
    return t


def proc_children(pid):
    """The children of pid (every thread's), or None if the kernel does not
    list them (/proc/PID/task/TID/children)."""
    res = []
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return []
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                res.extend(int(x) for x in f.read().split())
        except FileNotFoundError:
            return None
        except OSError:
            continue
    return res


def proc_rss(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return 0
    return int(st[st.rindex(")") + 2:].split()[21]) * PAGE


def tree_rss(root):
    """(sum of RSS, pids) of root's process tree, root itself left out.
    Walks the tree's own children lists: sampling it costs the machine
    little even when other labs run thousands of processes."""
    total = 0
    seen = set()
    todo = [root]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        kids = proc_children(p)
        if kids is None:
            return tree_rss_scan(root)
        seen.add(p)
        if p != os.getpid():
            total += proc_rss(p)
        todo.extend(kids)
    return total, seen - {root}


def tree_rss_scan(root):
    """tree_rss from a scan of every process (no children lists)."""
    t = proc_table()
    kids = {}
    for pid, (ppid, _) in t.items():
        kids.setdefault(ppid, []).append(pid)
    total = 0
    todo = [root]
    seen = set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        if p in t and p != os.getpid():
            total += t[p][1]
        todo.extend(kids.get(p, []))
    return total, seen - {root}


def cgroup_cpu(path):
    if not path:
        return 0.0
    try:
        with open(os.path.join(path, "cpuacct.usage")) as f:
            return int(f.read()) / 1e9
    except OSError:
        return 0.0


def cmd_measure(args):
    cgroup = None
    label = {}
    while args and args[0] != "--":
        if args[0] == "--cgroup":
            cgroup = args[1]
            args = args[2:]
        elif args[0] == "--label":
            k, v = args[1].split("=", 1)
            label[k] = v
            args = args[2:]
        elif args[0] == "--log":
            label["_log"] = args[1]
            args = args[2:]
        elif args[0] == "--stamp":
            label["_stamp"] = "1"
            args = args[1:]
        else:
            out = args[0]
            args = args[1:]
    cmd = args[1:]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    log = label.pop("_log", "/dev/null")
    stamp = label.pop("_stamp", None)
    rfd = wfd = None
    if stamp:
        rfd, wfd = os.pipe()
    with open("/proc/loadavg") as f:
        load = float(f.read().split()[0])
    lab0 = cgroup_cpu(cgroup)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        if wfd is not None:
            fd = wfd
            os.close(rfd)
        else:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        # No tool reads stdin here, and Ansible refuses to start when the
        # stdin it inherits was made non-blocking by another process.
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        if null != 0:
            os.close(null)
        os.execvp(cmd[0], cmd)
    reader = None
    if wfd is not None:
        # Each output line with the time it arrived, for `bench.py chain`.
        import threading
        os.close(wfd)

        def copy():
            with os.fdopen(rfd, "rb") as src, open(log, "w") as dst:
                for raw in src:
                    dst.write("%.3f %s" % (time.monotonic() - t0,
                                           raw.decode("utf-8", "replace")))
        reader = threading.Thread(target=copy, daemon=True)
        reader.start()
    peak = 0
    status = None
    # Sample the memory every 0.1 s, but see the exit at once (pidfd).
    import select
    pfd = os.pidfd_open(pid)
    while status is None:
        r, st = os.waitpid(pid, os.WNOHANG)
        if r == pid:
            status = st
            break
        rss, _ = tree_rss(os.getpid())
        peak = max(peak, rss)
        select.select([pfd], [], [], 0.1)
    wall = time.monotonic() - t0
    os.close(pfd)
    if reader is not None:
        reader.join(5)
    # Whatever the command left behind (ssh ControlPersist masters) counts
    # too: end it and reap it, so that its CPU lands in our children's usage.
    _, left = tree_rss(os.getpid())
    for p in left:
        try:
            os.kill(p, signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            r, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if r == 0:
            time.sleep(0.05)
    time.sleep(0.3)	# the nodes finish closing their sessions
    lab1 = cgroup_cpu(cgroup)
    ru = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
    code = os.waitstatus_to_exitcode(status)
    rec = dict(label)
    rec.update({"exit": code, "wall": round(wall, 3), "user": round(ru.ru_utime, 3),
                "sys": round(ru.ru_stime, 3), "cpu": round(ru.ru_utime + ru.ru_stime, 3),
                "rss_mib": round(max(peak, ru.ru_maxrss * 1024) / 1048576, 1),
                "nodes_cpu": round(lab1 - lab0, 2), "load": load})
    with open(out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    print("  %-8s N=%-4s %s wall %.2fs  cpu %.2fs  rss %.1f MiB  nodes %.1fs CPU  exit %d" % (
        rec.get("tool", "?"), rec.get("n", "?"), rec.get("mode", ""), rec["wall"], rec["cpu"],
        rec["rss_mib"], rec["nodes_cpu"], code))
    return 0 if code == 0 else 1


# ---- delays and the critical path --------------------------------------------

def load_delays(path):
    """[(seconds, stage, pattern)] from the bench's delay table."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            sec, stage, pat = line.split("\t", 2)
            rows.append((float(sec), stage, pat))
    return rows


def longest_chain(work, nodes, master):
    """The earliest end of the install when every task of node i and stage
    s takes work[i][s] seconds and nothing else holds it back: the longest
    chain through the stage graph (plan.c's rules)."""
    fin = {}
    conn = max(work[i]["connect"] for i in nodes)
    for i in nodes:
        t = max(work[i]["connect"], conn) + work[i]["preflight"]
        for s in ("system", "runtime", "packages", "images"):
            t += work[i][s]
        fin[i] = t
    init = fin[master] + work[master]["init"]
    net = init + work[master]["network"]
    joins = [max(init, fin[i]) + work[i]["join"] for i in nodes if i != master]
    ready = max([net] + joins) + work[master]["ready"]
    return ready + work[master]["dashboard"]


TASK_LINE = re.compile(r"^(\d+\.\d+) \[([^\]]+)\] ([a-z]+): (started|done in|failed|FAILED)")


def cmd_chain(args):
    """chain LOG: from kubewiz's plain output stamped by measure --stamp,
    the longest chain of the tasks' measured times through the stage graph:
    what the install would take if kubewiz added nothing between tasks."""
    start = {}
    work = {}
    master = None
    with open(args[0]) as f:
        for line in f:
            m = TASK_LINE.match(line)
            if not m or m.group(3) not in STAGES:
                continue
            t, node, stage, what = float(m.group(1)), m.group(2), m.group(3), m.group(4)
            w = work.setdefault(node, dict((s, 0.0) for s in STAGES))
            if what == "started":
                start[(node, stage)] = t
            elif (node, stage) in start:
                w[stage] = t - start.pop((node, stage))
                if stage == "init":
                    master = node
    if master is None or not work:
        print("nan")
        return 0
    print("%.2f" % longest_chain(work, list(work), master))
    return 0


def cmd_critpath(args):
    """critpath DELAYS LABDIR MASTER_INDEX: print the critical path (s)."""
    import fnmatch
    import shlex
    rows = load_delays(args[0])
    lab, master = args[1], int(args[2])
    nodes = sorted(int(d) for d in os.listdir(os.path.join(lab, "nodes")) if d.isdigit())
    work = {}
    for i in nodes:
        w = dict((s, 0.0) for s in STAGES)
        with open(os.path.join(lab, "nodes", str(i), "journal")) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) != 3:
                    continue
                try:
                    cl = " ".join(shlex.split(parts[2]))
                except ValueError:
                    cl = parts[2]
                for sec, stage, pat in rows:
                    if fnmatch.fnmatchcase(cl, pat) or fnmatch.fnmatchcase(cl, pat + " *"):
                        w[stage] += sec
                        break
        work[i] = w
    print("%.2f" % longest_chain(work, nodes, master))


# ---- table ----------------------------------------------------------------

TARGETS = {"wall": 0.25, "cpu": 0.15}


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def cmd_table(args):
    recs = []
    with open(args[0]) as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
    groups = {}
    for r in recs:
        if r.get("exit", 1) != 0:
            continue
        groups.setdefault((r["mode"], int(r["n"]), r["tool"]), []).append(r)
    failed = [r for r in recs if r.get("exit", 1) != 0]
    modes = sorted(set(k[0] for k in groups))
    for mode in modes:
        ns = sorted(set(k[1] for k in groups if k[0] == mode))
        print("mode: %s  (median of the runs; CPU = user+sys of the tool's whole process tree;"
              % mode)
        print("       nodes CPU = CPU of the lab's node processes during the run;")
        print("       load = the machine's 1-minute load average when the run started)")
        print("%-11s %5s %4s %9s %9s %9s %10s %9s %9s %7s %6s" % (
            "tool", "N", "runs", "wall s", "CPU s", "RSS MiB", "nodes CPU", "wall/kw", "CPU/kw", "crit s", "load"))
        for n in ns:
            kw = groups.get((mode, n, "kubewiz"))
            kwall = med([r["wall"] for r in kw]) if kw else None
            kcpu = med([r["cpu"] for r in kw]) if kw else None
            for tool in ("kubewiz", "kubewiz-tui", "ansible", "pssh"):
                g = groups.get((mode, n, tool))
                if not g:
                    continue
                wall = med([r["wall"] for r in g])
                cpu = med([r["cpu"] for r in g])
                rss = med([r["rss_mib"] for r in g])
                ncpu = med([r["nodes_cpu"] for r in g])
                crit = med([float(r["crit"]) for r in g if "crit" in r])
                load = med([float(r["load"]) for r in g if "load" in r])
                rw = "%.1fx" % (wall / kwall) if kwall and tool != "kubewiz" else "-"
                rc = "%.1fx" % (cpu / kcpu) if kcpu and tool != "kubewiz" else "-"
                print("%-11s %5d %4d %9.2f %9.2f %9.1f %10.1f %9s %9s %7s %6s" % (
                    tool, n, len(g), wall, cpu, rss, ncpu, rw, rc,
                    "%.1f" % crit if crit == crit else "-",
                    "%.1f" % load if load == load else "-"))
        print()
        print("targets and results (%s):" % mode)
        for n in ns:
            kw = groups.get((mode, n, "kubewiz"))
            if not kw:
                continue
            kwall = med([r["wall"] for r in kw])
            kcpu = med([r["cpu"] for r in kw])
            krss = med([r["rss_mib"] for r in kw])
            for tool in ("ansible", "pssh"):
                g = groups.get((mode, n, tool))
                if not g:
                    continue
                w = med([r["wall"] for r in g])
                c = med([r["cpu"] for r in g])
                line = "  N=%-4d kubewiz wall = %.2f x %s's (target <= 0.25): %s" % (
                    n, kwall / w, tool, "met" if kwall / w <= 0.25 else "NOT met")
                print(line)
                if tool == "ansible":
                    print("  N=%-4d kubewiz CPU = %.3f x ansible's (target <= 0.15): %s" % (
                        n, kcpu / c, "met" if kcpu / c <= 0.15 else "NOT met"))
            print("  N=%-4d kubewiz peak RSS %.1f MiB (target < 64 at N=100): %s" % (
                n, krss, "met" if krss < 64 else "NOT met"))
            stamped = [r for r in kw if "chain" in r]
            if stamped:
                sw = med([r["wall"] for r in stamped])
                ch = med([float(r["chain"]) for r in stamped])
                over = med([r["wall"] - float(r["chain"]) for r in stamped])
                print("  N=%-4d kubewiz total %.2fs vs %.2fs, the longest chain of its tasks' own times: "
                      "%.2fs (%.0f%%) spent outside the nodes' work (%d run(s))" % (
                          n, sw, ch, over, 100 * over / sw, len(stamped)))
            tui = groups.get((mode, n, "kubewiz-tui"))
            if tui:
                tw = med([r["wall"] for r in tui])
                print("  N=%-4d TUI wall = %.2f x plain (target <= 1.10): %s" % (
                    n, tw / kwall, "met" if tw / kwall <= 1.10 else "NOT met"))
            crit = [float(r["crit"]) for r in kw if "crit" in r]
            if crit:
                cp = med(crit)
                print("  N=%-4d kubewiz total %.2fs vs critical path %.2fs = %.3f (target <= 1.05): %s" % (
                    n, kwall, cp, kwall / cp, "met" if kwall / cp <= 1.05 else "NOT met"))
                ncpu = med([r["nodes_cpu"] for r in kw])
                ncpus = os.cpu_count() or 1
                print("  N=%-4d         nodes' own CPU %.1fs / %d CPUs = %.1fs of CPU-bound time" % (
                    n, ncpu, ncpus, ncpu / ncpus))
        print()
    if failed:
        print("failed runs (left out): " + ", ".join(
            "%s N=%s %s exit %s" % (r["tool"], r["n"], r["mode"], r["exit"]) for r in failed))
    return 0


TOOL_NAMES = {"kubewiz": "kubewiz", "kubewiz-tui": "kubewiz (TUI)", "ansible": "ansible",
              "pssh": "parallel-ssh"}


def fmt_load(g):
    loads = [float(r["load"]) for r in g if "load" in r]
    if not loads:
        return "-"
    lo, hi = min(loads), max(loads)
    return "%.1f" % lo if abs(hi - lo) < 0.05 else "%.1f–%.1f" % (lo, hi)


def cmd_markdown(args):
    """markdown RESULTS... [--machine TEXT]: the README's Performance table
    and targets, in the README's Markdown, from one or more results files
    (e.g. a no-op series and a --delay series)."""
    recs = []
    machine = ""
    files = []
    while args:
        if args[0] == "--machine" and len(args) > 1:
            machine = args[1]
            args = args[2:]
        else:
            files.append(args[0])
            args = args[1:]
    for path in files:
        with open(path) as f:
            for line in f:
                if line.strip():
                    recs.append(json.loads(line))
    groups = {}
    for r in recs:
        if r.get("exit", 1) == 0:
            groups.setdefault((r["mode"], int(r["n"]), r["tool"]), []).append(r)
    print("Measured %s on %s; each figure is the median of the runs counted in \"runs\"; "
          "\"load\" is the machine's 1-minute load average when the runs started (lowest–highest)." % (
              time.strftime("%Y-%m-%d"), machine or "this machine"))
    print()
    targets = []
    notes = []
    for mode in sorted(set(k[0] for k in groups), key=lambda m: m != "noop"):
        ns = sorted(set(k[1] for k in groups if k[0] == mode))
        if mode == "noop":
            print("| tool | N | runs | wall s | CPU s | peak RSS MiB | nodes' CPU s | load |")
            print("|---|---|---|---|---|---|---|---|")
        else:
            print("With delays (`--delay`: the fakes sleep where the real tools take time):")
            print()
            print("| tool | N | runs | total s | critical path s | total / critical path | CPU s | "
                  "nodes' CPU s | load |")
            print("|---|---|---|---|---|---|---|---|---|")
        for n in ns:
            kw = groups.get((mode, n, "kubewiz"))
            kwall = med([r["wall"] for r in kw]) if kw else None
            for tool in ("kubewiz", "kubewiz-tui", "ansible", "pssh"):
                g = groups.get((mode, n, tool))
                if not g:
                    continue
                wall = med([r["wall"] for r in g])
                cpu = med([r["cpu"] for r in g])
                ncpu = med([r["nodes_cpu"] for r in g])
                if mode == "noop":
                    print("| %s | %d | %d | %.2f | %.2f | %.1f | %.1f | %s |" % (
                        TOOL_NAMES[tool], n, len(g), wall, cpu, med([r["rss_mib"] for r in g]),
                        ncpu, fmt_load(g)))
                else:
                    crit = med([float(r["crit"]) for r in g if "crit" in r])
                    print("| %s | %d | %d | %.2f | %s | %s | %.2f | %.1f | %s |" % (
                        TOOL_NAMES[tool], n, len(g), wall, "%.2f" % crit if crit == crit else "-",
                        "%.3f" % (wall / crit) if crit == crit else "-", cpu, ncpu, fmt_load(g)))
                if tool == "kubewiz" and mode != "noop" and crit == crit:
                    targets.append("%s, N=%d: total %.3f × the critical path (target ≤ 1.05): %s" % (
                        mode, n, wall / crit, "met" if wall / crit <= 1.05 else "**not met**"))
                stamped = [r for r in g if "chain" in r] if tool == "kubewiz" else []
                if stamped:
                    over = med([r["wall"] - float(r["chain"]) for r in stamped])
                    notes.append("%sN=%d: kubewiz outside its tasks' own work (wall minus the longest "
                                 "chain of its measured task times): %.2f s (%.0f %%)" % (
                                     "" if mode == "noop" else mode + ", ", n, over,
                                     100 * over / med([r["wall"] for r in stamped])))
            if not kw or mode != "noop":
                continue
            kcpu = med([r["cpu"] for r in kw])
            ratios = []
            for tool in ("ansible", "pssh"):
                g = groups.get((mode, n, tool))
                if g:
                    ratios.append((TOOL_NAMES[tool], kwall / med([r["wall"] for r in g])))
            for t, r in ratios:
                targets.append("N=%d: wall %.2f × %s's (target ≤ 0.25×): %s" % (
                    n, r, t, "met" if r <= 0.25 else "**not met**"))
            g = groups.get((mode, n, "ansible"))
            if g:
                r = kcpu / med([x["cpu"] for x in g])
                targets.append("N=%d: CPU %.3f × ansible's (target ≤ 0.15×): %s" % (
                    n, r, "met" if r <= 0.15 else "**not met**"))
            if n >= 100:
                rss = med([r["rss_mib"] for r in kw])
                targets.append("N=%d: peak RSS %.1f MiB (target < 64): %s" % (
                    n, rss, "met" if rss < 64 else "**not met**"))
            tui = groups.get((mode, n, "kubewiz-tui"))
            if tui:
                r = med([x["wall"] for x in tui]) / kwall
                targets.append("N=%d: TUI %.2f × plain (target ≤ 1.10×): %s" % (
                    n, r, "met" if r <= 1.10 else "**not met**"))
        print()
    if targets:
        print("Targets of issue 10:")
        print()
        for t in targets:
            print("- " + t)
    if notes:
        print()
        for t in notes:
            print("- " + t)
    return 0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    f = {"render": cmd_render, "ansible": cmd_ansible, "measure": cmd_measure,
         "critpath": cmd_critpath, "chain": cmd_chain, "table": cmd_table,
         "markdown": cmd_markdown}.get(cmd)
    if f is None:
        sys.stderr.write(__doc__)
        return 2
    return f(args) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
