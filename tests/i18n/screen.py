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
    """Return the list of problems found on the screen. A box drawn later
    (a dialog) may cover parts of the boxes below it."""
    errs, boxes = [], []
    vert_l, vert_r = ("\u2502", "\u251c"), ("\u2502", "\u2524")
    for n, line in enumerate(lines, 1):
        cs, total = cells(line.rstrip("\n"))
        if total > w:
            errs.append("line %d is %d columns wide (> %d)" % (n, total, w))
        at = {c: ch for c, ch in cs}
        # Corners pair up like brackets on their line.
        new, stack, loose = [], [], []
        for c, ch in cs:
            if ch == "\u250c":
                stack.append(c)
            elif ch == "\u2510" and stack:
                new.append((stack.pop(), c, n))
        loose = stack
        every = boxes + new

        def covered(col, box):
            """Whether a box drawn after box spans column col."""
            for o in every:
                later = o[2] > box[2] or (o[2] == box[2] and
                                          box[0] < o[0] and o[1] < box[1])
                if later and o[0] <= col <= o[1]:
                    return True
            return False

        still = []
        for box in boxes:
            a, b, top = box
            la, rb = at.get(a), at.get(b)
            lok = la in vert_l or covered(a, box)
            rok = rb in vert_r or covered(b, box)
            lend = la == "\u2514" or (covered(a, box) and rb == "\u2518")
            rend = rb == "\u2518" or (covered(b, box) and la == "\u2514")
            if lend and rend:
                continue
            if not (lok and rok):
                errs.append("line %d: box opened on line %d lost its side "
                            "at column %d or %d (%r, %r)" % (n, top, a, b, la, rb))
                continue
            still.append(box)
        boxes = still + new
        for c in loose:
            # Its right corner may lie under a box drawn later.
            if not any(o[1] > c for o in every):
                errs.append("line %d: the box corner at column %d has no "
                            "right corner" % (n, c))
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
