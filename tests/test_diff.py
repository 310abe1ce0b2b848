"""csedata.diff: how a change of columns, rows or sources sets the next version, and
diff.json's rows matched on their key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from csedata import diff, publish


def _table(folder: Path, df: pd.DataFrame, descriptions: dict[str, str]) -> dict[str, Path]:
    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = [f.with_metadata({"description": descriptions.get(f.name, "")}) for f in table.schema]
    path = folder / "t.parquet"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.cast(pa.schema(fields)), path)
    return {"tables/s/t": path}


@pytest.mark.parametrize(
    ("change", "level"),
    [
        (lambda df, d: (df, d), None),
        (lambda df, d: (df.assign(n=[1.0, 5.0]), d), "patch"),
        (lambda df, d: (df, {**d, "n": "a new description"}), "patch"),
        (lambda df, d: (df.iloc[:1], d), "patch"),  # source tables' rows are not public ids
        (lambda df, d: (df.assign(extra=["x", "y"]), d), "minor"),
        (lambda df, d: (df.drop(columns=["n"]), d), "major"),
        (lambda df, d: (df.assign(n=df["n"].astype("int64")), d), "major"),
    ],
    ids=["same", "value", "description", "row", "column-added", "column-removed", "retyped"],
)
def test_change_levels_of_columns(tmp_path: Path, change: object, level: str | None) -> None:
    old_df = pd.DataFrame({"category": ["a", "b"], "n": [1.0, 2.0]})
    old_desc = {"category": "slug", "n": "count"}
    new_df, new_desc = change(old_df.copy(), dict(old_desc))  # type: ignore[operator]
    tables = diff.compare(
        _table(tmp_path / "old", old_df, old_desc), _table(tmp_path / "new", new_df, new_desc)
    )
    assert diff.change_level(tables) == level


def test_days_in_json_are_iso_text() -> None:
    """A row of diff.json may hold a period's days (datetime.date from Arrow)."""
    assert (
        publish._json({"period_end": date(2019, 9, 30)}) == '{\n  "period_end": "2019-09-30"\n}\n'
    )
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        publish._json({"x": {1}})


def test_next_version() -> None:
    assert diff.next_version(None, "minor") == "1.0.0"
    assert diff.next_version("1.4.2", "patch") == "1.4.3"
    assert diff.next_version("1.4.2", "minor") == "1.5.0"
    assert diff.next_version("1.4.2", "major") == "2.0.0"


def test_row_changes_match_on_the_key_in_key_order(tmp_path: Path) -> None:
    old = pa.table(
        {
            "source_id": ["b", "a", "a", "c"],
            "char_start": [1, 2, 1, 5],
            "note": [None, "x", None, "gone"],
            "n": [1.0, float("nan"), 3.0, 4.0],
        }
    )
    new = pa.table(
        {
            "source_id": ["a", "a", "b", "d"],
            "char_start": [1, 2, 1, 0],
            "note": ["now set", "x", None, "new"],
            "n": [3.0, float("nan"), 2.0, 0.0],
        }
    )
    key, columns = ["source_id", "char_start"], ["source_id", "char_start", "note", "n"]
    pq.write_table(old, tmp_path / "old.parquet", row_group_size=2)  # read a column at a time
    pq.write_table(new, tmp_path / "new.parquet")
    files, names = (tmp_path / "old.parquet", tmp_path / "new.parquet"), (columns, columns)
    rows = diff._row_changes(*files, key, columns, names)
    assert rows["added"] == [{"source_id": "d", "char_start": 0, "note": "new", "n": 0.0}]
    assert rows["removed"] == [{"source_id": "c", "char_start": 5, "note": "gone", "n": 4.0}]
    # missing equals missing (None, NaN); a value set where there was none is a change
    assert rows["changed"] == [
        {
            "key": {"source_id": "a", "char_start": 1},
            "changes": {"note": {"old": None, "new": "now set"}},
        },
        {"key": {"source_id": "b", "char_start": 1}, "changes": {"n": {"old": 1.0, "new": 2.0}}},
    ]


def _changed_row(changes: dict[str, object]) -> dict[str, object]:
    none: dict[str, list[object]] = {"added": [], "removed": [], "retyped": [], "redescribed": []}
    row = {
        "key": {"source_id": "s"},
        "changes": {c: {"old": 1, "new": v} for c, v in changes.items()},
    }
    return {
        "status": "changed",
        "columns": none,
        "rows": {"added": [], "removed": [], "changed": [row]},
    }


@pytest.mark.parametrize(
    ("sources", "others", "level"),
    [
        ({"sha256": "b", "file": "f2", "bytes": 2, "accessed": "d"}, False, None),
        ({"sha256": "b", "citation": "new wording"}, False, "patch"),
        ({"sha256": "b", "accessed": "d"}, True, "patch"),
    ],
    ids=["new-snapshot-only", "citation-changed", "statistic-changed"],
)
def test_a_new_snapshot_alone_makes_no_release(
    sources: dict[str, object], others: bool, level: str | None
) -> None:
    tables = {"sources": _changed_row(sources)}
    if others:  # a value of an observation changed with the snapshot
        tables["observations"] = _changed_row({"value": 2.0})
    assert diff.change_level(tables) == level
