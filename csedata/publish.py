"""Write a release: processed/<version>/, immutable, assembled aside, moved in one step.

A release is built in a hidden staging directory beside the versions, verified
there, and renamed into place only when complete; processed/LATEST is replaced
last. A process killed at any moment leaves the earlier state (plus a staging
directory the next run removes) or the complete new release. When the tables do
not differ from the latest release, nothing is written.

``created`` is the only value that depends on the clock: rebuilding a release
takes it (with version and previous) from that release's manifest, so the same
raw files, specs, code and locked libraries give byte-identical files.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd
import pyarrow.parquet as pq

from csedata import codedigest, datapackage, diff, durable, parquet, privacy, redact, verify, views
from csedata.errors import CsedataError, writing
from csedata.prepare import dispatch
from csedata.spec import SPEC_DIR
from csedata.store import LATEST, MANIFEST, PROCESSED, latest_version, read_manifest
from csedata.validation import Tables, Validated
from schemas import SCHEMA_VERSION
from schemas.describe import data_dictionary

LIBRARIES = ("pandas", "pyarrow", "pandera", "prefect")
STAGING = ".staging-"
DIFF, CHANGELOG, DICTIONARY = "diff.json", "CHANGELOG.md", "data-dictionary.md"
# flows/release-notes/<version>.md: prose for that version's CHANGELOG entry (what
# changed and how to migrate), above the list of differences the diff gives
NOTES = Path("flows") / "release-notes"


@dataclass(frozen=True)
class Published:
    """What publishing did: wrote ``version`` at ``path`` after ``previous``, or found the
    tables unchanged (``version`` and ``previous`` then both name the latest release)."""

    status: Literal["written", "unchanged"]
    version: str
    path: Path
    previous: str | None


@contextmanager
def release_lock(root: Path) -> Iterator[None]:
    """One release at a time: a second one exits at once with a clear message."""
    processed = root / PROCESSED
    processed.mkdir(parents=True, exist_ok=True)
    with open(processed / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CsedataError(
                str(PROCESSED / ".lock"), "another release is running; try again when it ends"
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_tables(release: Path, tables: Tables) -> dict[str, Path]:
    """Every table as deterministic Parquet, streamed a part at a time from validation's
    files (csedata.parquet.write_parts); returns table name -> file. One table at a time:
    two at once held two copies."""
    paths = {name: release / f"{name}.parquet" for name in tables.order}
    for name in tables.order:
        parquet.write_parts(tables.parts(name), paths[name], tables.schema(name))
    return paths


def _day(value: object) -> str:
    """A day in diff.json (a row's period_start) as ISO text; nothing else is converted."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _json(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=_day) + "\n"


def _older_changelog(processed: Path, previous: str | None) -> str:
    """Every earlier release's entry, to go below this one's: each release holds the whole
    history."""
    if previous is None:
        return ""
    text = (processed / previous / CHANGELOG).read_text(encoding="utf-8")
    return text.removeprefix("# Changelog\n\n")


def _notes(root: Path, version: str) -> str | None:
    path = root / NOTES / f"{version}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _inventory(release: Path) -> dict[str, dict[str, object]]:
    """Every file but the manifest: sha256, bytes, and rows for tables."""
    files: dict[str, dict[str, object]] = {}
    for path in sorted(release.rglob("*")):
        rel = path.relative_to(release).as_posix()
        if path.is_file() and rel != MANIFEST:
            entry: dict[str, object] = {
                "sha256": durable.sha256(path),
                "bytes": path.stat().st_size,
            }
            if rel.endswith(".parquet"):
                entry["rows"] = pq.read_metadata(path).num_rows
            files[rel] = entry
    return files


def _spec_checksums(root: Path) -> dict[str, str]:
    return {
        (SPEC_DIR / p.name).as_posix(): durable.sha256(p)
        for p in sorted((root / SPEC_DIR).glob("*.yaml"))
    }


# further files of a release (relative path -> bytes), or what makes them from the
# version and creation time (a report that says which release it covers)
Extras = dict[str, bytes] | Callable[[str, str], dict[str, bytes]]


@dataclass(frozen=True)
class Build:
    """What a release is made of besides its tables."""

    root: Path
    sources: pd.DataFrame
    lock_sha256: str | None
    extras: Extras


def _write_release(
    build: Build,
    release: Path,
    tables: dict[str, Path],
    changes: dict[str, Any],
    version: str,
    previous: str | None,
    created: str,
) -> None:
    """Everything beside the tables: diff, changelog, dictionary, datapackage, extras, manifest."""
    processed = build.root / PROCESSED
    sources = build.sources
    report = diff.report(previous, version, changes)
    rows = {name: pq.read_metadata(path).num_rows for name, path in tables.items()}
    package = datapackage.descriptor(release, tables, version, created, sources)
    older = _older_changelog(processed, previous)
    ids = list(sources["source_id"])
    entry = diff.changelog_entry(report, created, ids, _notes(build.root, version))
    entry += redact.changelog_note(processed, created, older)
    texts = {
        DIFF: _json(report),
        CHANGELOG: "# Changelog\n\n" + entry + ("\n" + older if older else ""),
        DICTIONARY: data_dictionary(f"{datapackage.NAME} {version}: data dictionary", rows),
        datapackage.FILE: _json(package),
        views.FILE: views.views_sql(tables, release),
    }
    extras = build.extras(version, created) if callable(build.extras) else build.extras
    contents = {**{k: v.encode() for k, v in texts.items()}, **extras}
    for rel, data in sorted(contents.items()):
        (release / rel).parent.mkdir(parents=True, exist_ok=True)
        (release / rel).write_bytes(data)
    manifest = {
        "name": datapackage.NAME,
        "version": version,
        "previous": previous,
        "created": created,
        "package_version": metadata.version("csedata"),
        "code_sha256": codedigest.code_digest(),
        "specs": _spec_checksums(build.root),
        "python": platform.python_version(),
        "libraries": {lib: metadata.version(lib) for lib in LIBRARIES},
        "converters": dispatch.converters(),  # what turned raw bytes into text (prepare)
        "lock_sha256": build.lock_sha256,
        "schema_version": SCHEMA_VERSION,
        "sources": {
            row.source_id: {"file": row.file, "sha256": row.sha256} for row in sources.itertuples()
        },
        "files": _inventory(release),
    }
    (release / MANIFEST).write_text(_json(manifest), encoding="utf-8")


def _previous_tables(processed: Path, previous: str | None) -> dict[str, Path] | None:
    """The tables of the release this one follows, once its files are found sound: a damaged
    byte there would become a change in this release's diff and changelog."""
    if previous is None:
        return None
    verify.require_sound(processed / previous)
    return datapackage.tables(processed / previous)


def _clear_leftovers(processed: Path) -> None:
    """Remove what a killed release left behind (the caller holds the lock)."""
    for path in processed.glob(f"{STAGING}*"):
        shutil.rmtree(path)
    (processed / f".{LATEST}.tmp").unlink(missing_ok=True)


def _table_checksums(release: Path, tables: dict[str, Path]) -> dict[str, str]:
    return {p.relative_to(release).as_posix(): durable.sha256(p) for p in tables.values()}


def _finish_interrupted(
    processed: Path, staging: Path, tables: dict[str, Path], version: str
) -> None:
    """The version exists but LATEST does not name it: a run was killed between the
    two steps. Point LATEST at it if it verifies and holds these very tables."""
    target = processed / version
    files = read_manifest(target)["files"] if (target / MANIFEST).is_file() else {}
    ours = _table_checksums(staging, tables)
    if any(files.get(rel, {}).get("sha256") != sha for rel, sha in ours.items()) or (
        verify.problems(target)
    ):
        raise CsedataError(
            str(PROCESSED / version),
            "exists, is not LATEST and differs from this build; releases are never "
            "overwritten (remove it if it was never published)",
        )
    durable.replace_text(processed / LATEST, version + "\n")


def _require_validated(tables: object) -> None:
    """Bare frames are refused at run time too (a caller without type checks)."""
    if not isinstance(tables, Validated):
        raise TypeError(f"a release is written from Validated tables, not {type(tables).__name__}")


def publish(
    root: Path,
    validated: Validated,
    lock_sha256: str | None,
    extras: Extras | None = None,
    watch: privacy.Watchlist | None = None,
) -> Published:
    """Write the release unless its tables equal the latest's; return what happened.

    Only validated tables are published (the type says so). ``extras`` are further
    files of the release (relative path -> bytes), such as reports; they are listed
    in the manifest but do not decide whether it changed. No file may name a person
    ``watch`` lists (by default the names listed beside the specs; the flow adds the
    words of the sources' case stories).
    """
    _require_validated(validated)
    watch = watch if watch is not None else privacy.watchlist(root, {})
    sources = validated.tables.frame("sources")
    build = Build(root, sources, lock_sha256, extras or {})
    processed = root / PROCESSED
    with writing(str(PROCESSED)), release_lock(root):  # disk full: one line, nothing published
        _clear_leftovers(processed)
        previous = latest_version(root)
        staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=processed))
        try:
            tables = _write_tables(staging, validated.tables)
            changes = diff.compare(_previous_tables(processed, previous), tables)
            level = diff.change_level(changes)
            if previous is not None and level is None:
                return Published("unchanged", previous, processed / previous, previous)
            version = diff.next_version(previous, level)
            target = processed / version
            if target.exists():
                _finish_interrupted(processed, staging, tables, version)
                return Published("written", version, target, previous)
            created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            _write_release(build, staging, tables, changes, version, previous, created)
            privacy.refuse(staging, watch, str(PROCESSED / version))
            # its frames were validated before they were written
            problems = verify.problems(staging, deep=False, version=version)
            if problems:
                raise CsedataError(str(PROCESSED / version), f"not released: {problems[0]}")
            os.chmod(staging, 0o755)
            durable.fsync_tree(staging)
            os.rename(staging, target)
            durable.fsync(processed)
            durable.replace_text(processed / LATEST, version + "\n")
            return Published("written", version, target, previous)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class Rebuilt:
    """The latest release written again into ``path`` and compared with the published one."""

    status: ClassVar[Literal["rebuilt"]] = "rebuilt"
    version: str
    path: Path
    differences: list[str]  # one line per file whose sha256 differs; empty: identical
    notes: list[str]  # the manifest's record of who built it, where only that differs


