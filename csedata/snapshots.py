"""Keep new content of a source as a new immutable raw snapshot and register it.

A raw file is evidence, so new content never overwrites old: it is written once,
read-only, as raw/snapshots/<source_id>/<date>-<sha256 prefix><ext>, and the
registry entry then points at it while its ``snapshots`` list keeps the one it
replaced. The registry is edited in place (comments and layout kept) and
replaced in one step, after the file it names is safely on disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from csedata import durable
from csedata.errors import CsedataError
from csedata.mediatype import UnknownMedia, sniff
from csedata.registry import REGISTRY, Snapshot, Source
from schemas.terms import MediaType

SNAPSHOTS = Path("snapshots")  # under raw/


def _yaml() -> YAML:
    """Round-trip YAML in the registry's own layout, so an edit changes only its lines."""
    yml = YAML()
    yml.preserve_quotes = True
    yml.width = 4096
    yml.indent(mapping=2, sequence=4, offset=2)
    yml.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yml


def write_once(root: Path, rel: str, data: bytes) -> None:
    """Create raw/<rel> with ``data``; an existing file must already hold exactly that."""
    path = root / "raw" / rel
    if path.exists():
        if hashlib.sha256(path.read_bytes()).digest() != hashlib.sha256(data).digest():
            raise CsedataError(f"raw/{rel}", "exists with other content; snapshots are immutable")
        return  # left by an earlier run that stopped before registering it
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    os.close(fd)
    try:
        durable.write_synced(Path(tmp), data)
        os.chmod(tmp, 0o444)
        os.link(tmp, path)  # fails if the name exists: never an overwrite
    finally:
        os.unlink(tmp)


EXTENSIONS: dict[MediaType, str] = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/pdf": ".pdf",
}


def snapshot_name(source_id: str, day: date, digest: str, media_type: MediaType) -> str:
    """Dated and checksummed, so two snapshots never share a name."""
    return str(SNAPSHOTS / source_id / f"{day.isoformat()}-{digest[:12]}{EXTENSIONS[media_type]}")


def _save(path: Path, yml: YAML, data: Any) -> None:
    """The registry replaced in one step: written aside, flushed, renamed."""
    out = io.StringIO()
    yml.dump(data, out)
    durable.replace_bytes(path, out.getvalue().encode("utf-8"))


def _register(root: Path, new: Source) -> None:
    path = root / REGISTRY
    yml = _yaml()
    data: Any = yml.load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["sources"] if e.get("source_id") == new.source_id)
    dumped = new.model_dump(mode="json")
    for key in ("file", "sha256", "bytes", "accessed", "content_type", "media_type"):
        entry[key] = dumped[key]
    entry["accessed"] = DoubleQuotedScalarString(new.accessed)
    earlier = new.snapshots[-1].model_dump(mode="json")
    earlier["accessed"] = DoubleQuotedScalarString(earlier["accessed"])
    entry.setdefault("snapshots", []).append(earlier)
    _save(path, yml, data)


def register_new(root: Path, source: Source) -> None:
    """Append a new source's entry to the registry (after its raw file is on disk)."""
    path = root / REGISTRY
    yml = _yaml()
    data: Any = yml.load(path.read_text(encoding="utf-8"))
    entry = source.model_dump(mode="json", exclude={"snapshots"})
    entry["accessed"] = DoubleQuotedScalarString(source.accessed)
    data["sources"].append(entry)
    _save(path, yml, data)


def store(root: Path, source: Source, body: bytes, content_type: str | None, day: date) -> Source:
    """Write ``body`` as the source's new current snapshot; the registry entry after it."""
    digest = hashlib.sha256(body).hexdigest()
    try:
        media_type = sniff(body)
    except UnknownMedia as exc:
        raise CsedataError(
            f"{REGISTRY}: {source.source_id}", f"new content refused: {exc}"
        ) from exc
    rel = snapshot_name(source.source_id, day, digest, media_type)
    previous = Snapshot(
        file=source.file,
        sha256=source.sha256,
        bytes=source.bytes,
        accessed=source.accessed,
        content_type=source.content_type,
        media_type=source.media_type,
    )
    fields = source.model_dump() | {
        "file": rel,
        "sha256": digest,
        "bytes": len(body),
        "accessed": day.isoformat(),
        "content_type": content_type,
        "media_type": media_type,
        "snapshots": (*source.snapshots, previous),
    }
    try:
        new = Source.model_validate(fields)
    except ValidationError as exc:
        problem = f"new snapshot of {source.source_id!r}: {exc.errors()[0]['msg']}"
        raise CsedataError(str(REGISTRY), problem) from exc
    write_once(root, rel, body)
    _register(root, new)
    return new
