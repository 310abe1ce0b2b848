"""Refresh the registered sources from their URLs: new content, new snapshot.

For each source with a URL: ask the server whether it changed (conditional GET
with the validators remembered for the current snapshot), compare what comes
back with the current snapshot by sha256, and register a new snapshot only when
the bytes differ. An unreachable source is a warning in the result; the run goes
on with the snapshot already registered. The release lock is taken to check that
no release is running and again to register, never while waiting on the network;
every download of a run ends by CSEDATA_REFRESH_DEADLINE.

What is committed: the snapshots under raw/ and raw/sources.yaml (everything a
release is built from). What is not: the ETag / Last-Modified remembered in
.cache/refresh/state.json, which only save downloads; each is tied to the sha256
of the snapshot it describes, so a lost or stale state costs one full download,
and the content comparison still decides.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from csedata import snapshots
from csedata.errors import CsedataError
from csedata.fetch import Fetched, FetchError, Limits, Validators, configured_limits, fetch
from csedata.limits import limit
from csedata.publish import release_lock
from csedata.registry import Source, load_registry, select
from csedata.threads import map_in_threads

STATE = Path(".cache") / "refresh" / "state.json"
PARALLEL = 8  # downloads at a time


class Status(StrEnum):
    changed = "changed"  # new content: registered as a new snapshot
    unchanged = "unchanged"  # downloaded, same bytes as the current snapshot
    not_modified = "not-modified"  # the server answered 304
    failed = "failed"  # unreachable or refused: a warning, the registered snapshot stays
    no_url = "no-url"  # nothing to refresh from


@dataclass(frozen=True)
class Result:
    source_id: str
    status: Status
    detail: str


def _load_state(root: Path) -> dict[str, dict[str, Any]]:
    path = root / STATE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # only an optimisation: start afresh
    return data if isinstance(data, dict) else {}


def _save_state(root: Path, state: dict[str, dict[str, Any]]) -> None:
    path = root / STATE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _remember(state: dict[str, dict[str, Any]], source_id: str, sha256: str, v: Validators) -> None:
    state[source_id] = {"sha256": sha256, "etag": v.etag, "last_modified": v.last_modified}


def _download(
    source: Source, state: dict[str, dict[str, Any]], limits: Limits, stop_at: float
) -> Fetched | FetchError:
    """Conditional when the remembered validators describe the current snapshot; a
    download that failed is its error, settled with the others."""
    assert source.url is not None
    remembered = state.get(source.source_id, {})
    known = (
        Validators(remembered.get("etag"), remembered.get("last_modified"))
        if remembered.get("sha256") == source.sha256
        else Validators()
    )
    try:
        fetched = fetch(source.url, known, limits, stop_at, source.redirect_hosts)
    except FetchError as exc:
        return exc
    return FetchError("empty response") if fetched.body == b"" else fetched


def _settle(
    root: Path,
    source: Source,
    registered: dict[str, Source],
    fetched: Fetched | FetchError,
    state: dict[str, dict[str, Any]],
    now: datetime,
) -> Result:
    """Compare a download with the current snapshot; register it if it differs."""
    sid = source.source_id
    if isinstance(fetched, FetchError):
        return Result(sid, Status.failed, f"{source.url}: {fetched}; kept raw/{source.file}")
    if registered.get(sid) != source:  # another refresh registered one meanwhile
        return Result(sid, Status.failed, "registry entry changed during the download; run again")
    if fetched.body is None:
        return Result(sid, Status.not_modified, f"HTTP 304; raw/{source.file} is current")
    digest = hashlib.sha256(fetched.body).hexdigest()
    if digest == source.sha256:
        _remember(state, sid, digest, fetched.validators)
        return Result(sid, Status.unchanged, f"same content as raw/{source.file}")
    new = snapshots.store(root, source, fetched.body, fetched.content_type, now.date())
    _remember(state, sid, digest, fetched.validators)
    return Result(sid, Status.changed, f"new snapshot raw/{new.file} (was raw/{source.file})")


def refresh_sources(
    root: Path, ids: list[str] | None = None, limits: Limits | None = None
) -> list[Result]:
    """Refresh the named sources (all when ``ids`` is empty).

    Stops at once while a release runs. Downloads run in parallel (an unreachable
    host costs its retries once, not once per source), without the release lock;
    registering new snapshots takes it, one source at a time.
    """
    limits = limits or configured_limits()
    with release_lock(root):
        registry = select(load_registry(root), ids)
    stop_at = time.monotonic() + limit("CSEDATA_REFRESH_DEADLINE")
    state = _load_state(root)
    now = datetime.now(UTC)
    with_url = [source for source in registry.values() if source.url is not None]
    fetched = map_in_threads(lambda s: _download(s, state, limits, stop_at), with_url, PARALLEL)
    downloads = {source.source_id: f for source, f in zip(with_url, fetched, strict=True)}
    with release_lock(root):
        registered = load_registry(root)
        results = [
            _settle(root, source, registered, downloads[sid], state, now)
            if sid in downloads
            else Result(sid, Status.no_url, "no URL registered")
            for sid, source in registry.items()
        ]
        _save_state(root, state)
    return results


def after_change(exc: CsedataError, results: list[Result] | None) -> CsedataError:
    """The error, noting which sources got new content in this run (their specs need a look)."""
    changed = [r.source_id for r in results or [] if r.status == Status.changed]
    note = f" (new content this run: {', '.join(changed)}; check the spec)" if changed else ""
    return CsedataError(exc.where, exc.problem + note)
