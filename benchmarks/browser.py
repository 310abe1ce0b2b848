"""A page as headless Chromium lays it out: how long it took to parse and lay out, and
what of it overflows its box, measured by a script added to a copy of the page.

The script runs where the page ends, after forcing layout, and writes what it found
into the DOM that ``--dump-dom`` prints: no debugging protocol, no extra libraries.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1280, 800  # a laptop screen: the fold is at HEIGHT

_PROBE = """
<script>
(() => {
  document.documentElement.getBoundingClientRect();  // lay the page out
  const laidOut = performance.now();
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const overflows = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not drawn (a closed details, a script)
    const parent = el.parentElement, p = parent.getBoundingClientRect();
    const clips = getComputedStyle(parent).overflowX !== "visible";
    if (!clips && (r.left < p.left - 1 || r.right > p.right + 1)) {
      overflows.push(name(el) + " outside " + name(parent));
    }
    if (r.right > innerWidth + 1) overflows.push(name(el) + " past the window");
    const s = getComputedStyle(el);
    if (s.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      overflows.push(name(el) + " spills its content");
    }
  }
  const top = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect() : null; };
  const found = {
    laid_out_ms: laidOut, overflows, height: innerHeight, width: innerWidth,
    page_width: document.documentElement.scrollWidth,
    header: top("header"), verdict: top("#verdict"), first_decision: top("article.decision"),
    collisions: [...document.querySelectorAll(".bars .value")].filter((v) => {
      const track = v.previousElementSibling.getBoundingClientRect();
      return v.getBoundingClientRect().left < track.right + 2;
    }).length,
    cut_labels: [...document.querySelectorAll(".bars .label")].filter(
      (l) => l.scrollHeight > l.clientHeight + 1 && !(l.title || "").startsWith(l.textContent)).length,
  };
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(found);
  document.body.append(out);
})();
</script>
"""


def chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throwaway profile, nothing fetched but the page."""
    return subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def available() -> bool:
    return shutil.which("chromium") is not None


def probe(page: Path) -> dict[str, Any]:
    """Open a copy of the page with the probe added; what it found, and the wall time of
    the whole browser process (start-up included) as ``process_s``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        html = page.read_text(encoding="utf-8")
        copy.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
        started = time.perf_counter()
        done = chromium(["--dump-dom", copy.as_uri()], Path(tmp) / "profile")
        wall = time.perf_counter() - started
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"chromium could not open {page}: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<"))
    result["process_s"] = wall
    result["dom"] = done.stdout
    return result


def screenshot(page: Path, shot: Path) -> None:
    """A PNG of the first screen of the page at WIDTH x HEIGHT."""
    with tempfile.TemporaryDirectory() as tmp:
        taken = chromium([f"--screenshot={shot}", page.as_uri()], Path(tmp) / "profile")
    if taken.returncode != 0 or not shot.is_file():
        raise RuntimeError(f"chromium took no screenshot of {page}: {taken.stderr[-2000:]}")
