"""The largest size, once: a cold ``csedata release`` of a corpus far beyond the others.

Issue 20's fifth target: 100,000 documents (about ten million observations) build
on this machine within its memory. One run, not the full set of the other sizes
(each of those is a fresh process, and at this size each takes many minutes). The
memory is that of the whole process tree, sampled: the flow's process, Prefect's
API server and the Dask workers that extract, together; a process's own peak
(``ru_maxrss``) would miss the workers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.corpus import REPO
from benchmarks.measure import BATCH_SIZE_ENV

SAMPLE_EVERY = 0.5  # seconds: a stage's peak lasts longer than this


def _tree_rss(root: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants now (those that vanish while
    being read count as nothing)."""
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


def release_tree_peak(root: Path, env: dict[str, str]) -> dict[str, Any]:
    """Wall time and the peak resident memory of the whole process tree of one cold
    ``csedata release`` of the project at ``root`` (cleaned by the caller)."""
    args = [sys.executable, "-m", "csedata", "release", "--root", str(root)]
    args += ["--batch-size", env[BATCH_SIZE_ENV]]
    started = time.perf_counter()
    process = subprocess.Popen(
        args, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, _tree_rss(watched))
        except psutil.Error:  # the flow's process ended between poll and read
            break
        time.sleep(SAMPLE_EVERY)
    out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"the release of {root} failed:\n{err[-3000:]}")
    return {"wall": wall, "peak_tree": peak, "said": out.strip().splitlines()[-1]}
