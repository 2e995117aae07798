#!/usr/bin/env python3
"""tests/i18n/screen.py: display-width checks on a tmux capture-pane text.

  screen.py check W < capture   every line fits W columns and every box
                                (corners and sides) lines up; exit 1 if not
  screen.py col TEXT < capture  display column (0-based) of the first TEXT
"""
import sys
import unicodedata


def width(ch):
    """Columns a character takes on a terminal."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(line):
    """(column, character) for each character of a captured line."""
    out, col = [], 0
    for ch in line:
        out.append((col, ch))
        col += width(ch)
    return out, col


def check(w, lines):
    """Return the list of problems found on the screen."""
    errs, boxes = [], []
    for n, line in enumerate(lines, 1):
        cs, total = cells(line.rstrip("\n"))
        if total > w:
            errs.append("line %d is %d columns wide (> %d)" % (n, total, w))
        at = {c: ch for c, ch in cs}
        still = []
        for a, b, top in boxes:
            la, rb = at.get(a), at.get(b)
            if la == "\u2514" and rb == "\u2518":
                continue
            if la not in ("\u2502", "\u251c") or rb not in ("\u2502", "\u2524"):
                errs.append("line %d: box opened on line %d lost its side "
                            "at column %d or %d (%r, %r)" % (n, top, a, b, la, rb))
                continue
            still.append((a, b, top))
        boxes = still
        # Corners pair up like brackets: a dialog's box may sit on the
        # top edge of the box below it.
        stack = []
        for c, ch in cs:
            if ch == "\u250c":
                stack.append(c)
            elif ch == "\u2510" and stack:
                boxes.append((stack.pop(), c, n))
        for c in stack:
            errs.append("line %d: the box corner at column %d has no right "
                        "corner" % (n, c))
    for a, b, top in boxes:
        errs.append("box opened on line %d at columns %d-%d never closes"
                    % (top, a, b))
    return errs


def main():
    lines = sys.stdin.read().split("\n")
    if sys.argv[1] == "check":
        errs = check(int(sys.argv[2]), lines)
        for e in errs:
            print(e)
        return 1 if errs else 0
    if sys.argv[1] == "col":
        for line in lines:
            i = line.find(sys.argv[2])
            if i >= 0:
                print(cells(line[:i])[1])
                return 0
        print(-1)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
