"""verify re-validates a release a part at a time, as the build does, and finds what one
part holding every table finds; what spans parts (an id in two) from keys."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from csedata import datapackage, publish, verify
from csedata.validation import Validated, parts, released, stored
from tests.changes import Frames


@pytest.fixture
def folder(tmp_path: Path, frames: Frames, validate: Callable[[Frames], Validated]) -> Path:
    return publish.publish(tmp_path, validate(frames), None).path


def _replace(folder: Path, name: str, table: pa.Table) -> None:
    """``name``'s table rewritten and listed with its new bytes: only the rows are wrong,
    as a damaged build would have written them."""
    pq.write_table(table, folder / f"{name}.parquet")
    _relist(folder, folder / f"{name}.parquet", table.num_rows)


def _relist(folder: Path, path: Path, rows: int) -> None:
    """``path``'s bytes as they are now, in datapackage.json and the manifest."""
    manifest = json.loads((folder / "manifest.json").read_text())
    package = datapackage.read(folder)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    [resource] = [r for r in package["resources"] if r["path"] == path.name]
    resource["hash"] = f"sha256:{digest}"
    (folder / datapackage.FILE).write_text(json.dumps(package, indent=2))
    entry = {"sha256": digest, "bytes": path.stat().st_size, "rows": rows}
    manifest["files"][path.name].update(entry)
    raw = (folder / datapackage.FILE).read_bytes()
    described = {"sha256": hashlib.sha256(raw).hexdigest(), "bytes": len(raw)}
    manifest["files"][datapackage.FILE].update(described)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _a_source_a_part(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Parts of a source each (a source without observations joins the next): several."""
    monkeypatch.setattr(stored, "PART_ROWS", 1)
    assert released.Released(datapackage.tables(folder)).count > 1


def test_an_id_in_two_parts_is_found(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    _a_source_a_part(monkeypatch, folder)
    sources = pq.read_metadata(folder / "sources.parquet").num_rows
    assert released.Released(datapackage.tables(folder)).count == sources
    obs = pq.read_table(folder / "observations.parquet")
    ids, sources = obs["observation_id"].to_pylist(), obs["source_id"].to_pylist()
    other = next(i for i, s in enumerate(sources) if s != sources[0])  # another part's row
    ids[other] = ids[0]
    column = obs.schema.get_field_index("observation_id")
    _replace(folder, "observations", obs.set_column(column, obs.schema.field(column), [ids]))

    expected = f"observation_id.unique: row {ids[0]!r}: Expected: observation_id is unique."
    found = verify.problems(folder)
    assert any(expected in line and "(in two parts)" in line for line in found), found
    # each part alone holds the id once: only the check of keys across parts sees it
    monkeypatch.setattr(parts, "_unique_across", lambda stored, results: results)
    assert not any(expected in line for line in verify.problems(folder))


def _reversed(table: pa.Table) -> pa.Table:
    return table.take(pa.array(range(table.num_rows - 1, -1, -1)))


def _without_first(table: pa.Table) -> pa.Table:
    return table.slice(1)


def _no_quote(table: pa.Table) -> pa.Table:
    return table.drop_columns(["quote"])


def _unknown_source(table: pa.Table) -> pa.Table:
    """The first row's source one the release does not hold (it stays in its part)."""
    sources = table["source_id"].to_pylist()
    sources[0] = "no-such-source"
    column = table.schema.get_field_index("source_id")
    return table.set_column(column, table.schema.field(column), [sources])


@pytest.mark.parametrize(
    ("name", "damage", "failures"),
    [
        ("observations", _reversed, 0),  # the rows of a part, read out of order, still held
        ("measures", _without_first, 2),  # a missing measure, named once, not once a part
        ("statistics", _without_first, 1),
        ("observations", _no_quote, 3),
        ("observations", _unknown_source, 2),  # and it is not paged as its source is
    ],
    ids=[
        "observations-reversed",
        "measure-missing",
        "statistic-missing",
        "column-missing",
        "source-unknown",
    ],
)
def test_parts_find_what_one_part_finds(
    monkeypatch: pytest.MonkeyPatch,
    folder: Path,
    name: str,
    damage: Callable[[pa.Table], pa.Table],
    failures: int,
) -> None:
    _replace(folder, name, damage(pq.read_table(folder / f"{name}.parquet")))
    whole = verify.problems(folder)
    assert len(whole) == failures, whole
    _a_source_a_part(monkeypatch, folder)
    assert verify.problems(folder) == whole


def test_a_damaged_page_is_one_line_naming_the_file(folder: Path) -> None:
    """A table whose footer reads but whose rows do not (listed with its new bytes)."""
    path = folder / "observations.parquet"
    rows = pq.read_metadata(path).num_rows
    data = bytearray(path.read_bytes())
    data[20:60] = bytes(40)  # the first column's first page, after the magic bytes
    path.write_bytes(bytes(data))
    _relist(folder, path, rows)
    [line] = verify.problems(folder)
    assert line.startswith(f"{path}: not a readable Parquet file"), line


def _renamed(table: pa.Table, columns: list[str], old: str, new: str) -> pa.Table:
    for name in columns:
        at = table.schema.get_field_index(name)
        values = [new if v == old else v for v in table[name].to_pylist()]
        table = table.set_column(at, table.schema.field(at), [values])
    return table


def test_a_statistic_goes_with_its_observation(
    monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    """An id that does not begin with its source (the build holds to no such rule), its
    statistic listed last: it is checked in its observation's part, and the release verifies."""
    obs = pq.read_table(folder / "observations.parquet")
    primary = obs.filter(pc.field("is_primary"))["observation_id"][0].as_py()
    odd = "odd/" + primary
    _replace(
        folder, "observations", _renamed(obs, ["observation_id", "statistic_id"], primary, odd)
    )
    ledger = pq.read_table(folder / "ledger.parquet")
    _replace(folder, "ledger", _renamed(ledger, ["observation_id"], primary, odd))
    stats = _renamed(pq.read_table(folder / "statistics.parquet"), ["statistic_id"], primary, odd)
    mine = pc.equal(stats["statistic_id"], odd)
    _replace(
        folder,
        "statistics",
        pa.concat_tables([stats.filter(pc.invert(mine)), stats.filter(mine)]),
    )
    assert verify.problems(folder) == []
    _a_source_a_part(monkeypatch, folder)
    assert verify.problems(folder) == []


def test_a_table_without_its_source_column_is_one_part_named(
    monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    """The ledger without source_id: its rows, naming no part, are read with the first,
    and what fails is named by the table (its rows cannot be), not a traceback."""
    ledger = pq.read_table(folder / "ledger.parquet")
    _replace(folder, "ledger", ledger.drop_columns(["source_id"]))
    whole = verify.problems(folder)
    assert f"{folder}: columns-present: table ledger: Column 'source_id' is missing." in whole
    _a_source_a_part(monkeypatch, folder)
    assert verify.problems(folder) == whole
