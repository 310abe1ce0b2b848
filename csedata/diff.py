"""What changed between two releases, and the version number that change earns.

Tables are compared by their Parquet files as released: columns (name, type,
description) and rows matched on the table's row key from its schema. The
result is plain JSON (diff.json in each release) and also drives the version:

- major: a column removed or retyped, a table removed, or an observation or a
  source removed (their ids are public and stable);
- minor: a column or table added, or an observation or a source added;
- patch: anything else (changed values, quotes, descriptions, ledger rows);
- no difference, or only a new snapshot of a source (the columns of ``SNAPSHOT``
  changed, nothing else): no new release. The latest release keeps naming the
  snapshot it was built from, which still holds every one of its statistics at
  its offsets; the next release that changes something carries the new one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from csedata import parquet
from schemas import schema_for
from schemas.describe import primary_key

STABLE = ("observations", "sources")  # row keys that users cite: removing one breaks them
LEVELS = {1: "patch", 2: "minor", 3: "major"}  # 0: no release
# Columns of sources.parquet that say which snapshot was read, not what it says
SNAPSHOT = frozenset({"file", "sha256", "bytes", "accessed", "content_type", "media_type"})
LISTED = 50  # changelog lines per table before "and N more"


def _columns(schema: Any) -> dict[str, dict[str, str]]:
    return {
        f.name: {
            "type": str(f.type),
            "description": (f.metadata or {}).get(b"description", b"").decode(),
        }
        for f in schema
    }


def _column_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    common = [c for c in new if c in old]
    return {
        "added": [{"name": c, "type": new[c]["type"]} for c in new if c not in old],
        "removed": [{"name": c, "type": old[c]["type"]} for c in old if c not in new],
        "retyped": [
            {"name": c, "old": old[c]["type"], "new": new[c]["type"]}
            for c in common
            if old[c]["type"] != new[c]["type"]
        ],
        "redescribed": [
            {"name": c, "old": old[c]["description"], "new": new[c]["description"]}
            for c in common
            if old[c]["description"] != new[c]["description"]
        ],
    }


def _positions(pairs: pd.DataFrame, side: str, which: str) -> np.ndarray:
    return pairs.loc[pairs["_merge"] == which, side].astype("int64").to_numpy()


def _text(kind: pa.DataType) -> pd.ArrowDtype | None:
    return pd.ArrowDtype(kind) if pa.types.is_string(kind) else None


def _differs(old: pa.ChunkedArray, new: pa.ChunkedArray) -> np.ndarray:
    """Where two columns' values differ, compared in Arrow (no Python value per row); missing
    values (null or NaN) equal each other, and a list (flags) is compared as its items joined."""
    if pa.types.is_list(old.type):
        old, new = pc.binary_join(old, "\x1f"), pc.binary_join(new, "\x1f")
    missing = pc.and_(pc.is_null(old, nan_is_null=True), pc.is_null(new, nan_is_null=True))
    same = pc.or_(pc.equal(old, new).fill_null(False), missing)
    differs: np.ndarray = pc.invert(same).to_numpy(zero_copy_only=False)
    return differs


def _rows(path: Path, names: list[str], at: np.ndarray) -> list[dict[str, Any]]:
    """The rows at positions ``at`` of a table's file as Python values, read a column at a
    time: memory for one column of the table, not the table."""
    if len(at) == 0:
        return []
    taken = {c: parquet.read_table(path, [c]).column(c).take(at) for c in names}
    rows: list[dict[str, Any]] = pa.table(taken).to_pylist()
    return rows


def _row_changes(
    old: Path, new: Path, key: list[str], columns: list[str], names: tuple[list[str], list[str]]
) -> dict[str, list[Any]]:
    """Rows matched on the key: added, removed, and changed (old and new value per column).

    Matched on the key columns alone and compared a column at a time, and only the rows
    that differ become Python values: a million-row table costs seconds, not minutes and
    gigabytes, and memory for two columns, not two tables. Missing values equal each
    other; every list is in key order. ``names``: every column of the old and new file.
    """
    # text keys stay in Arrow: pandas joins them by Arrow's hash, not a Python string per row
    old_keys, new_keys = (
        parquet.read_table(p, key).to_pandas(types_mapper=_text) for p in (old, new)
    )
    pairs = old_keys.assign(_old=np.arange(len(old_keys))).merge(
        new_keys.assign(_new=np.arange(len(new_keys))),
        on=key,
        how="outer",
        sort=True,
        indicator=True,
    )
    at_old, at_new = _positions(pairs, "_old", "both"), _positions(pairs, "_new", "both")
    values = [c for c in columns if c not in key]
    differs = np.zeros((len(at_old), len(values)), dtype=bool)
    for i, c in enumerate(values):
        x = parquet.read_table(old, [c]).column(c).take(at_old)
        differs[:, i] = _differs(x, parquet.read_table(new, [c]).column(c).take(at_new))
    hit = differs.any(axis=1)
    before = _rows(old, names[0], at_old[hit])
    after = _rows(new, names[1], at_new[hit])
    return {
        "added": _rows(new, names[1], _positions(pairs, "_new", "right_only")),
        "removed": _rows(old, names[0], _positions(pairs, "_old", "left_only")),
        "changed": [
            {
                "key": {k: x[k] for k in key},
                "changes": {
                    c: {"old": x[c], "new": y[c]} for c, d in zip(values, row, strict=True) if d
                },
            }
            for x, y, row in zip(before, after, differs[hit], strict=True)
        ],
    }


def _table(name: str, old_path: Path, new_path: Path) -> dict[str, Any] | None:
    old, new = parquet.read_schema(old_path), parquet.read_schema(new_path)
    old_cols, new_cols = _columns(old), _columns(new)
    columns = _column_changes(old_cols, new_cols)
    key = primary_key(schema_for(name))
    retyped = {c["name"] for c in columns["retyped"]}
    comparable = [c for c in new_cols if c in old_cols and c not in retyped]
    names = (old.names, new.names)
    if set(key) <= set(comparable):
        rows = _row_changes(old_path, new_path, key, comparable, names)
    else:  # no common row key: every row is new
        every = [np.arange(parquet.num_rows(p)) for p in (old_path, new_path)]
        rows = {
            "added": _rows(new_path, new.names, every[1]),
            "removed": _rows(old_path, old.names, every[0]),
            "changed": [],
        }
    descriptions = [(s.metadata or {}).get(b"description", b"").decode() for s in (old, new)]
    entry: dict[str, Any] = {"status": "changed", "columns": columns, "rows": rows}
    if descriptions[0] != descriptions[1]:
        entry["description"] = {"old": descriptions[0], "new": descriptions[1]}
    differs = any(columns.values()) or any(rows.values()) or "description" in entry
    return entry if differs else None


def compare(old: dict[str, Path] | None, new: dict[str, Path]) -> dict[str, Any]:
    """Per table (name -> Parquet file), what differs; tables without differences are left out."""
    old = old or {}
    tables: dict[str, Any] = {}
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            tables[name] = {"status": "added", "rows": parquet.num_rows(new[name])}
        elif name not in new:
            tables[name] = {"status": "removed", "rows": parquet.num_rows(old[name])}
        elif (entry := _table(name, old[name], new[name])) is not None:
            tables[name] = entry
    return tables


def _level(name: str, entry: dict[str, Any]) -> int:
    if entry["status"] != "changed":
        return 3 if entry["status"] == "removed" else 2
    columns, rows = entry["columns"], entry["rows"]
    if columns["removed"] or columns["retyped"] or (name in STABLE and rows["removed"]):
        return 3
    if columns["added"] or (name in STABLE and rows["added"]):
        return 2
    return 0 if name == "sources" and _snapshots_only(entry) else 1


def _snapshots_only(entry: dict[str, Any]) -> bool:
    """Only which snapshot a source was read from changed, in no other column or row."""
    columns, rows = entry["columns"], entry["rows"]
    return (
        not any(columns.values())
        and "description" not in entry
        and not rows["added"]
        and not rows["removed"]
        and all(change["changes"].keys() <= SNAPSHOT for change in rows["changed"])
    )


def change_level(tables: dict[str, Any]) -> str | None:
    """major, minor or patch for these differences; None when there are none, or when
    the only ones are new snapshots of sources whose statistics did not change."""
    return LEVELS.get(max((_level(name, entry) for name, entry in tables.items()), default=0))


def report(old: str | None, new: str, tables: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable diff (diff.json): from, to, change level and tables."""
    change = change_level(tables) if old is not None else "initial"
    return {"from": old, "to": new, "change": change, "tables": tables}


