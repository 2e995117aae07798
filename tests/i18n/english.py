#!/usr/bin/env python3
"""tests/i18n/english.py: find English words on a Chinese screen.

Reads screen text (a tmux capture or plain output) on stdin and prints each
English word that is not an identifier, with its line, then exits 1 if there
was any. Identifiers pass: names, addresses, paths, URLs, versions, commands
in quotes, anything with a digit, dash, dot, colon, slash, underscore or
equals sign in it, words in capitals (FILE, HTTP) and words of one or two
letters, the words after a command's name (kubeadm reset), and
the words of ALLOW (tools, Kubernetes objects and states as kubectl prints
them, key names, units) or of --allow WORD. Lines that match --skip REGEX
(repeatable) are not looked at: they quote the nodes' own output. With
--panes, the lines inside boxes (the progress screen's node panes) are
looked at only for the first two rows of each box (the node's state and
detail) and kubewiz's own "--- step" and "=== stage" lines: the rest quotes
the nodes' output. With --box TITLE, only the inside of the box whose top
border holds TITLE is looked at (a dialog over other screens).

Usage: english.py [--panes | --box TITLE] [--skip REGEX]... [--allow WORD]...
                  [--name WHAT] <screen.txt
"""
import re
import sys
import unicodedata

# Words that are names, not English sentences. Keep this short: a word that
# kubewiz itself says belongs in the catalogue.
ALLOW = set("""
kubewiz kubeadm kubectl kubelet containerd Docker docker CE Calico calico
Kubernetes Dashboard Headlamp headlamp Helm SSH ssh sudo root CPU CPUs OS
API URL IP Pod Pods Node Ready NotReady Running Pending Succeeded Completed
CrashLoopBackOff ImagePullBackOff ErrImagePull ContainerCreating
ServiceAccount Secret NodePort SELinux swap sysctl iptables IPVS CNI CIDR
IPv DNS yum apt dnf rpm centos rocky ubuntu debian CentOS Rocky Ubuntu Debian
RHEL Alma EL Aliyun admin conf yaml YAML kubeconfig OSC
Enter Esc Tab Up Down PgUp PgDn Home End Space Backspace Delete Ctrl Shift
Left Right Alt
MiB GiB KiB
worker control-plane master none cgroup firewalld vault Service apiserver
""".split())

WORD = re.compile(r"[A-Za-z]+")
# Spans that are identifiers whatever letters they hold.
SPANS = [
    re.compile(r"[a-z][a-z0-9+.-]*://\S+"),    # URLs
    re.compile(r"'[^']*'"),                     # commands in quotes
    re.compile(r"\"[^\"]*\""),
    re.compile(r"(?<!\S)[/~]\S*"),              # paths
    re.compile(r"\$\{?[A-Za-z_]+\}?"),          # variables
]
# Characters that split a line into tokens (ASCII and CJK punctuation,
# box drawing, block elements, glyphs).
SPLIT = re.compile(r"[\s\u2500-\u259f\u3000-\u303f\uff00-\uffef"
                   r"()\[\]{},;!?<>|*#@%^&+\u2026\u2022\u00b7\u2713\u2717"
                   r"\u25cf\u25cb\u25b8\u25be\u2191\u2193\u2190\u2192]+")
TECH = re.compile(r"[0-9_.:/=\\-]")
# Commands whose next word is a subcommand, not English.
COMMANDS = {"kubeadm", "kubectl", "kubewiz", "systemctl", "journalctl",
            "crictl", "docker", "yum", "apt-get", "dnf"}


def english(line, allow):
    """The English words of one line."""
    for span in SPANS:
        line = span.sub(" ", line)
    found = []
    after_command = False
    for tok in SPLIT.split(line):
        tok = tok.strip("'\"`.:")
        if not tok:
            continue
        if after_command and tok.islower():
            after_command = False
            continue
        after_command = tok in COMMANDS
        if TECH.search(tok):
            continue
        for w in WORD.findall(tok):
            # Two letters are fragments or units; capitals are
            # placeholders (FILE, NAME) and acronyms (HTTP, CA).
            if len(w) < 3 or w.isupper() or w in ALLOW or w in allow:
                continue
            # A name cut at the edge of a pane ("Kubernet").
            if any(a.startswith(w) for a in ALLOW):
                continue
            found.append(w)
    return found


def width(c):
    """Columns a character takes on a terminal."""
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def columns(line):
    """(display column, character) for each character of a line."""
    cols = []
    c = 0
    for ch in line:
        cols.append((c, ch))
        c += width(ch)
    return cols


def box_text(lines, title):
    """The text inside the box whose top border holds title."""
    out = []
    start = end = None
    for line in lines:
        cols = columns(line)
        if start is None:
            k = line.find(title)
            if k < 0:
                continue
            i = line.rfind("\u250c", 0, k)
            j = line.find("\u2510", k)
            if i < 0 or j < 0:
                continue
            start, end = cols[i][0], cols[j][0]
            continue
        at = {col: i for i, (col, _) in enumerate(cols)}
        i = at.get(start)
        if i is None or cols[i][1] == "\u2514":
            break
        out.append("".join(ch for col, ch in cols if start < col < end))
    return out


def pane_text(lines):
    """The lines with the nodes' output inside boxes blanked: a box's first
    two rows and its "--- " and "=== " lines stay."""
    boxes = {}          # start column -> [end column, row]
    out = []
    for line in lines:
        cols = columns(line)
        at = {col: i for i, (col, _) in enumerate(cols)}
        keep = [True] * len(cols)
        for i, (col, ch) in enumerate(cols):
            if ch == "\u250c":                    # top left corner
                j = i + 1
                while j < len(cols) and cols[j][1] != "\u2510":
                    j += 1
                if j < len(cols):
                    boxes[col] = [cols[j][0], 0]
        for start, box in list(boxes.items()):
            i = at.get(start)
            if i is None:
                continue
            ch = cols[i][1]
            if ch == "\u2514":                    # bottom left corner
                del boxes[start]
                continue
            if ch != "\u2502":
                continue
            box[1] += 1
            cell = [k for k in range(i + 1, len(cols))
                    if cols[k][0] < box[0]]
            text = "".join(cols[k][1] for k in cell).strip()
            if box[1] <= 2 or text.startswith(("--- ", "=== ")):
                continue
            for k in cell:
                keep[k] = False
        out.append("".join(ch for k, (_, ch) in enumerate(cols)
                           if keep[k]))
    return out


def main():
    skips = []
    allow = set()
    panes = False
    box = None
    name = "screen"
    args = sys.argv[1:]
    while args:
        if args[0] == "--skip" and len(args) > 1:
            skips.append(re.compile(args[1]))
            args = args[2:]
        elif args[0] == "--allow" and len(args) > 1:
            allow.add(args[1])
            args = args[2:]
        elif args[0] == "--box" and len(args) > 1:
            box = args[1]
            args = args[2:]
        elif args[0] == "--panes":
            panes = True
            args = args[1:]
        elif args[0] == "--name" and len(args) > 1:
            name = args[1]
            args = args[2:]
        else:
            sys.exit(__doc__)
    bad = 0
    lines = sys.stdin.read().splitlines()
    if box is not None:
        lines = box_text(lines, box)
        if not lines:
            print("%s: no box titled %s" % (name, box))
            sys.exit(1)
    elif panes:
        lines = pane_text(lines)
    for n, line in enumerate(lines, 1):
        if any(s.search(line) for s in skips):
            continue
        words = english(line, allow)
        if words:
            print("%s:%d: English %s in: %s" % (name, n, " ".join(words),
                                                line.strip()))
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
