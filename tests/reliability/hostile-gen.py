#!/usr/bin/env python3
# hostile-gen.py: from a lab cluster.yaml, write one config per (string
# field, hostile value) into OUTDIR as NNN.yaml, with NNN.txt saying which
# field and value. Hostile values: shell command substitutions, separators,
# quotes, newlines, option injection, non-UTF-8 bytes, very long strings;
# each would create the file CANARY if it ever reached a shell unquoted.
# usage: hostile-gen.py LAB.yaml CANARY OUTDIR
import os, re, sys, yaml

base = yaml.safe_load(open(sys.argv[1]))
canary = sys.argv[2]
outdir = sys.argv[3]
t = "touch " + canary
values = [
    "$(%s)" % t, ";%s" % t, "`%s`" % t, "x;%s;" % t, "x|%s" % t, "x&&%s" % t,
    "x'; %s; '" % t, 'x"; %s; "' % t, "x\n%s\n" % t, "x\r\n%s" % t,
    "$(touch${IFS}%s)" % canary, "-oProxyCommand=%s" % t, "x\\'$(%s)" % t,
    "x\x00y", b"x\xff\xfe$(touch /tmp/c)".decode("latin-1"), "é" * 20,
    "a" * 70000, "x\t;%s" % t, "x #$(%s)" % t, "--%s" % t,
]
fields = [
    ("name",), ("kubernetes", "version"), ("kubernetes", "controlPlaneEndpoint"),
    ("kubernetes", "podSubnet"), ("kubernetes", "serviceSubnet"),
    ("kubernetes", "network"), ("registry", "imageRepository"),
    ("registry", "mirrors", 0), ("registry", "packageMirror"),
    ("ssh", "user"), ("ssh", "identityFile"), ("ssh", "knownHosts"),
    ("ssh", "proxyJump"), ("nodes", 0, "name"), ("nodes", 1, "name"),
    ("nodes", 1, "address"), ("nodes", 1, "sshAddress"),
    ("nodes", 2, "ssh", "user"), ("dashboard", "version"),
    ("dashboard", "manifest"), ("dashboard", "tokenDuration"),
]


def setpath(d, path, v):
    for k in path[:-1]:
        if isinstance(d, list):
            d = d[k]
        else:
            d = d.setdefault(k, {})
    k = path[-1]
    if isinstance(d, list):
        while len(d) <= k:
            d.append("")
        d[k] = v
    else:
        d[k] = v


def emit(v):
    # A double-quoted YAML scalar with \x escapes: the exact bytes reach
    # the loader (non-UTF-8 ones raw, as a hand-edited file would hold).
    out = b'"'
    for ch in v:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out += b"\\" + ch.encode()
        elif o < 0x20:
            out += b"\\x%02x" % o
        elif o >= 0x80 and o < 0x100 and v.startswith("x\xff"):
            out += bytes([o])
        else:
            out += ch.encode()
    return out + b'"'


n = 0
for f in fields:
    for v in values:
        c = yaml.safe_load(yaml.safe_dump(base))
        mark = "@@HOSTILE@@"
        setpath(c, f, mark)
        text = yaml.safe_dump(c, default_flow_style=False, width=1 << 20).encode()
        text = re.sub(rb"'?" + mark.encode() + rb"'?", lambda m: emit(v), text)
        n += 1
        open(os.path.join(outdir, "%03d.yaml" % n), "wb").write(text)
        open(os.path.join(outdir, "%03d.txt" % n), "w").write(
            "%s = %r" % (".".join(str(p) for p in f), v[:60]))
print(n)