# What the manifest records of the build itself rather than of the release's content:
# newer code that rebuilds every file byte for byte has reproduced the release.
PROVENANCE = ("code_sha256", "package_version", "python", "libraries", "lock_sha256", "converters")


def _provenance_only(ours: Path, theirs: Path, recorded: set[str]) -> list[str]:
    """The provenance keys in which two manifests differ, if nothing else differs but the
    checksums of the files in ``recorded`` (those that differ only in the digest they record)."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (ours, theirs))
    keys = [k for k in PROVENANCE if a.get(k) != b.get(k)]
    a, b = ({k: v for k, v in m.items() if k not in PROVENANCE} for m in (a, b))
    for m in (a, b):
        m["files"] = {k: v for k, v in m.get("files", {}).items() if k not in recorded}
    return keys if a == b else []


def _provenance_notes(
    ours: Path, theirs: Path, differing: list[str], recorded: str | None
) -> dict[str, str]:
    """Of the files present in both releases that differ, those that differ only in who
    built them: the manifest in its provenance keys, any other file (the validation
    report) only in the code digest it records, ``recorded`` being the release's."""
    notes: dict[str, str] = {}
    digest = codedigest.code_digest()
    for rel in differing:
        if rel != MANIFEST and recorded and recorded != digest:
            published = (theirs / rel).read_bytes().replace(recorded.encode(), digest.encode())
            if published == (ours / rel).read_bytes():
                notes[rel] = f"{rel}: the same but for the code digest it records"
    if MANIFEST in differing:  # its inventory holds those files' checksums
        keys = _provenance_only(ours / MANIFEST, theirs / MANIFEST, set(notes))
        if keys:
            notes[MANIFEST] = f"{MANIFEST}: built by other code or libraries ({', '.join(keys)})"
    return notes


