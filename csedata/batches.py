"""Cut the sources into extraction batches: one Prefect task per batch, not per document.

A task per small document would cost more in orchestration than in work; a
batch of a few hundred keeps the task overhead a small share of the run.
"""

from __future__ import annotations

import hashlib

BATCH_SIZE = 250


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def batches(ids: list[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """The ids, sorted, cut into batches of about ``size`` (at most twice that).

    A batch ends after an id whose hash is 0 modulo ``size``: the boundaries
    belong to the ids, so registering one more document changes only the batch
    it falls into and every other batch keeps its cache entry (fixed-size chunks
    would shift all the batches after it).
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    out: list[list[str]] = []
    current: list[str] = []
    for source_id in sorted(ids):
        current.append(source_id)
        if len(current) >= 2 * size or _digest(source_id) % size == 0:
            out.append(current)
            current = []
    return [*out, current] if current else out
