#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lab-html.py DOCDIR OUT.html: the teaching lab on one page.

Every scenario of user/lab/lab-demo.sh, step by step, as make lab-doc
captured it in DOCDIR (Documentation/lab): the command and its output
(STEP.txt), the sentence that explains it (STEP.say), what changed in the
picture since the previous step (STEP.changes) and the picture itself
(STEP.svg, drawn by sockstat-nl graph and Graphviz's dot, inlined so that
its tooltips work and the page is one file for a projector).  DOCDIR/index
gives the order.

Each picture sits in a frame of its own colour, rgb(N, 200, 250) for the
Nth picture: selftests/lab_html_test.py finds the frames in a screenshot
of the page and checks that each holds a drawn picture.
"""
import html
import os
import re
import sys

STYLE = """
body { font-family: "DejaVu Sans", sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.6em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 2px solid #ccc; }
.step { display: flex; flex-wrap: wrap; gap: 1em; margin: 1em 0 2em 0; align-items: flex-start; }
.text { flex: 1 1 440px; min-width: 0; }
.text pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.78em; }
.say { font-size: 1.05em; }
.changes { font-size: 0.9em; color: #444; }
.changes code { background: #ffe9e9; padding: 0 0.2em; }
.pic { flex: 2 1 640px; min-width: 320px; border: 4px solid; padding: 6px; background: #fff; }
.pic svg { display: block; max-width: 100%; height: auto; }
"""


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def svg_inline(text, prefix):
    """The <svg> element of a file of dot -Tsvg, its ids made unique."""
    start = text.find("<svg")
    if start < 0:
        raise ValueError("no <svg> element")
    text = text[start:]
    text = re.sub(r'\bid="([^"]*)"', lambda m: 'id="%s-%s"' % (prefix, m.group(1)), text)
    return text


def changes_html(path):
    if not os.path.exists(path):
        return ""
    items = [l.strip() for l in read(path).splitlines() if l.strip()]
    if items == ["first picture"]:
        return '<p class="changes">The first picture of this scenario.</p>'
    if not items:
        return '<p class="changes">Nothing changed in the picture.</p>'
    return ('<p class="changes">Changed in the picture (red: new, yellow: changed): ' +
            ", ".join("<code>%s</code>" % html.escape(i) for i in items) + "</p>")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: lab-html.py DOCDIR OUT.html")
    doc, out = sys.argv[1], sys.argv[2]
    body = []
    n = 0
    for line in read(os.path.join(doc, "index")).splitlines():
        words = line.split(" ", 2)
        if words[0] == "scenario":
            body.append('<h2 id="%s">%s</h2>' % (html.escape(words[1]), html.escape(words[2])))
            continue
        if words[0] != "step":
            continue
        n += 1
        base = os.path.join(doc, "%s.%s" % (words[1], words[2]))
        say = read(base + ".say").strip() if os.path.exists(base + ".say") else ""
        body.append('<div class="step" id="%s.%s">' % (html.escape(words[1]), html.escape(words[2])))
        body.append('<div class="text"><pre>%s</pre><p class="say">%s</p>%s</div>' %
                    (html.escape(read(base + ".txt").rstrip("\n")), html.escape(say),
                     changes_html(base + ".changes")))
        body.append('<div class="pic" style="border-color: rgb(%d, 200, 250)">%s</div>' %
                    (n, svg_inline(read(base + ".svg"), "p%d" % n)))
        body.append("</div>")
    if n > 250:
        sys.exit("lab-html.py: more than 250 pictures; the frames' colours run out")
    page = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
            '<title>The sockstat lab, step by step</title>',
            '<style>%s</style></head><body>' % STYLE,
            '<h1>The sockstat lab, step by step</h1>',
            '<p>Each step: the command and what it printed, the sentence that explains it, '
            'and the kernel\'s objects as <code>sockstat-nl graph</code> draws them '
            '(hover over a box for every field). Captured in QEMU by <code>make lab-doc</code>.</p>']
    page += body
    page.append("</body></html>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(page) + "\n")
    print("lab-html: %d pictures in %s" % (n, out))


if __name__ == "__main__":
    main()
