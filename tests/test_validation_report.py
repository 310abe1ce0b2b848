"""The validation report over the real sources, and what reviewers see of it."""

from __future__ import annotations

import gc
import html.parser
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from benchmarks import browser
from csedata import batches, codedigest, threads, validation, yamltext
from csedata.errors import CsedataError
from csedata.pipeline import check_project
from csedata.registry import load_registry, read_text
from csedata.report import markdown, render, write_report
from csedata.spec import Declarations

REPO = Path(__file__).resolve().parent.parent
# the inconsistencies the real sources print, found by reading them: (check, source)
KNOWN = {
    ("percent-matches-count", "ussc-2021-production"),  # Other: 11 of 512 printed as 2.2%
    ("relationship-shares-exclusive", "ussc-2021-production"),  # 60.3 + 35.4 + 7.6 = 103.3
    ("parts-sum-to-whole", "itemp-2021-production"),  # 981 + 166 + 90 = 1,237 of 1,340
    ("position-of-trust-of-512", "itemp-2021-production"),  # 60.3% of 512 is 308.7
    ("young-victims-itemp-ussc", None),  # 60% (itemp) against 61.3% (USSC)
}


# a copy of the project, its extracted tables and what its specs declare
Checked = tuple[Path, dict[str, pd.DataFrame], dict[str, Declarations]]


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """A copy of the project and its extraction, shared by this module's tests."""
    root = tmp_path_factory.mktemp("checked")
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "flows" / "specs", root / "flows" / "specs")
    shutil.copytree(REPO / "flows" / "vocabularies", root / "flows" / "vocabularies")
    report = check_project(root, None)  # extracts into root/.cache
    assert report.summary.errors == 0
    from csedata.pipeline import assemble, declarations, extract_batch

    sources = [source for _, source in sorted(load_registry(root).items())]
    batch = extract_batch(root, sources)
    assert batch.cached  # check_project extracted the same batch
    return root, assemble(root, sources, [batch.path]), declarations([batch.path])


def test_real_sources_have_no_errors_and_every_known_inconsistency(
    checked: Checked,
) -> None:
    root, frames, declared = checked
    report = validation.build_report(root, frames, declared)
    assert report.summary.errors == 0
    warnings = report.failures("warning")
    assert {(c.name, c.source_id) for c, _ in warnings} == KNOWN
    texts = {sid: read_text(root, s) for sid, s in load_registry(root).items()}
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


def test_json_parquet_and_markdown_contents(checked: Checked) -> None:
    root, frames, declared = checked
    report = validation.build_report(root, frames, declared)
    files = render(report.stamped("9.9.9", "2026-01-02T03:04:05Z"))
    data = json.loads(files["report.json"])
    # the header: which release, its inputs and the code
    assert data["release"] == {"version": "9.9.9", "created": "2026-01-02T03:04:05Z"}
    assert data["code_sha256"] == codedigest.code_digest()
    assert data["inputs"] == dict(
        zip(frames["sources"]["source_id"], frames["sources"]["sha256"], strict=True)
    )
    # every check by name, its counts adding up to the summary
    for key in ("passed", "failed", "errors", "warnings"):
        assert sum(g[key] for g in data["by_check"]) == data["summary"][key]
    # every result that did not pass, in full; every declared relation with its values
    results = {r["id"]: r for r in data["results"]}
    assert {c.id for c in report.checks if c.status != "passed"} <= set(results)
    passing = [
        r for r in data["results"] if r["kind"] == "cross-source" and r["status"] == "passed"
    ]
    assert passing and all(r["values"]["finding"] and r["observation_ids"] for r in passing)
    for c, f in report.failures("warning"):
        listed = results[c.id]["failures"]
        assert any(set(f.observation_ids) == set(g["observation_ids"]) for g in listed)
        assert f.observation_ids and f.values
    # no float error in the file: every number as printed or rounded for reading
    assert not re.search(rb"\d\.\d*0000000\d|\d\.\d*9999999\d", files["report.json"])
    # every result, passed or not, one row each in results.parquet
    table = pq.read_table(io.BytesIO(files["results.parquet"])).to_pandas()
    assert len(table) == report.summary.checks == table["id"].nunique()
    assert (table["status"] == "passed").sum() == report.summary.passed
    assert render(report.stamped("9.9.9", "2026-01-02T03:04:05Z")) == files  # same bytes

    md = files["report.md"].decode()
    assert md == markdown(report.stamped("9.9.9", "2026-01-02T03:04:05Z"))
    assert "Covers **release 9.9.9, created 2026-01-02T03:04:05Z**" in md
    # errors, then unreviewed, then reviewed warnings; each warning with its note
    order = [md.index(f"## {h}") for h in ("Errors", "Unreviewed warnings", "Reviewed warnings")]
    assert order == sorted(order)
    for c, f in report.failures("warning"):
        note = f.note if f.reviewed else c.note
        assert note and " ".join(note.split()) in " ".join(md.split()), c.name
        for q in f.quotes:  # line breaks kept, the value in bold
            assert q.value_at is not None and q.value_text
            end = q.value_at + len(q.value_text)
            bold = f"{q.quote[: q.value_at]}**{q.value_text}**{q.quote[end:]}"
            assert "\n".join(f"  > {line}".rstrip() for line in bold.split("\n")) in md
    assert any("\n" in q.quote for _, f in report.failures("warning") for q in f.quotes)


