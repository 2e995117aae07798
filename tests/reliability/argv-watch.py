#!/usr/bin/env python3
# argv-watch.py: until the file STOP exists, read every process's command
# line on this machine (the lab's nodes are PID namespaces below it) and
# record those holding $RELPW (taken from the environment, so this
# watcher's own argv never holds it) in OUTFILE. Exits 0.
# usage: argv-watch.py STOP OUTFILE
import os, sys, time

pw = os.environ["RELPW"].encode()
me = str(os.getpid())
seen = set()
scans = 0
with open(sys.argv[2], "w") as out:
    while not os.path.exists(sys.argv[1]):
        scans += 1
        for p in os.listdir("/proc"):
            if not p.isdigit() or p == me:
                continue
            try:
                argv = open("/proc/%s/cmdline" % p, "rb").read()
            except OSError:
                continue
            if pw in argv and p not in seen:
                seen.add(p)
                out.write("%s %s\n" % (p, argv.replace(b"\0", b" ").decode(errors="replace")))
                out.flush()
        time.sleep(0.05)
    print("%d scans" % scans, file=sys.stderr)