def next_version(previous: str | None, level: str | None) -> str:
    """The version after ``previous`` for a change of ``level``; 1.0.0 comes first."""
    if previous is None:
        return "1.0.0"
    if level is None:
        raise ValueError("no difference, no new version")
    major, minor, patch = (int(p) for p in previous.split("."))
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 80 else text[:77] + '…"'


def _row_name(row: dict[str, Any], key: list[str]) -> str:
    name = "/".join(str(row[k]) for k in key)
    if {"value", "unit"} <= row.keys():
        name += f" = {_show(row['value'])} {row['unit']}"
    return f"`{name}`"


def _listed(lines: list[str]) -> list[str]:
    more = len(lines) - LISTED
    return lines[:LISTED] + ([f"- … and {more} more (see diff.json)"] if more > 0 else [])


def _table_lines(name: str, entry: dict[str, Any]) -> list[str]:
    if entry["status"] != "changed":
        return [f"- table `{name}` {entry['status']} ({entry['rows']} rows)"]
    columns, rows = entry["columns"], entry["rows"]
    lines = [f"- column `{c['name']}` added ({c['type']})" for c in columns["added"]]
    lines += [f"- column `{c['name']}` removed" for c in columns["removed"]]
    lines += [
        f"- column `{c['name']}` retyped: {c['old']} → {c['new']}" for c in columns["retyped"]
    ]
    lines += [f"- description of `{c['name']}` changed" for c in columns["redescribed"]]
    if "description" in entry:
        lines.append("- table description changed")
    if name not in STABLE:
        counts = ", ".join(
            f"{len(rows[k])} {k}" for k in ("added", "removed", "changed") if rows[k]
        )
        return [*lines, f"- rows: {counts}"] if counts else lines
    key = primary_key(schema_for(name))
    rows_text = [f"- added {_row_name(r, key)}" for r in rows["added"]]
    rows_text += [f"- removed {_row_name(r, key)}" for r in rows["removed"]]
    for change in rows["changed"]:
        cells = "; ".join(
            f"{c}: {_show(v['old'])} → {_show(v['new'])}" for c, v in change["changes"].items()
        )
        rows_text.append(f"- changed {_row_name(change['key'], key)}: {cells}")
    return lines + _listed(rows_text)


def summary(tables: dict[str, Any]) -> list[str]:
    """The differences as Markdown, a heading and a list per table."""
    lines: list[str] = []
    for name, entry in tables.items():
        lines += [f"### {name}", "", *_table_lines(name, entry), ""]
    return lines


def changelog_entry(
    report: dict[str, Any], created: str, sources: list[str], notes: str | None = None
) -> str:
    """One CHANGELOG.md section for the release a diff report (diff.json) describes;
    ``notes``, the maintainers' prose for this version, come first."""
    head = f"## {report['to']} ({created[:10]})"
    if notes:
        head += "\n\n" + notes.strip()
    if report["from"] is None:
        rows = report["tables"]["observations"]["rows"]
        ids = ", ".join(f"`{s}`" for s in sources)
        return f"{head}\n\nFirst release: {rows} observations from {len(sources)} sources: {ids}.\n"
    intro = f"{report['change'].capitalize()} release; changes since {report['from']}:"
    return "\n".join([head, "", intro, "", *summary(report["tables"])])