class _Page(html.parser.HTMLParser):
    """What a reader sees of the page: text by element id, rows by class, all text."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, str] = {}
        self.rows: dict[str, list[str]] = {}
        self.external: list[str] = []
        self.text: list[str] = []
        self._open: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("src", "href"):
            if a.get(name) and not str(a[name]).startswith("#"):
                self.external.append(str(a[name]))
        if tag in ("br", "meta", "line", "rect", "link", "img"):
            return
        self._open.append((tag, a.get("id"), a.get("class")))
        self.text.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta", "line", "rect", "link", "img") or not self._open:
            return
        _, ident, cls = self._open.pop()
        text = self.text.pop()
        if self.text:
            self.text[-1] += text
        if ident:
            self.ids[ident] = " ".join(text.split())
        if tag == "tr" and cls:
            self.rows.setdefault(cls, []).append(" ".join(text.split()))

    def handle_data(self, data: str) -> None:
        if self.text:
            self.text[-1] += data


@pytest.mark.skipif(
    not browser.available(),
    reason="chromium is not installed (Debian package chromium; ./run test installs it as root)",
)
def test_html_report_in_headless_chromium(checked: Checked, tmp_path: Path) -> None:
    root, frames, declared = checked
    # one digit changed in the table: the page must show the error before the warnings
    obs = frames["observations"].copy()
    broken = obs["observation_id"].str.endswith("offender-sexually-contacted-a-victim/count")
    obs.loc[broken, ["value", "value_text"]] = [362.0, "362"]
    same_line = obs["quote"] == "Offender sexually contacted a victim\t262\t51.2%"
    obs.loc[same_line, "quote"] = "Offender sexually contacted a victim\t362\t51.2%"
    report = validation.build_report(root, {**frames, "observations": obs}, declared)
    page = write_report(render(report), tmp_path / "report") / "report.html"

    found = browser.probe(page)
    dom = _Page()
    dom.feed(found["dom"])
    assert dom.external == []  # self-contained: nothing to fetch
    s = report.summary
    assert dom.ids["count-errors"] == str(s.errors) and s.errors == 2
    assert dom.ids["count-unreviewed"] == str(s.unreviewed) == "1"
    assert dom.ids["count-checks"] == str(s.checks)
    assert dom.ids["covers"] == "Covers an unreleased build"
    assert dom.ids["code"] == report.code_sha256 and len(report.code_sha256) == 64
    assert dom.ids["verdict"].startswith("Blocks the release: 2 errors and 1 unreviewed warning")
    # what needs a decision, in order, each with its note beside it
    sections = [dom.ids[k] for k in ("errors", "unreviewed-warnings", "reviewed-warnings")]
    assert [t.split(" (")[0] for t in sections] == [
        "Errors",
        "Unreviewed warnings",
        "Reviewed warnings",
    ]
    html_text = found["dom"]
    assert [html_text.index(f'id="{k}"') for k in ("errors", "unreviewed-warnings")] == sorted(
        html_text.index(f'id="{k}"') for k in ("errors", "unreviewed-warnings")
    )
    assert "362 of 512 is 70.7031%, printed 51.2%" in sections[0]
    assert "Offender sexually contacted a victim\t<mark>362</mark>\t51.2%" in html_text
    assert "Not reviewed: needs a decision" in sections[1] and "61.3%" in sections[1]
    assert sections[2].count("Reviewed") >= s.warnings - s.unreviewed
    assert "ussc-2021-production/method-of-production/other/count" in sections[2]  # an id
    # the wording says what holds, never the failure condition
    assert "!= char_end" not in html_text and "is not at its offsets" not in html_text
    # the charts: a failing sum drawn failing, no sum for multi-response, no single bar
    charts = dict(re.findall(r'<figure class="chart" id="([^"]+)">(.*?)</figure>', html_text, re.S))
    assert "fill sum failing" in charts["chart-ussc-2021-production-relationship-to-the-victim"]
    assert "fill sum" not in charts["chart-ussc-2021-production-method-of-production"]
    assert all(body.count('class="track"') >= 2 for body in charts.values())
    # laid out at 1280 px: nothing overflows, no value label on a bar or the 100% line, the
    # header and the first decision above the fold
    assert found["width"] == browser.WIDTH and found["page_width"] <= browser.WIDTH
    assert found["overflows"] == [] and found["collisions"] == 0
    assert found["header"]["bottom"] <= found["height"]
    assert found["first_decision"]["top"] + 120 <= found["height"]

    shot = tmp_path / "report.png"
    browser.screenshot(page, shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # the probe sees an overflow when there is one: a quote that may not wrap
    cramped = tmp_path / "cramped" / "report.html"
    cramped.parent.mkdir()
    style = "<style>blockquote { white-space: pre !important; overflow-wrap: normal !important; }"
    cramped.write_text(page.read_text().replace("<style>", style, 1))
    assert any("blockquote" in o for o in browser.probe(cramped)["overflows"])


def test_quote_without_its_value_is_an_error(
    checked: Checked,
) -> None:
    root, frames, declared = checked
    obs = frames["observations"].copy()
    smartphone = obs["observation_id"].str.endswith(
        "method-of-production/smartphone-or-tablet/count"
    )
    obs.loc[smartphone, "value_text"] = "421"  # "241" is what the quote holds
    report = validation.build_report(root, {**frames, "observations": obs}, declared)
    errors = [(c.name, f.where) for c, f in report.failures("error")]
    row = "row 'ussc-2021-production/method-of-production/smartphone-or-tablet/count'"
    assert ("quote_holds_value", row) in errors
    failing = next(c for c in report.checks if c.name == "quote_holds_value")
    assert failing.status == "failed" and failing.severity == "error" and failing.failed == 1
    assert failing.failures[0].quotes[0].quote == "Smartphone or Tablet\t241\t47.1%"


def test_a_repeated_id_and_a_dangling_reference_are_errors(checked: Checked) -> None:
    root, frames, declared = checked
    obs, ledger = frames["observations"].copy(), frames["ledger"].copy()
    assert isinstance(obs["observation_id"].dtype, pd.ArrowDtype)  # the id is held in Arrow
    first, second = obs["observation_id"].iloc[:2]
    obs.loc[1, "observation_id"] = first
    ledger.loc[ledger["observation_id"] == second, "observation_id"] = "nowhere/t/c/count"
    report = validation.build_report(
        root, {**frames, "observations": obs, "ledger": ledger}, declared
    )
    failed = {c.name: c for c in report.checks if c.status == "failed" and c.kind == "schema"}
    assert failed["observation_id.unique"].failed == 2  # both rows that carry it
    assert failed["observation_id.unique"].failures[0].values == {"found": first}
    dangling = failed["ledger.observation_id-reference"]
    assert dangling.failures[0].values == {"found": "nowhere/t/c/count"}
    assert dangling.failed == (frames["ledger"]["observation_id"] == second).sum()


def test_the_collector_is_paused_only_while_a_report_is_built() -> None:
    seen: list[bool] = []

    @threads.collector_paused
    def build(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise CsedataError("x", "failed")

    build(False)
    with pytest.raises(CsedataError):
        build(True)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        build(False)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_page_is_set_exactly_for_a_pdf_source_and_from_1(checked: Checked) -> None:
    root, frames, declared = checked
    obs, sources = frames["observations"], frames["sources"]
    # the real build passes (test_real_sources_have_no_errors...): plant one of each fault
    unpaged = sources.loc[sources["media_type"] != "application/pdf", "source_id"]
    text_source, pdf_source = unpaged.iloc[:2]
    paged = obs.copy()
    on_text = paged.index[paged["source_id"] == text_source]
    paged.loc[on_text[0], "page"] = 0  # a page where there are none, and not from 1
    pdf = sources.copy()
    pdf.loc[pdf["source_id"] == pdf_source, "media_type"] = "application/pdf"  # none paged
    report = validation.build_report(
        root, {**frames, "observations": paged, "sources": pdf}, declared
    )
    failed = {c.name: c for c in report.checks if c.status == "failed" and c.kind == "schema"}
    assert sorted(failed) == ["observations.page-reference", "page.greater_than_or_equal_to"]
    assert failed["page.greater_than_or_equal_to"].failed == 1
    found = {f.values["found"] for f in failed["observations.page-reference"].failures}
    assert found == {f"{text_source} (paged)", f"{pdf_source} (no page)"}
