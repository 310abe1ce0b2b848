"""A release checked a part at a time is the release checked whole: the same tables (to
the Parquet byte), the same report; what spans parts (an id in two parts, a statistic
that sources in different parts print) is found from keys."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from csedata import durable, parquet, pipeline, statistics, validation
from csedata.registry import load_registry
from csedata.spec import Declarations, SameFigure, load_cross_source
from csedata.validation import stored
from csedata.validation.relations import CROSS, weigh_all
from schemas import schema_for
from tests.conftest import REPO


def _checked(project: Path, batch_size: int, part_rows: int) -> validation.Checked:
    with pytest.MonkeyPatch.context() as patch:  # undone after: verify reads parts too
        patch.setattr(stored, "PART_ROWS", part_rows)
        groups = pipeline.plan(project, None, batch_size)
        return pipeline.check(project, pipeline.extract_batches(project, groups))


def _linked_whole(project: Path, obs: pd.DataFrame) -> pd.DataFrame:
    """The observations linked as one frame, by every `same` declaration at once."""
    extracted = pipeline.extract_batches(project, pipeline.plan(project, None))
    declared = pipeline.declarations(extracted.parts)
    same = [(sid, r) for sid, d in declared.items() for r in d.checks]
    same += [(CROSS, r) for r in load_cross_source(project).checks]
    same = [(scope, r) for scope, r in same if isinstance(r, SameFigure)]
    small = pipeline.small_tables(project, extracted.sources)
    bare = obs.drop(columns=["statistic_id", "is_primary", "flags"])
    outcomes = weigh_all(bare, same, [s.source_id for s in extracted.sources])
    linked, _ = statistics.link(bare, small["sources"], small["producers"], outcomes)
    return linked


def test_parts_give_the_tables_and_the_report_of_one_part(project: Path, tmp_path: Path) -> None:
    whole = _checked(project, 250, 10**9)
    parted = _checked(project, 1, 1)  # a source a part
    assert whole.tables.count == 1
    assert parted.tables.count == len(load_registry(project)) > 1
    assert parted.report == whole.report
    for name in whole.tables.order:
        written = []
        for checked, folder in ((whole, "one"), (parted, "many")):
            path = tmp_path / folder / f"{name}.parquet"
            parquet.write_parts(checked.tables.parts(name), path, checked.tables.schema(name))
            written.append(durable.sha256(path))
        assert written[0] == written[1], name
    # a cross-source `same` linked observations of two parts into one statistic, as a
    # link of the whole corpus at once links them
    assert (parted.tables.frame("statistics")["n_sources"] > 1).any()
    obs = parted.tables.frame("observations")
    expected = _linked_whole(project, obs)
    for column in ("statistic_id", "is_primary"):
        assert expected[column].tolist() == obs[column].tolist()


def _parts(frames: dict[str, pd.DataFrame], cut: int) -> list[validation.Part]:
    """The SPLIT tables of the first ``cut`` sources, and of the rest."""
    ids = [str(s) for s in frames["sources"]["source_id"]]
    out: list[validation.Part] = []
    for keep in (ids[:cut], ids[cut:]):
        obs, stats = frames["observations"], frames["statistics"]
        part = {
            "observations": obs[obs["source_id"].isin(keep)],
            "ledger": frames["ledger"][frames["ledger"]["source_id"].isin(keep)],
            "tables": frames["tables"][frames["tables"]["source_id"].isin(keep)],
            "statistics": stats[stats["statistic_id"].astype(str).str.split("/").str[0].isin(keep)],
        }
        out.append(({k: v.reset_index(drop=True) for k, v in part.items()}, keep))
    return out


def _check(
    frames: dict[str, pd.DataFrame], parts: list[validation.Part], declared: dict[str, Declarations]
) -> validation.Checked:
    small = {k: v for k, v in frames.items() if k not in validation.SPLIT}
    crossed = validation.crossed(REPO, frames["observations"])
    primaries = crossed.loc[crossed["is_primary"], "statistic_id"]
    return validation.check_parts(REPO, list(frames), small, declared, crossed, parts, primaries)


def test_an_id_in_two_parts_is_a_repeat(
    frames: dict[str, pd.DataFrame], declarations: dict[str, Declarations]
) -> None:
    parts = _parts(frames, _across(frames))
    assert _check(frames, parts, declarations).report.summary.errors == 0
    first, second = parts[0][0]["observations"], parts[1][0]["observations"]
    planted = first["observation_id"].iat[0]
    second.loc[second.index[-1], "observation_id"] = planted
    report = _check(frames, parts, declarations).report
    (unique,) = [c for c in report.checks if c.id.endswith("observation_id:field_uniqueness")]
    assert unique.errors == 2  # both rows, as pandera counts a repeat within a table
    assert {f.where for f in unique.failures} == {f"row {planted!r}"}
    assert validation.first_error(report) is not None


def _across(frames: dict[str, pd.DataFrame]) -> int:
    """Where to cut the sources so that the first part names a statistic of the second."""
    obs = frames["observations"]
    ids = [str(s) for s in frames["sources"]["source_id"]]
    held = obs["statistic_id"].astype(str).str.split("/").str[0]
    for cut in range(1, len(ids)):
        if (obs["source_id"].isin(ids[:cut]) & held.isin(ids[cut:])).any():
            return cut
    raise AssertionError("no cross-source statistic in the real corpus")


def test_a_statistic_named_from_another_part_must_be_there(
    frames: dict[str, pd.DataFrame], declarations: dict[str, Declarations]
) -> None:
    parts = _parts(frames, _across(frames))
    assert _check(frames, parts, declarations).report.summary.errors == 0
    first, second = parts[0][0], parts[1][0]
    # a statistic the first part's observations name, held by the second part
    named = set(first["observations"]["statistic_id"]) & set(second["statistics"]["statistic_id"])
    assert named
    gone = sorted(named)[0]
    stats = second["statistics"]
    second["statistics"] = stats[stats["statistic_id"] != gone].reset_index(drop=True)
    report = _check(frames, parts, declarations).report
    (reference,) = [c for c in report.checks if c.id == "reference:observations:statistic_id"]
    assert reference.errors >= 1
    assert gone in {f.values["found"] for f in reference.failures}


def test_row_groups_fill_across_parts(
    frames: dict[str, pd.DataFrame], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts of any size give row groups of ROW_GROUP rows (the last one fewer), the rows
    of the parts in order; a single part the bytes of a frame written whole."""
    ledger = frames["ledger"]
    schema = parquet.to_arrow(ledger, schema_for("ledger")).schema
    whole = tmp_path / "whole.parquet"
    parquet.write(ledger, whole, schema_for("ledger"))
    one = tmp_path / "one.parquet"
    parquet.write_parts([parquet.to_arrow(ledger, schema_for("ledger"))], one, schema)
    assert durable.sha256(one) == durable.sha256(whole)
    monkeypatch.setattr(parquet, "ROW_GROUP", 7)
    cuts = [0, 3, 15, 16, len(ledger)]
    parts = [
        parquet.to_arrow(ledger.iloc[a:b].reset_index(drop=True), schema_for("ledger"))
        for a, b in itertools.pairwise(cuts)
    ]
    many = tmp_path / "many.parquet"
    parquet.write_parts(parts, many, schema)
    metadata = pq.ParquetFile(many).metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sizes[:-1] == [7] * (len(sizes) - 1) and 0 < sizes[-1] <= 7
    assert parquet.read_frame(many).equals(parquet.read_frame(whole))