def rebuild(
    root: Path,
    validated: Validated,
    lock_sha256: str | None,
    into: Path,
    extras: Extras | None = None,
) -> Rebuilt:
    """Write the latest release again into the empty folder ``into`` and compare every
    file with the published one."""
    _require_validated(validated)
    sources = validated.tables.frame("sources")
    version = latest_version(root)
    if version is None:
        raise CsedataError(str(PROCESSED / LATEST), "no release to rebuild")
    published = root / PROCESSED / version
    manifest = read_manifest(published)
    if into.exists() and any(into.iterdir()):
        raise CsedataError(str(into), "not empty; rebuild needs an empty folder")
    into.mkdir(parents=True, exist_ok=True)
    build = Build(root, sources, lock_sha256, extras or {})
    tables = _write_tables(into, validated.tables)
    previous = manifest["previous"]
    changes = diff.compare(_previous_tables(root / PROCESSED, previous), tables)
    _write_release(build, into, tables, changes, version, previous, manifest["created"])
    ours, theirs = durable.tree_sha256(into), durable.tree_sha256(published)
    where = {True: "only in the rebuild", False: "only in the release"}
    differing = [
        rel for rel in sorted(ours.keys() | theirs.keys()) if ours.get(rel) != theirs.get(rel)
    ]
    both = [rel for rel in differing if rel in ours and rel in theirs]
    explained = _provenance_notes(into, published, both, manifest.get("code_sha256"))
    differing = [rel for rel in differing if rel not in explained]
    differences = [
        f"{rel}: {where[rel in ours] if (rel in ours) != (rel in theirs) else 'sha256 differs'}"
        for rel in differing
    ]
    moved = _newer_snapshots(sources, manifest)
    return Rebuilt(version, into, moved + differences, list(explained.values()))


def _newer_snapshots(sources: pd.DataFrame, manifest: dict[str, Any]) -> list[str]:
    """Why a rebuild differs after a refresh that changed no statistic (no release then):
    the registry names newer snapshots than the release was built from."""
    named = manifest.get("sources", {})
    moved = [
        str(row.source_id)
        for row in sources.itertuples()
        if row.source_id in named and named[row.source_id]["sha256"] != row.sha256
    ]
    if not moved:
        return []
    return [f"raw/sources.yaml: names newer snapshots than the release of {', '.join(moved)}"]
