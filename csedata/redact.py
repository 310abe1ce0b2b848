"""Redaction: the one change ever made to a published release, to remove a person's name.

Releases are immutable, but personal data is the one reason to change a published
file. ``redact`` rewrites each file of a release that holds a watched name
(csedata.privacy) with the name replaced by a neutral marker, and records each
rewrite in processed/REDACTIONS.json (release, file, old and new sha256 and size,
date, reason), which travels with the releases. The manifest of the release stays
as it was published; ``verify`` reads it through the record, so a recorded
redaction verifies and any other change to any byte is still detected.

The record is written before the files: a run killed in between leaves files that
do not verify yet, and running ``redact`` again (same names, same bytes) ends it.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from csedata import datapackage, durable, privacy, store
from csedata.errors import CsedataError

RECORD = "REDACTIONS.json"


@dataclass(frozen=True)
class Redaction:
    release: str
    file: str
    old_sha256: str
    new_sha256: str
    old_bytes: int
    new_bytes: int
    date: str
    reason: str


def records(processed: Path) -> list[Redaction]:
    """Every redaction recorded beside these releases, oldest first; none without a record."""
    path = processed / RECORD
    if not path.is_file():
        return []
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Redaction(**entry) for entry in data["redactions"]]
    except (ValueError, TypeError, KeyError) as exc:
        raise CsedataError(where, f"not a redaction record: {exc}") from exc


def effective_files(
    version: str, files: dict[str, dict[str, Any]], done: list[Redaction]
) -> dict[str, dict[str, Any]]:
    """A manifest's file entries with the recorded redactions of that release applied.

    A redaction applies only to the bytes it replaced: one whose old sha256 is not
    the file's recorded one at that point leaves the entry, so verify reports it.
    """
    entries = {rel: dict(entry) for rel, entry in files.items()}
    for r in done:
        entry = entries.get(r.file)
        if r.release == version and entry is not None and entry["sha256"] == r.old_sha256:
            entry.update(sha256=r.new_sha256, bytes=r.new_bytes)
    return entries


def _parquet_redacted(path: Path, pattern: str) -> bytes:
    """The table with every watched word in its text replaced; schema and codec kept."""
    table = pq.read_table(path)
    columns = []
    for name in table.column_names:
        column = table[name]
        if privacy.holds_text(column.type) and not pa.types.is_nested(column.type):
            text = column.cast(pa.large_string())
            column = pc.replace_substring_regex(text, pattern, privacy.MARKER).cast(column.type)
        columns.append(column)
    codec = pq.ParquetFile(path).metadata.row_group(0).column(0).compression.lower()
    sink = io.BytesIO()
    pq.write_table(pa.table(columns, schema=table.schema), sink, compression=codec)
    return sink.getvalue()


def _redacted(path: Path, pattern: str) -> bytes:
    if path.suffix == ".parquet":
        return _parquet_redacted(path, pattern)
    return re.sub(pattern, privacy.MARKER, path.read_text(encoding="utf-8")).encode()


def _save(root: Path, done: list[Redaction]) -> None:
    text = json.dumps({"redactions": [asdict(r) for r in done]}, indent=2, ensure_ascii=False)
    durable.replace_bytes(root / store.PROCESSED / RECORD, (text + "\n").encode())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _package_redacted(release: Path, swaps: dict[str, str]) -> bytes | None:
    """datapackage.json naming the rewritten tables' new sha256 (old -> new), if it changes."""
    path = release / datapackage.FILE
    text = path.read_text(encoding="utf-8")
    for old, new in swaps.items():
        text = text.replace(f"sha256:{old}", f"sha256:{new}")
    changed = text.encode()
    return changed if changed != path.read_bytes() else None


def plan(release: Path, watch: privacy.Watchlist, done: list[Redaction]) -> dict[str, bytes]:
    """The new bytes of every file of a release that names a watched word, and of its
    datapackage.json where a table's hash changes (also one whose redaction was recorded
    by a run that was stopped before it wrote every file)."""
    pattern = watch.pattern()
    if pattern is None:
        return {}
    new = {rel: _redacted(release / rel, pattern.pattern) for rel in privacy.scan(release, watch)}
    swaps = {r.old_sha256: r.new_sha256 for r in done if r.release == release.name}
    swaps |= {_sha((release / rel).read_bytes()): _sha(data) for rel, data in new.items()}
    package = _package_redacted(release, swaps)
    if package is not None:
        new[datapackage.FILE] = package
    return new


def redact(root: Path, versions: list[str], reason: str) -> list[Redaction]:
    """Rewrite the files of these releases that name a person; record and return each."""
    if not reason.strip():
        raise CsedataError("--reason", "say why the release is redacted")
    watch = privacy.from_sources(root)
    done = records(root / store.PROCESSED)
    today = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    new: list[Redaction] = []
    writes: list[tuple[Path, bytes]] = []
    for version in versions:
        release = store.resolve(root, version)
        for rel, data in sorted(plan(release, watch, done).items()):
            old = (release / rel).read_bytes()
            key = (release.name, rel, _sha(old), _sha(data))
            if not any((r.release, r.file, r.old_sha256, r.new_sha256) == key for r in done):
                new.append(Redaction(*key, len(old), len(data), today, reason))
            writes.append((release / rel, data))
    if new:
        _save(root, done + new)
    for path, data in writes:
        durable.replace_bytes(path, data)
    return new


def _line(r: Redaction) -> str:
    return f"- {r.release}/{r.file} ({r.date[:10]}): {r.reason}"


def changelog_note(processed: Path, until: str, older: str) -> str:
    """The CHANGELOG's account of the redactions recorded by ``until`` (this release's
    creation) that the older entries do not tell yet; never the names themselves."""
    lines = [_line(r) for r in records(processed) if r.date <= until]
    new = [line for line in dict.fromkeys(lines) if line not in older]
    if not new:
        return ""
    head = ["", "Redactions of earlier releases (see processed/REDACTIONS.json):", ""]
    return "\n".join(head + new) + "\n"
