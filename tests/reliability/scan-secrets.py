#!/usr/bin/env python3
# scan-secrets.py: list the files under the given roots that hold one of
# the secrets (one per line in SECRETS) and that others may read: on a
# node (--mode o) a file readable by "other"; in the state directory
# (--mode go) any group or other permission, or a directory not 0700.
# Prints "MODE PATH" for each offender and exits 1 if there is one;
# prints how many files held secrets.
# usage: scan-secrets.py SECRETS --mode o|go ROOT...
import os, stat, sys

secrets = [s for s in open(sys.argv[1], "rb").read().split(b"\n") if len(s) >= 8]
mask = 0o004 if sys.argv[3] == "o" else 0o077
bad = held = 0
for root in sys.argv[4:]:
    for d, dirs, files in os.walk(root):
        if mask == 0o077 and stat.S_IMODE(os.stat(d).st_mode) != 0o700:
            print("%o %s/ (directory)" % (stat.S_IMODE(os.stat(d).st_mode), d))
            bad += 1
        for f in files:
            p = os.path.join(d, f)
            try:
                st = os.lstat(p)
                if not stat.S_ISREG(st.st_mode):
                    continue
                data = open(p, "rb").read()
            except OSError:
                continue
            if not any(s in data for s in secrets):
                continue
            held += 1
            if st.st_mode & mask:
                print("%o %s" % (stat.S_IMODE(st.st_mode), p))
                bad += 1
print("%d file(s) hold secrets" % held, file=sys.stderr)
sys.exit(1 if bad else 0)
