#!/usr/bin/env python3
"""tests/sgr.py - are cells of a terminal screen in their theme slot's style?

    sgr.py DUMP THEME.theme < CHECKS

DUMP is `tmux capture-pane -p -e` output: the text with the SGR escapes
(ESC [ ... m) tmux writes for each change of style, carried from cell to
cell and from line to line. THEME.theme is a theme file (themes/*.theme),
read here with a parser of this script's own, not sonar's. Each line of
CHECKS is

    SLOT LINE COLUMN

LINE: a line number (0 the first, -1 the last) or an extended regex the
line's text must match (the first such line); COLUMN: a number, or /RE/
with one group, the cell where that group starts. The style of that cell
(attributes, foreground, background; 256-colour indexes) must be what
the theme declares for SLOT on a 256-colour terminal. One line per check
goes to stdout ("ok" or "MISMATCH"); the exit status is 1 when a check
failed or could not find its cell.
"""
import re
import sys

ATTRS = {"bold": 1, "dim": 2, "italic": 3, "underline": 4, "blink": 5,
         "reverse": 7, "standout": 7}  # standout is reverse on xterm
NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]


def color(word):
    """A theme colour word as a 256-colour index, None for default."""
    if word == "default":
        return None
    if word in NAMES:
        return NAMES.index(word)
    if word.startswith("bright-") and word[7:] in NAMES:
        return 8 + NAMES.index(word[7:])
    n = int(word)
    if not 0 <= n <= 255:
        raise ValueError(word)
    return n


def theme(path):
    """slot -> (attributes, fg, bg) as a theme file declares them."""
    slots = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line or "=" not in line:
            continue
        key, spec = (s.strip() for s in line.split("=", 1))
        if key == "name":
            continue
        attrs, fg, bg, on = set(), None, None, False
        for w in spec.split():
            if w == "on":
                on = True
            elif w in ATTRS:
                attrs.add(ATTRS[w])
            elif on:
                bg = color(w)
            else:
                fg = color(w)
        slots[key] = (frozenset(attrs), fg, bg)
    return slots


def sgr(params, style):
    """Apply one SGR sequence's parameters to style [attrs, fg, bg]."""
    p = [int(x) if x else 0 for x in params.split(";")] if params else [0]
    i = 0
    while i < len(p):
        c = p[i]
        if c == 0:
            style[:] = [set(), None, None]
        elif c in (1, 2, 3, 4, 5, 7):
            style[0].add(c)
        elif c == 22:
            style[0] -= {1, 2}
        elif c in (23, 24, 25, 27):
            style[0].discard(c - 20)
        elif 30 <= c <= 37:
            style[1] = c - 30
        elif 40 <= c <= 47:
            style[2] = c - 40
        elif 90 <= c <= 97:
            style[1] = c - 90 + 8
        elif 100 <= c <= 107:
            style[2] = c - 100 + 8
        elif c == 39:
            style[1] = None
        elif c == 49:
            style[2] = None
        elif c in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
            style[1 if c == 38 else 2] = p[i + 2]
            i += 2
        else:
            raise ValueError("unexpected SGR parameter %d in %r" % (c, params))
        i += 1


def screen(path):
    """The dump as lines of (text, [style of each cell])."""
    style = [set(), None, None]
    lines = []
    esc = re.compile(r"\x1b\[([0-9;]*)m")
    for raw in open(path, encoding="utf-8").read().split("\n"):
        text, cells, pos = "", [], 0
        for m in esc.finditer(raw):
            for ch in raw[pos:m.start()]:
                text += ch
                cells.append((frozenset(style[0]), style[1], style[2]))
            sgr(m.group(1), style)
            pos = m.end()
        for ch in raw[pos:]:
            text += ch
            cells.append((frozenset(style[0]), style[1], style[2]))
        lines.append((text, cells))
    while lines and not lines[-1][0]:
        lines.pop()  # the dump's final newline
    return lines


def show(s):
    attrs = ",".join(k for k, v in sorted(ATTRS.items(), key=lambda kv: kv[1])
                     if v in s[0] and k != "standout") or "-"
    return "%s fg=%s bg=%s" % (attrs, "default" if s[1] is None else s[1],
                               "default" if s[2] is None else s[2])


def main():
    lines = screen(sys.argv[1])
    slots = theme(sys.argv[2])
    failed = False
    for spec in sys.stdin:
        if not spec.strip():
            continue
        slot, where, col = spec.split(None, 2)
        col = col.strip()
        if re.fullmatch(r"-?[0-9]+", where):
            n = int(where)
            found = [lines[n]] if -len(lines) <= n < len(lines) else []
        else:
            found = [l for l in lines if re.search(where, l[0])][:1]
        if not found:
            print("MISMATCH %s: no line %s" % (slot, where))
            failed = True
            continue
        text, cells = found[0]
        if col.startswith("/"):
            m = re.search(col[1:-1], text)
            x = m.start(1) if m else None
        else:
            x = int(col)
        if x is None or x >= len(cells):
            print("MISMATCH %s: no cell %s in %r" % (slot, col, text.rstrip()))
            failed = True
            continue
        got, want = cells[x], slots.get(slot)
        if want is None:
            print("MISMATCH %s: not in %s" % (slot, sys.argv[2]))
            failed = True
        elif got != want:
            print("MISMATCH %s (%r at %d): %s, the theme says %s"
                  % (slot, text[x], x, show(got), show(want)))
            failed = True
        else:
            print("ok %s (%r at %d): %s" % (slot, text[x], x, show(got)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
