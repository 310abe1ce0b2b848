"""The digest of the code that shapes a release: part of every cache key and of the manifest.

Every file of the csedata, schemas and flows packages counts (modules, templates,
data files), so a change to any of them invalidates every cache built from the old
code. The specs are not code: each batch's key and the manifest hash them apart
(csedata.batches), and bytecode only mirrors the modules.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

CODE_DIRS = tuple(
    Path(__file__).resolve().parent.parent / package for package in ("csedata", "schemas", "flows")
)
# folders whose files are hashed elsewhere (specs) or derived from the modules (bytecode)
NOT_CODE = frozenset({"specs", "vocabularies", "release-notes", "__pycache__"})  # data, prose


@functools.cache
def code_digest() -> str:
    """Computed once per process: the code does not change under a running process."""
    return digest_of(CODE_DIRS)


def _files(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not NOT_CODE.intersection(path.relative_to(folder).parts)
    )


def digest_of(folders: tuple[Path, ...]) -> str:
    """Digest of every file in these folders and below but NOT_CODE, paths included."""
    h = hashlib.sha256()
    for folder in folders:
        for path in _files(folder):
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            h.update(name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
