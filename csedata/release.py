"""Write a release: processed/<version>/, immutable, assembled aside, moved in one step.

A release is built in a staging directory beside the versions and renamed into
place only when complete; processed/LATEST is replaced last. When the new tables
are byte-identical to the latest release, nothing is written at all.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from csedata import parquet
from csedata.errors import CsedataError
from schemas import SCHEMAS

PROCESSED = Path("processed")
LIBRARIES = ("pandas", "pyarrow", "pandera", "prefect")


@dataclass(frozen=True)
class Outcome:
    status: str  # "written" or "unchanged"
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


def latest_version(root: Path) -> str | None:
    path = root / PROCESSED / "LATEST"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def read_manifest(root: Path, version: str) -> dict[str, object]:
    path = root / PROCESSED / version / "manifest.json"
    if not path.is_file():
        raise CsedataError(str(PROCESSED / version), "release has no manifest.json")
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def table_frames(observations: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The published tables in their own shape (label, n, percent per printed row).

    All tables go in one file, keyed by source_id and table_id: a file per table
    would be tens of thousands of files for a corpus of thousands of reports.
    """
    keys = ["source_id", "table_id", "category"]
    tables = observations[observations["form"] == "table"]
    shaped = tables.drop_duplicates(keys)[
        [*keys[:2], "label", "category", "parent_category", "multi_response"]
    ]
    for unit, column in (("count", "n"), ("percent", "percent")):
        values = tables.loc[tables["unit"] == unit, [*keys, "value"]]
        shaped = shaped.merge(values.rename(columns={"value": column}), on=keys, how="left")
    shaped = shaped.sort_values(keys[:2], kind="stable", ignore_index=True)
    return {"tables.parquet": shaped}


def _bump(previous: str | None, old: pd.DataFrame | None, new: pd.DataFrame) -> str:
    """Semantic version: major if columns or ids went away, minor if added, else patch."""
    if previous is None or old is None:
        return "1.0.0"
    major, minor, patch = (int(p) for p in previous.split("."))
    old_cols = dict(zip(old.columns, map(str, old.dtypes), strict=True))
    new_cols = dict(zip(new.columns, map(str, new.dtypes), strict=True))
    old_ids, new_ids = set(old["observation_id"]), set(new["observation_id"])
    if any(new_cols.get(c) != t for c, t in old_cols.items()) or old_ids - new_ids:
        return f"{major + 1}.0.0"
    if new_cols.keys() - old_cols.keys() or new_ids - old_ids:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _write_extras(staging: Path, extras: dict[str, bytes]) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = {}
    for rel, data in sorted(extras.items()):
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files[rel] = {"sha256": parquet.sha256(path), "bytes": len(data)}
    return files


def _write_tables(staging: Path, frames: dict[str, pd.DataFrame]) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = {}
    named = {f"{name}.parquet": (df, SCHEMAS[name]) for name, df in frames.items()}
    shaped = {path: (df, None) for path, df in table_frames(frames["observations"]).items()}
    for rel, (df, schema) in {**named, **shaped}.items():
        path = staging / rel
        parquet.write(df, path, schema)
        files[rel] = {"sha256": parquet.sha256(path), "bytes": path.stat().st_size, "rows": len(df)}
    return files


def _fsync_tree(path: Path) -> None:
    for item in sorted(path.rglob("*")):
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def publish(
    root: Path,
    frames: dict[str, pd.DataFrame],
    lock_sha256: str | None,
    extras: dict[str, bytes] | None = None,
) -> Outcome:
    """Write the release unless its tables equal the latest's; return what happened.

    ``extras`` are further files of the release (relative path -> bytes), such as
    reports; they are listed in the manifest but do not decide whether it changed.
    """
    processed = root / PROCESSED
    with release_lock(root):
        previous = latest_version(root)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=processed))
        try:
            files = _write_tables(staging, frames)
            if previous is not None:
                old_files = read_manifest(root, previous).get("files")
                assert isinstance(old_files, dict)
                if {k: v for k, v in old_files.items() if k.endswith(".parquet")} == files:
                    return Outcome("unchanged", previous, processed / previous, previous)
                old_obs = pd.read_parquet(processed / previous / "observations.parquet")
            else:
                old_obs = None
            version = _bump(previous, old_obs, frames["observations"])
            files.update(_write_extras(staging, extras or {}))
            target = processed / version
            if target.exists():
                raise CsedataError(
                    str(PROCESSED / version), "version exists; releases are never overwritten"
                )
            manifest = {
                "name": "csedata",
                "version": version,
                "previous": previous,
                "package_version": metadata.version("csedata"),
                "libraries": {lib: metadata.version(lib) for lib in LIBRARIES},
                "lock_sha256": lock_sha256,
                "sources": {
                    row.source_id: {"file": row.file, "sha256": row.sha256}
                    for row in frames["sources"].itertuples()
                },
                "files": files,
            }
            (staging / "manifest.json").write_text(
                json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
            )
            os.chmod(staging, 0o755)
            _fsync_tree(staging)
            os.rename(staging, target)
            _replace_text(processed / "LATEST", version + "\n")
            return Outcome("written", version, target, previous)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
