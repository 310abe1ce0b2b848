"""The plain functions the release flow calls, one per stage.

Extraction results are cached on content, as Parquet (never pickle): the key
covers the registry entry (whose sha256 the raw file must match), the spec, the
shared patterns and the code (the csedata package and the schemas it writes
with). Same content, same key, no work; the raw file is still checked every run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

import schemas
from csedata import parquet
from csedata.extract import extract
from csedata.ledger import ledger
from csedata.registry import Source, load_registry, read_text
from csedata.spec import SPEC_DIR, load_patterns, load_spec, spec_path
from schemas import LEDGER, OBSERVATIONS, SOURCES, frame

CACHE = Path(".cache") / "extract"
CODE_DIRS = (Path(__file__).parent, Path(schemas.__file__).parent)


def code_digest(folders: tuple[Path, ...] = CODE_DIRS) -> str:
    """Digest of the code: a change to any module of these folders invalidates the cache."""
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            h.update(f"{folder.name}/{path.name}".encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def cache_key(root: Path, source: Source) -> str:
    h = hashlib.sha256()
    h.update(source.model_dump_json().encode())
    for path in (spec_path(root, source.source_id), root / SPEC_DIR / "_patterns.yaml"):
        h.update(path.read_bytes() if path.is_file() else b"missing")
    h.update(code_digest().encode())
    return h.hexdigest()[:32]


def extract_source(root: Path, source: Source) -> tuple[Path, bool]:
    """Directory holding this source's observations and ledger; True if cached.

    The directory appears in one rename, so a crash leaves no half-written entry.
    """
    text = read_text(root, source)  # verifies the raw file on every run, cached or not
    target = root / CACHE / f"{source.source_id}-{cache_key(root, source)}"
    if (target / "observations.parquet").is_file():
        return target, True
    spec = load_spec(root, source.source_id)
    observations = extract(source, spec, text)
    tokens = ledger(source.source_id, source.file, text, spec, load_patterns(root), observations)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        parquet.write(frame(OBSERVATIONS, observations), tmp / "observations.parquet")
        parquet.write(frame(LEDGER, tokens), tmp / "ledger.parquet")
        os.rename(tmp, target)
    except OSError:
        if not (target / "observations.parquet").is_file():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target, False


def assemble(root: Path, source_ids: list[str], parts: list[str]) -> dict[str, pd.DataFrame]:
    """The release's tables from the sources' extraction directories, in source order."""
    sources = load_registry(root)
    registry = frame(SOURCES, [sources[i].model_dump(mode="json") for i in source_ids])
    return {
        "observations": pd.concat(
            [pd.read_parquet(Path(p) / "observations.parquet") for p in parts], ignore_index=True
        ),
        "sources": registry,
        "ledger": pd.concat(
            [pd.read_parquet(Path(p) / "ledger.parquet") for p in parts], ignore_index=True
        ),
    }
