"""The plain functions the release flow calls, one per stage.

Sources are extracted in batches (csedata.batches). A batch's results are cached on
content: each member's registry entry (whose sha256 the raw file must match),
its spec, the shared patterns and the code. Same content, same key, no work;
the raw files are still checked every run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow
from pyarrow import feather

from csedata import parquet
from csedata.extract import extract
from csedata.ledger import ledger
from csedata.registry import Source, read_text
from csedata.spec import SPEC_DIR, load_patterns, load_spec, spec_path
from schemas import LEDGER, OBSERVATIONS, SOURCES, frame

CACHE = Path(".cache") / "extract"
PACKAGES = ("csedata", "schemas", "flows")


@functools.cache
def code_digest() -> str:
    """Digest of the code that shapes a release: a change to any module invalidates caches."""
    h = hashlib.sha256()
    repo = Path(__file__).resolve().parent.parent
    for package in PACKAGES:
        for path in sorted((repo / package).glob("*.py")):
            h.update(f"{package}/{path.name}".encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _patterns_bytes(root: Path) -> bytes:
    path = root / SPEC_DIR / "_patterns.yaml"
    return path.read_bytes() if path.is_file() else b"missing"


def cache_key(root: Path, sources: list[Source]) -> str:
    """Content key of a batch: registry entries, specs, shared patterns and code."""
    h = hashlib.sha256()
    h.update(code_digest().encode() + _patterns_bytes(root))
    for source in sources:
        path = spec_path(root, source.source_id)
        h.update(source.model_dump_json().encode())
        h.update(path.read_bytes() if path.is_file() else b"missing")
    return h.hexdigest()[:32]


@dataclass(frozen=True)
class Batch:
    """Where a batch's observations and ledger are, and whether they came from cache."""

    path: Path
    key: str
    cached: bool
    sources: int


def extract_batch(root: Path, sources: list[Source]) -> Batch:
    """Extract the sources into one cache entry (one rename: never half-written)."""
    texts = [read_text(root, source) for source in sources]  # verified on every run
    key = cache_key(root, sources)
    target = root / CACHE / f"batch-{key}"
    if (target / "observations.arrow").is_file():
        return Batch(target, key, True, len(sources))
    patterns = load_patterns(root)
    observations, tokens = [], []
    for source, text in zip(sources, texts, strict=True):
        spec = load_spec(root, source.source_id)
        found = extract(source, spec, text)
        tokens += ledger(source.source_id, source.file, text, spec, patterns, found)
        observations += found
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        # Arrow IPC, not Parquet: a cache entry is read back whole, at memory speed
        feather.write_feather(
            parquet.rows_to_arrow(OBSERVATIONS, observations),
            tmp / "observations.arrow",
            compression="lz4",
        )
        feather.write_feather(
            parquet.rows_to_arrow(LEDGER, tokens), tmp / "ledger.arrow", compression="lz4"
        )
        os.rename(tmp, target)
    except OSError:
        if not (target / "observations.arrow").is_file():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Batch(target, key, False, len(sources))


def inputs_digest(keys: list[str], lock_sha256: str | None) -> str:
    """Everything a release is made from: the batches' content keys and the lock file."""
    return hashlib.sha256("\n".join([*keys, lock_sha256 or "no lock"]).encode()).hexdigest()


def assemble(sources: list[Source], parts: list[Path]) -> dict[str, pd.DataFrame]:
    """The release's tables from the extracted batches, in source order."""

    def read(name: str) -> pd.DataFrame:
        table = pyarrow.concat_tables(feather.read_table(part / f"{name}.arrow") for part in parts)
        # free each Arrow column once converted: the peak holds one copy, not two
        df: pd.DataFrame = table.to_pandas(self_destruct=True)
        return df

    return {
        "observations": read("observations"),
        "sources": frame(SOURCES, [s.model_dump(mode="json") for s in sources]),
        "ledger": read("ledger"),
    }
