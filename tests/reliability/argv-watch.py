#!/usr/bin/env python3
# argv-watch.py: until the file STOP exists, read every process's command
# line on this machine (the lab's nodes are PID namespaces below it) and
# record in OUTFILE those holding $RELPW (taken from the environment, so
# this watcher's own argv never holds it), and the processes of the lab
# $KUBEWIZ_LAB's nodes whose arguments hold something shaped like a
# bootstrap token or a certificate key (see secret_kinds). Exits 0, having
# written the number of scans and of node processes seen to OUTFILE.stats.
# usage: argv-watch.py STOP OUTFILE
#        argv-watch.py --check FILE...   (the same test on each line of the
#        FILEs, e.g. the lab journals: prints the offending lines, exits 1)
import os, re, sys, time

# A bootstrap token (kubeadm's [a-z0-9]{6}.[a-z0-9]{16}) and a certificate
# key (64 hex digits, not a sha256: hash such as the CA's or an image's).
TOKEN = re.compile(rb"(?<![a-z0-9])[a-z0-9]{6}\.[a-z0-9]{16}(?![a-z0-9])")
CERTKEY = re.compile(rb"(?<![0-9a-zA-Z:])[0-9a-f]{64}(?![0-9a-zA-Z])")


def secret_kinds(argv):
    """The kinds of kubeadm secrets in a command line (bytes)."""
    kinds = []
    if TOKEN.search(argv):
        kinds.append("bootstrap token")
    if CERTKEY.search(argv):
        kinds.append("certificate key")
    return kinds


def lab_id():
    """(device, inode) of the lab directory, as the nodes mount it."""
    lab = os.environ.get("KUBEWIZ_LAB")
    if not lab:
        return None
    st = os.stat(lab)
    return (st.st_dev, st.st_ino)


def on_lab_node(pid, lid):
    """Whether process pid runs on a node of the lab lid (its root has the
    lab directory bind-mounted at /var/lib/kubewiz-lab)."""
    if lid is None:
        return False
    try:
        st = os.stat("/proc/%s/root/var/lib/kubewiz-lab" % pid)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == lid


def check(files):
    bad = 0
    for f in files:
        with open(f, "rb") as fp:
            for line in fp:
                kinds = secret_kinds(line)
                if kinds:
                    bad += 1
                    sys.stdout.write("%s: %s: %s" % (f, ", ".join(kinds), line.decode(errors="replace")))
    return 1 if bad else 0


def watch(stop, outfile):
    pw = os.environ["RELPW"].encode()
    lid = lab_id()
    me = str(os.getpid())
    seen = set()
    scans = 0
    nodeprocs = set()
    with open(outfile, "w") as out:
        while not os.path.exists(stop):
            scans += 1
            for p in os.listdir("/proc"):
                if not p.isdigit() or p == me:
                    continue
                try:
                    argv = open("/proc/%s/cmdline" % p, "rb").read()
                except OSError:
                    continue
                kinds = []
                if pw in argv:
                    kinds.append("password")
                if on_lab_node(p, lid):
                    nodeprocs.add(p)
                    kinds += secret_kinds(argv)
                if kinds and (p, argv) not in seen:
                    seen.add((p, argv))
                    out.write("%s (%s): %s\n" % (p, ", ".join(kinds),
                                                 argv.replace(b"\0", b" ").decode(errors="replace")))
                    out.flush()
            time.sleep(0.05)
    print("%d scans" % scans, file=sys.stderr)
    with open(outfile + ".stats", "w") as st:
        st.write("scans %d\nnode-processes %d\n" % (scans, len(nodeprocs)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2:]))
    sys.exit(watch(sys.argv[1], sys.argv[2]))
