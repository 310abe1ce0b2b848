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

_PROBE = (Path(__file__).parent / "probe.html").read_text(encoding="utf-8")


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
