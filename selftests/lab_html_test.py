#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The lab's page (build/lab/index.html, scripts/lab-html.py) as a browser
shows it: built from Documentation/lab, opened in headless Chromium, and
its screenshot searched for every picture.  lab-html.py frames the Nth
picture in rgb(N, 200, 250); each frame must be found, be of a picture's
size, and hold a drawing: ink (pixels far from white) spread over the
frame, as Graphviz's boxes, text and edges leave it.  A picture that does
not render (a broken SVG, a missing file, an empty one) leaves its frame
empty or absent.  One TAP result per picture.  Runs on the host (no
module); the Debian packages chromium and python3-pil
(scripts/install-deps.sh).

lab_html_test.py [DOCDIR]  (default Documentation/lab)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

WIDTH = 1400
INK = 60		# a channel this far from white is ink


def tap(n, ok, what, why=""):
    print("%sok %d %s%s" % ("" if ok else "not ", n, what, "" if ok or not why else ": " + why))
    return ok


def frames(img, count):
    """{N: [x0, y0, x1, y1, pixels]} of the pixels exactly rgb(N, 200, 250)."""
    from PIL import ImageChops

    r, g, b = img.split()
    mask = ImageChops.multiply(g.point(lambda v: 255 if v == 200 else 0),
                               b.point(lambda v: 255 if v == 250 else 0))
    r = ImageChops.multiply(r, mask)	# R where the mask is set, else 0
    found = {}
    for i in range(1, count + 1):
        m = r.point(lambda v, i=i: 255 if v == i else 0)
        box = m.getbbox()
        if box:
            found[i] = [box[0], box[1], box[2] - 1, box[3] - 1, m.histogram()[255]]
    return found


def ink(img, box):
    """Ink pixels inside @box, and the box they span (in the image)."""
    from PIL import ImageChops

    r, g, b = img.crop(box).split()
    low = ImageChops.darker(ImageChops.darker(r, g), b)
    m = low.point(lambda v: 255 if 255 - v > INK else 0)
    span = m.getbbox() or (0, 0, 0, 0)
    return m.histogram()[255], (box[0] + span[0], box[1] + span[1], box[0] + span[2], box[1] + span[3])


def svg_size(path):
    """The width and height in CSS pixels that dot -Tsvg gave a picture."""
    head = open(path, encoding="utf-8", errors="replace").read(4096)
    m = re.search(r'<svg[^>]*\bwidth="([0-9.]+)pt"[^>]*\bheight="([0-9.]+)pt"', head, re.S)
    if not m:
        return 1, 1
    return float(m.group(1)) * 96 / 72, float(m.group(2)) * 96 / 72


def main():
    from PIL import Image

    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    doc = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "Documentation", "lab")
    tmp = tempfile.mkdtemp(prefix="lab-html-test.")
    try:
        try:
            steps = [l for l in open(os.path.join(doc, "index")).read().splitlines()
                     if l.startswith("step ")]
        except OSError as e:
            print("TAP version 13\n1..1")
            print("not ok 1 the lab's captures are in %s: %s (make lab-doc)" % (doc, e))
            return 1
        n = len(steps)
        print("TAP version 13")
        print("1..%d" % (n + 2))
        page = os.path.join(tmp, "index.html")
        r = subprocess.run([sys.executable, os.path.join(top, "scripts", "lab-html.py"), doc, page],
                           capture_output=True, text=True)
        if not tap(1, r.returncode == 0, "lab-html.py builds the page", r.stderr.strip()):
            for i in range(n + 1):
                tap(i + 2, False, "picture %d" % (i + 1), "no page")
            return 1
        browser = shutil.which("chromium")
        if not browser:
            print("ok 2 headless Chromium takes a screenshot # SKIP chromium is not installed "
                  "(scripts/install-deps.sh)")
            for i in range(n):
                print("ok %d picture %d # SKIP no chromium" % (i + 3, i + 1))
            return 0
        # Tall enough for the whole page: a step is at most about 900 pixels.
        height = min(900 * n + 1500, 60000)
        shot = os.path.join(tmp, "page.png")
        r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            "--force-device-scale-factor=1", "--window-size=%d,%d" % (WIDTH, height),
                            "--user-data-dir=" + os.path.join(tmp, "profile"),
                            "--screenshot=" + shot, "file://" + page],
                           capture_output=True, text=True, timeout=600)
        ok = r.returncode == 0 and os.path.exists(shot)
        img = Image.open(shot).convert("RGB") if ok else None
        ok = ok and img.size == (WIDTH, height)
        if not tap(2, ok, "headless Chromium takes a screenshot of %dx%d" % (WIDTH, height),
                   r.stderr.strip()[-300:]):
            for i in range(n):
                tap(i + 3, False, "picture %d" % (i + 1), "no screenshot")
            return 1
        found = frames(img, n + 5)
        bad = 0
        for i in range(1, n + 1):
            what = "picture %d (%s) is drawn in the page" % (i, steps[i - 1][5:])
            f = found.get(i)
            if not f:
                bad += not tap(i + 2, False, what, "its frame is not in the screenshot")
                continue
            x0, y0, x1, y1, count = f
            w, h = x1 - x0 + 1, y1 - y0 + 1
            if y1 >= height - 2:
                bad += not tap(i + 2, False, what, "the page is longer than the screenshot")
                continue
            # A 4-pixel frame all round: about 8 * (w + h) pixels of its colour.
            if w < 300 or h < 60 or count < 6 * (w + h):
                bad += not tap(i + 2, False, what, "frame %dx%d, %d pixels: not a picture's" % (w, h, count))
                continue
            # Its height: the picture's, at the width the frame gives it.
            sw, sh = svg_size(os.path.join(doc, steps[i - 1][5:].replace(" ", ".", 1) + ".svg"))
            shown = min(sw, w - 20)
            want_h = shown * sh / sw + 20
            if abs(h - want_h) > max(8, 0.05 * want_h):
                bad += not tap(i + 2, False, what, "frame %dx%d; the picture, %dx%d, needs a height of %d" %
                               (w, h, sw, sh, want_h))
                continue
            inside = (x0 + 10, y0 + 10, x1 - 10, y1 - 10)
            n_ink, (ix0, iy0, ix1, iy1) = ink(img, inside)
            area = (inside[2] - inside[0]) * (inside[3] - inside[1])
            # (across the picture's width, which may leave part of the frame empty)
            spread_w = (ix1 - ix0) / max(1, min(shown, inside[2] - inside[0]))
            spread_h = (iy1 - iy0) / max(1, inside[3] - inside[1])
            # Graphviz draws to the edges of its picture: boxes at the
            # sides, clusters or boxes at the top and bottom.
            if n_ink < area * 0.01 or min(spread_w, spread_h) < 0.75:
                bad += not tap(i + 2, False, what,
                               "%d ink pixels in %dx%d, spread %.0f%% x %.0f%%: not a whole picture" %
                               (n_ink, w, h, 100 * spread_w, 100 * spread_h))
                continue
            tap(i + 2, True, what + " (%dx%d, %.1f%% ink over %.0f%% x %.0f%%)" %
                (w, h, 100.0 * n_ink / area, 100 * spread_w, 100 * spread_h))
        extra = sorted(k for k in found if k > n)
        if extra:
            print("# frames of pictures the index does not have: %s" % extra)
            bad += 1
        return 1 if bad else 0
    finally:
        if os.environ.get("LAB_HTML_TEST_KEEP"):
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
