"""The registry of raw sources (raw/sources.yaml): load, validate, read checked text.

A raw file is evidence, so no byte of it reaches extraction unless its size and
sha256 match the registry: a changed file is refused, never silently used. New
content arrives as a new snapshot file (csedata.snapshots), never as an edit.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, ValidationError

from csedata import limits, yamltext
from csedata.errors import CsedataError
from csedata.mediatype import UnknownMedia, sniff
from schemas.models import Registered
from schemas.sources import FIELDS as SOURCE_FIELDS
from schemas.terms import MediaType

REGISTRY = Path("raw") / "sources.yaml"


def _inside_raw(value: str) -> str:
    path = Path(value)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"path {value!r} is outside raw/")
    return value


RawFile = Annotated[str, AfterValidator(_inside_raw)]


class Snapshot(Registered):
    """An earlier snapshot of a source: still under raw/, no longer the one extracted."""

    FIELDS = SOURCE_FIELDS
    file: RawFile
    sha256: str
    bytes: int
    accessed: str
    content_type: str | None = None
    media_type: MediaType


class Source(Registered):
    """One registered raw document; ``file`` and ``sha256`` name its current snapshot.

    Every attribute named like a column of sources.parquet obeys that column's rules."""

    FIELDS = SOURCE_FIELDS
    source_id: str
    file: RawFile
    sha256: str
    bytes: int
    publisher: str
    title: str
    published: str | None
    url: str | None
    accessed: str
    kind: str
    jurisdiction: str
    citation: str
    # Set when a refresh downloaded the current snapshot: the server's media type.
    content_type: str | None = None
    # What the bytes are, by their content (csedata.mediatype); checked on every read.
    media_type: MediaType
    # Earlier snapshots, oldest first; a refresh appends the one it replaces.
    snapshots: tuple[Snapshot, ...] = ()
    # Hosts ("host" or "host:port") a refresh may follow a redirect to, besides the url's own.
    redirect_hosts: tuple[str, ...] = ()


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "entry"
    if err["type"] == "missing":
        return f"field '{field}' is missing"
    return f"field '{field}': {err['msg']}"


def not_a_project(root: Path, missing: str) -> CsedataError:
    """The folder given as the project, absolute: a relative raw/sources.yaml names no place."""
    hint = "point --root or CSEDATA_ROOT at the project folder"
    return CsedataError(str(root.resolve()), f"not a csedata project: no {missing} ({hint})")


def load_registry(root: Path) -> dict[str, Source]:
    """All sources by id, each entry validated; the first problem is raised."""
    where = str(REGISTRY)
    if not (root / REGISTRY).is_file():
        raise not_a_project(root, str(REGISTRY))
    data = yamltext.load(root, root / REGISTRY, where)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise CsedataError(where, "expected a mapping with a 'sources' list")
    sources: dict[str, Source] = {}
    for index, entry in enumerate(data["sources"], start=1):
        label = f"{where}: entry {index}"
        if isinstance(entry, dict) and isinstance(entry.get("source_id"), str):
            label += f" ({entry['source_id']})"
        try:
            source = Source.model_validate(entry)
        except ValidationError as exc:
            raise CsedataError(label, _first_error(exc)) from exc
        if source.source_id in sources:
            raise CsedataError(label, f"duplicate source_id {source.source_id!r}")
        sources[source.source_id] = source
    if not sources:
        raise CsedataError(where, "no sources registered")
    return sources


def select(sources: dict[str, Source], ids: list[str] | None) -> dict[str, Source]:
    """The named sources (all when ``ids`` is empty); an unknown id is an error."""
    if not ids:
        return sources
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise CsedataError(str(REGISTRY), f"unknown source id {unknown[0]!r}")
    return {i: sources[i] for i in ids}


def _checked_path(root: Path, source: Source) -> tuple[Path, str]:
    """The raw file's path, after checking that it exists, really lies under raw/ (links
    and ``..`` resolved) and is within CSEDATA_MAX_RAW_BYTES; and how the errors name it."""
    path = root / "raw" / source.file
    where = f"raw/{source.file}"
    if not path.is_file():
        raise CsedataError(where, f"raw file for source {source.source_id!r} is missing")
    real, raw = path.resolve(), (root / "raw").resolve()
    if not real.is_relative_to(raw):
        raise CsedataError(where, f"resolves to {real}, outside raw/")
    most = limits.max_bytes("CSEDATA_MAX_RAW_BYTES")
    size = real.stat().st_size
    if size > most:
        raise CsedataError(where, f"{size} bytes, over the limit of {most} (CSEDATA_MAX_RAW_BYTES)")
    return real, where


def _check_digest(source: Source, where: str, digest: str, size: int) -> None:
    if digest != source.sha256:
        raise CsedataError(
            where,
            f"sha256 {digest[:12]}… does not match the registry's {source.sha256[:12]}… "
            f"(the raw file changed; register a new snapshot instead of editing it)",
        )
    if size != source.bytes:
        raise CsedataError(where, f"size {size} bytes, registry says {source.bytes}")


def verify_file(root: Path, source: Source) -> None:
    """Check the raw file's size and sha256 against the registry, hashing it as a stream."""
    path, where = _checked_path(root, source)
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    _check_digest(source, where, digest, path.stat().st_size)


def read_bytes(root: Path, source: Source) -> bytes:
    """The raw file's bytes, after checking size and sha256 against the registry."""
    path, where = _checked_path(root, source)
    data = path.read_bytes()
    _check_digest(source, where, hashlib.sha256(data).hexdigest(), len(data))
    try:
        found = sniff(data)
    except UnknownMedia as exc:
        raise CsedataError(where, f"{exc}; registry says {source.media_type}") from exc
    if found != source.media_type:
        raise CsedataError(where, f"content is {found}, registry says {source.media_type}")
    return data


def read_text(root: Path, source: Source) -> str:
    """The checked raw file decoded as UTF-8 (see csedata.prepare for what specs read)."""
    data = read_bytes(root, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsedataError(f"raw/{source.file}", f"byte {exc.start} is not UTF-8") from exc
