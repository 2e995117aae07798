"""jsonpath: the subset of kubectl's JSONPath templates the lab needs:
{.a.b[0].c}, {.items[*].x}, [?(@.k=="v")] filters, {range ...}{end},
quoted literals such as {"\\n"}, and plain text between expressions."""

import json
import re


class JPError(Exception):
    pass


def _tokens(tpl):
    """[(kind, text)] with kind 'text' or 'expr'."""
    res = []
    i = 0
    buf = ""
    while i < len(tpl):
        c = tpl[i]
        if c == "{":
            if buf:
                res.append(("text", buf))
                buf = ""
            depth = 1
            j = i + 1
            q = None
            while j < len(tpl) and depth:
                ch = tpl[j]
                if q:
                    if ch == "\\":
                        j += 1
                    elif ch == q:
                        q = None
                elif ch in "\"'":
                    q = ch
                elif ch == "{":
                    depth += 1
                elif ch == "}":
                    depth -= 1
                j += 1
            if depth:
                raise JPError("unclosed action")
            res.append(("expr", tpl[i + 1:j - 1].strip()))
            i = j
            continue
        buf += c
        i += 1
    if buf:
        res.append(("text", buf))
    return res


def _segments(expr):
    """Split .a.b[0]['c'][?(...)] into segments."""
    segs = []
    i = 0
    if expr.startswith("$"):
        i = 1
    if expr.startswith("@"):
        i = 1
    while i < len(expr):
        c = expr[i]
        if c == ".":
            if expr[i:i + 2] == "..":
                raise JPError("recursive descent is not supported by the lab")
            j = i + 1
            while j < len(expr) and (expr[j].isalnum() or expr[j] in "_-/\\" or (expr[j] == "." and expr[j - 1] == "\\")):
                j += 1
            name = expr[i + 1:j].replace("\\.", ".")
            if name:
                segs.append(("key", name))
            i = j
        elif c == "[":
            depth = 1
            j = i + 1
            q = None
            while j < len(expr) and depth:
                ch = expr[j]
                if q:
                    if ch == q:
                        q = None
                elif ch in "\"'":
                    q = ch
                elif ch == "[":
                    depth += 1
                elif ch == "]":
                    depth -= 1
                j += 1
            inner = expr[i + 1:j - 1].strip()
            if inner == "*":
                segs.append(("all", None))
            elif inner.startswith("?(") and inner.endswith(")"):
                segs.append(("filter", inner[2:-1]))
            elif re.fullmatch(r"-?\d+", inner):
                segs.append(("index", int(inner)))
            elif re.fullmatch(r"-?\d*:-?\d*", inner):
                a, b = inner.split(":")
                segs.append(("slice", (int(a) if a else None, int(b) if b else None)))
            elif inner[:1] in "'\"":
                segs.append(("key", inner[1:-1]))
            else:
                raise JPError("unrecognized identifier %s" % inner)
            i = j
        elif c.isspace():
            i += 1
        else:
            j = i
            while j < len(expr) and (expr[j].isalnum() or expr[j] in "_-"):
                j += 1
            if j == i:
                raise JPError("unrecognized character in action: %r" % c)
            segs.append(("key", expr[i:j]))
            i = j
    return segs


def _filter_ok(item, cond):
    m = re.fullmatch(r"\s*(@[^=!<>]*)\s*(==|!=)\s*(\"[^\"]*\"|'[^']*'|[^\s]+)\s*", cond)
    if not m:
        v = _eval([item], _segments(cond.strip()))
        return bool(v)
    left = _eval([item], _segments(m.group(1).strip()))
    right = m.group(3)
    if right[:1] in "'\"":
        right = right[1:-1]
    lv = left[0] if left else None
    if isinstance(lv, bool):
        lv = "true" if lv else "false"
    eq = lv is not None and str(lv) == right
    return eq if m.group(2) == "==" else not eq


def _eval(nodes, segs):
    cur = list(nodes)
    for kind, arg in segs:
        nxt = []
        for n in cur:
            if kind == "key":
                if isinstance(n, dict) and arg in n:
                    nxt.append(n[arg])
            elif kind == "all":
                if isinstance(n, list):
                    nxt.extend(n)
                elif isinstance(n, dict):
                    nxt.extend(n.values())
            elif kind == "index":
                if isinstance(n, list):
                    if -len(n) <= arg < len(n):
                        nxt.append(n[arg])
                    else:
                        raise JPError("array index out of bounds: index %d, length %d" % (arg, len(n)))
            elif kind == "slice":
                if isinstance(n, list):
                    nxt.extend(n[arg[0]:arg[1]])
            elif kind == "filter":
                if isinstance(n, list):
                    nxt.extend(x for x in n if _filter_ok(x, arg))
        cur = nxt
    return cur


def _fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    if v is None:
        return ""
    return str(v)


def render(tpl, obj):
    toks = _tokens(tpl)
    out = []

    def run(toks, i, ctx, emit):
        while i < len(toks):
            kind, t = toks[i]
            if kind == "text":
                if emit:
                    out.append(t)
                i += 1
                continue
            if t == "end":
                return i + 1
            if t.startswith("range "):
                items = _eval([ctx], _segments(t[6:].strip()))
                # find body end
                body_start = i + 1
                end = None
                for it in items:
                    end = run(toks, body_start, it, emit)
                if end is None:
                    end = run(toks, body_start, ctx, False)
                i = end
                continue
            if t[:1] in "\"'":
                lit = t[1:-1]
                if emit:
                    out.append(lit.encode().decode("unicode_escape"))
                i += 1
                continue
            vals = _eval([ctx], _segments(t))
            if emit:
                out.append(" ".join(_fmt(v) for v in vals))
            i += 1
        return i
    run(toks, 0, obj, True)
    return "".join(out)
