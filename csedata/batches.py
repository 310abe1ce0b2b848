"""Extraction batches: which sources go together, and the content key of each.

One Prefect task per batch, not per document: a task per small document would
cost more in orchestration than in work. A batch's key covers everything its
extraction depends on: each member's registry entry (whose sha256 the raw file
must match), its spec, the shared patterns and the code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from csedata.codedigest import code_digest
from csedata.registry import Source
from csedata.spec import SPEC_DIR, spec_path
from csedata.vocabularies import file_bytes

BATCH_SIZE = 250
CACHE = Path(".cache") / "extract"


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


def _patterns_bytes(root: Path) -> bytes:
    path = root / SPEC_DIR / "_patterns.yaml"
    return path.read_bytes() if path.is_file() else b"missing"


def cache_key(root: Path, sources: list[Source]) -> str:
    """Content key of a batch: registry entries, specs, shared patterns, vocabularies
    (extraction checks the ids specs name) and code."""
    h = hashlib.sha256()
    h.update(code_digest().encode() + _patterns_bytes(root) + file_bytes(root))
    for source in sources:
        path = spec_path(root, source.source_id)
        h.update(source.model_dump_json().encode())
        h.update(path.read_bytes() if path.is_file() else b"missing")
    return h.hexdigest()[:32]


def cache_entry(root: Path, key: str) -> Path:
    return root / CACHE / f"batch-{key}"


def is_cached(entry: Path) -> bool:
    """An entry is complete once it exists: it appears in one rename."""
    return (entry / "observations.arrow").is_file()


def inputs_digest(keys: list[str], lock_sha256: str | None) -> str:
    """Everything a release is made from: the batches' content keys and the lock file."""
    return hashlib.sha256("\n".join([*keys, lock_sha256 or "no lock"]).encode()).hexdigest()
