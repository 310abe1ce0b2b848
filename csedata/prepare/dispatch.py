"""Pick the converter for a raw file's media type; cache what it prepares.

Preparing a PDF takes far longer than extracting from its text, so the prepared
text is kept under .cache/prepare/, named by the raw file's sha256 and the
converter's name and version: an unchanged snapshot is never prepared twice, and
a new converter version (or library version, part of it) prepares afresh. Text
passes through without a cache: decoding it is as cheap as reading a cache entry.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from types import ModuleType

from csedata.errors import CsedataError
from csedata.prepare import htmlpage, pdfreport, plaintext
from csedata.prepare.document import Prepared
from csedata.registry import Source, read_bytes
from schemas.terms import MediaType

CACHE = Path(".cache") / "prepare"
CONVERTERS: dict[MediaType, ModuleType] = {
    "text/plain": plaintext,
    "text/html": htmlpage,
    "application/pdf": pdfreport,
}


def converters() -> dict[str, str]:
    """Each media type's converter as 'name version', for the release manifest."""
    return {media: f"{c.NAME} {c.VERSION}" for media, c in sorted(CONVERTERS.items())}


def cache_path(root: Path, sha256: str, converter: ModuleType) -> Path:
    tag = re.sub(r"[^A-Za-z0-9.+-]", "_", f"{converter.NAME}-{converter.VERSION}")
    return root / CACHE / f"{sha256}-{tag}.json"


def _store(path: Path, prepared: Prepared) -> None:
    """Written aside and renamed: a cache entry is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"text": prepared.text, "pages": prepared.pages}, handle, ensure_ascii=False)
    os.replace(tmp, path)


def prepare(root: Path, source: Source) -> Prepared:
    """The text specs read for ``source``: its checked raw bytes, converted (or cached)."""
    data = read_bytes(root, source)  # checked on every run, cached or not
    converter = CONVERTERS[source.media_type]
    path = cache_path(root, source.sha256, converter)
    if converter is not plaintext and path.is_file():
        cached = json.loads(path.read_text(encoding="utf-8"))
        return Prepared(cached["text"], tuple(cached["pages"]))
    try:
        prepared: Prepared = converter.convert(data)
    except ValueError as exc:
        where = f"raw/{source.file}"
        raise CsedataError(where, f"{converter.NAME} {converter.VERSION}: {exc}") from exc
    if converter is not plaintext:
        _store(path, prepared)
    return prepared
