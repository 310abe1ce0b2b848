"""Add a new source: register its file as published, prepare it, write a draft spec.

The file (or the document at a URL, downloaded as a refresh downloads) is copied
into raw/ once, read-only, as ``<source_id>`` with the extension of its media type
(told by its content); the registry gets its entry; flows/specs/<source_id>.yaml
gets a draft (csedata.draftspec) that declares nothing yet, so the next release
stops on the first number token the maintainer has not turned into a figure or an
exclusion (csedata check-spec lists them all). Nothing is overwritten: an id or a
spec that exists is refused before anything is written.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from csedata import draftspec, snapshots
from csedata.errors import CsedataError
from csedata.fetch import FetchError, Validators, configured_limits, fetch
from csedata.mediatype import UnknownMedia, sniff
from csedata.prepare.dispatch import prepare
from csedata.publish import release_lock
from csedata.registry import REGISTRY, Source, load_registry
from csedata.spec import load_patterns, spec_path


def is_url(origin: str) -> bool:
    return origin.startswith(("http://", "https://"))


def _document(origin: str) -> tuple[bytes, str | None]:
    """The bytes of a file, or of a URL downloaded as a refresh downloads (same code and
    limits: csedata.fetch), and the media type the server declared."""
    if is_url(origin):
        try:
            fetched = fetch(origin, Validators(), configured_limits())
        except FetchError as exc:
            raise CsedataError(origin, str(exc)) from exc
        if fetched.body is None:  # only a conditional request is answered 304
            raise CsedataError(origin, "the server sent no content")
        return fetched.body, fetched.content_type
    if not Path(origin).is_file():
        raise CsedataError(origin, "file not found")
    return Path(origin).read_bytes(), None


def add_source(root: Path, origin: str, fields: dict[str, Any], today: date) -> tuple[Source, Path]:
    """Register the file or URL ``origin`` with the registry ``fields`` (source_id, title,
    publisher, ...); a URL is the entry's ``url`` unless the fields give one."""
    sid = str(fields["source_id"])
    data, content_type = _document(origin)
    try:
        media_type = sniff(data)
    except UnknownMedia as exc:
        raise CsedataError(origin, str(exc)) from exc
    rel = f"{sid}{snapshots.EXTENSIONS[media_type]}"
    entry = {
        "file": rel,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "media_type": media_type,
        "content_type": content_type,
        "accessed": today.isoformat(),
        "published": None,
        **fields,
        "url": fields.get("url") or (origin if is_url(origin) else None),
    }
    entry.setdefault("citation", f'{entry.get("publisher")}. "{entry.get("title")}".')
    try:
        source = Source.model_validate(entry)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise CsedataError(f"{REGISTRY}: {sid}", f"field '{field}': {err['msg']}") from exc
    spec = spec_path(root, sid)
    with release_lock(root):
        if sid in load_registry(root):
            raise CsedataError(str(REGISTRY), f"source id {sid!r} is already registered")
        if spec.exists() or (root / "raw" / rel).exists():
            taken = spec if spec.exists() else root / "raw" / rel
            raise CsedataError(str(taken.relative_to(root)), "exists; choose another --id")
        snapshots.write_once(root, rel, data)
        snapshots.register_new(root, source)
        text = prepare(root, source).text
        spec.write_text(draftspec.draft(sid, text, load_patterns(root)), encoding="utf-8")
    return source, spec
