"""The validation report over the real sources: no errors, every known inconsistency,
reviewed in the specs, and what the specs declare, reaching it from the extraction cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Checked

from csedata import batches, validation, yamltext
from csedata.errors import CsedataError
from csedata.pipeline import check_project
from csedata.prepare.dispatch import prepare
from csedata.registry import load_registry

# the inconsistencies the real sources print, found by reading them: (check, source)
KNOWN = {
    ("percent-matches-count", "ussc-2021-production"),  # Other: 11 of 512 printed as 2.2%
    ("relationship-shares-exclusive", "ussc-2021-production"),  # 60.3 + 35.4 + 7.6 = 103.3
    ("parts-sum-to-whole", "itemp-2021-production"),  # 981 + 166 + 90 = 1,237 of 1,340
    ("position-of-trust-of-512", "itemp-2021-production"),  # 60.3% of 512 is 308.7
    ("young-victims-itemp-ussc", None),  # 60% (itemp) against 61.3% (USSC)
}


def test_real_sources_have_no_errors_and_every_known_inconsistency(
    checked: Checked,
) -> None:
    root, frames, declared = checked
    report = validation.build_report(root, frames, declared)
    assert report.summary.errors == 0
    warnings = report.failures("warning")
    assert {(c.name, c.source_id) for c, _ in warnings} == KNOWN
    texts = {sid: prepare(root, s).text for sid, s in load_registry(root).items()}
    for check, failure in warnings:
        # both sides of each inconsistency are quoted, exactly as printed
        assert len(failure.quotes) >= 2, (check.name, failure)
        for q in failure.quotes:
            assert texts[q.source_id][q.char_start : q.char_end] == q.quote
        assert failure.note or check.kind == "cross-source"
    # every check that ran is listed, passed ones included, with counts
    assert report.summary.passed == sum(c.status == "passed" for c in report.checks) > 100
    assert {c.kind for c in report.checks} == {
        "schema",
        "table",
        "declared",
        "cross-source",
        "review",
    }
    assert report.summary.warnings == sum(c.warnings for c in report.checks) == len(KNOWN)


def _edit_spec(root: Path, source_id: str, edit) -> None:  # type: ignore[no-untyped-def]
    path = root / "flows" / "specs" / f"{source_id}.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_unreviewed_inconsistency_is_an_error_and_stale_review_too(project: Path) -> None:
    # drop the review of "Other 2.2%" and review a row that adds up
    _edit_spec(
        project,
        "ussc-2021-production",
        lambda d: d["inconsistencies"].__setitem__(
            0, {**d["inconsistencies"][0], "category": "victim-produced"}
        ),
    )
    report = check_project(project, None)
    errors = {(c.name, f.where) for c, f in report.failures("error")}
    assert errors == {
        ("percent-matches-count", "table method-of-production, row 'Other'"),
        (
            "reviewed-inconsistency-occurs",
            "inconsistency percent-matches-count (method-of-production, victim-produced)",
        ),
    }
    error = validation.first_error(report)
    assert error is not None
    assert str(error).startswith(
        "raw/ussc-2021-10-production-offenses-overview.txt (ussc-2021-production): "
        "table method-of-production, row 'Other' at char "
    )
    assert "check percent-matches-count failed: 11 of 512 is 2.1484%, printed 2.2%" in str(error)


def test_declarations_reach_the_report_from_the_extraction_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation takes the specs' checks and inconsistencies from the batch: a run from
    the cache parses no source's spec, and a changed spec is extracted again under a new
    key, with what it now declares."""
    first = check_project(project, None)
    assert {(c.name, c.source_id) for c, _ in first.failures("warning")} == KNOWN
    (entry,) = (project / batches.CACHE).glob("batch-*")
    # only the sources that declare something, or tell a case story, are stored
    stored = json.loads((entry / "declarations.json").read_bytes())
    assert set(stored) == {
        "itemp-2021-production",
        "ussc-2021-production",
        "minneapolis-2013-trafficking",
    }
    assert stored["minneapolis-2013-trafficking"]["case_story_words"]

    parsed: list[str] = []
    load = yamltext.load

    def counting(root: Path, path: Path, where: str) -> object:
        parsed.append(path.name)
        return load(root, path, where)

    monkeypatch.setattr(yamltext, "load", counting)
    assert check_project(project, None) == first
    # no source's spec; the vocabularies once each, as tables of the release;
    # the cross-source checks by assembly (which links the same figures) and by validation
    assert sorted(parsed) == [
        "_cross_source.yaml",
        "_cross_source.yaml",
        "measures.yaml",
        "places.yaml",
        "producers.yaml",
        "sources.yaml",
    ]

    sid = "ussc-2021-production"

    def edit(spec: dict[str, Any]) -> None:
        spec["inconsistencies"][0]["note"] = "Reviewed again."
        spec["checks"] = [c for c in spec["checks"] if c["id"] != "fy2019-offenders-agree"]

    _edit_spec(project, sid, edit)
    changed = check_project(project, None)
    assert f"{sid}.yaml" in parsed  # extracted again
    assert {e.name for e in (project / batches.CACHE).glob("batch-*")} - {entry.name}
    assert {c.id for c in first.checks} - {c.id for c in changed.checks} == {
        f"declared:{sid}:fy2019-offenders-agree"
    }
    notes = {f.note for c, f in changed.failures("warning") if c.source_id == sid}
    assert "Reviewed again." in notes


def test_declared_check_may_not_take_a_table_checks_name(project: Path) -> None:
    _edit_spec(
        project,
        "itemp-2021-production",
        lambda d: d["checks"][0].__setitem__("id", "parts-sum-to-whole"),
    )
    with pytest.raises(CsedataError) as raised:
        check_project(project, None)
    assert str(raised.value) == (
        "flows/specs/itemp-2021-production.yaml: checks: id 'parts-sum-to-whole' "
        "names a table check"
    )
