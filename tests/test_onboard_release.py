"""A new source end to end, as the README's "Adding a source" walks through it: add-source
from a URL, the draft edited as a maintainer would, check-spec until clean, release."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from localsite import Page, Site
from typer.testing import CliRunner

from csedata.cli import app, run_release
from csedata.registry import load_registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from report_pdf import DISTRICTS, REPORT_TABLES  # noqa: E402

PDF = FIXTURES / "pdf" / "report.pdf"
SID = "fixture-report"
FIELDS = [
    "--title=Sentencing Statistics by Offense Type (synthetic fixture)",
    "--publisher=csedata tests",
    "--kind=primary_statistics",
    "--jurisdiction=Nowhere (synthetic)",
]
KEPT = ("table-1-offenders-by-offense-type", "table-3-age-of-the-youngest-victim")
KEPT += ("table-4-offenders-by-district",)
# Table 2's two columns are both months: its cells become figures, each quoting its row
MONTHS = [("Production", 275, 240), ("Distribution", 136, 120), ("Possession", 84, 72)]
MEASURES = {"mean": "average-sentence-months", "median": "median-sentence-months"}
FIGURES = [
    f'  - {{id: {stat}-{row.lower()}, table_id: sentence-length, quote: "{row}\\t{mean}\\t'
    f'{median}", value: "{value}", label: {row}, title: "{stat.capitalize()} sentence, '
    f'{row.lower()}", unit: months, measure: {MEASURES[stat]}}}'
    for row, mean, median in MONTHS
    for stat, value in (("mean", mean), ("median", median))
]
# the one quantity the vocabulary lacks: a maintainer adds it to flows/vocabularies/
MEDIAN = """  - measure_id: median-sentence-months
    unit: months
    definition: "Median length of the sentences imposed, in months."
"""
EXCLUSIONS = [
    '  - {within: "1,204 offenders", reason: restated, note: the total of Table 1}',
    *(
        f'  - {{within: "Table {n}.", reason: non-statistical, note: a table number}}'
        for n in range(1, 5)
    ),
    '  - {within: "sum to 100", reason: non-statistical, note: a note on rounding}',
    '  - {within: "counted as 470 months", reason: non-statistical, note: a counting rule}',
]


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def cli(*args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, list(args))
    return done.exit_code, done.stdout, done.stderr


def keep_tables(draft: str) -> str:
    """Step 1: the defaults set (measure, universe, producer, place), the drafted entries
    of the kept tables uncommented (their drafted row titles kept)."""
    measures = "{count: offenders-sentenced, percent: share-of-offenders}"
    draft = draft.replace("  measure: null", f"  measure: {measures}")
    draft = draft.replace("  universe: null", "  universe: offenders sentenced in the year covered")
    draft = draft.replace("  producer: null", "  producer: unknown")
    draft = draft.replace("  place: null", "  place: unknown")
    draft = draft.replace("tables: []", "tables:")
    for table_id in KEPT:
        entry = re.search(rf"#  - table_id: {table_id}\n(#    .*\n)*", draft)
        assert entry is not None
        kept = [line[1:] for line in entry.group().splitlines()]
        draft = draft.replace(entry.group(), "\n".join(kept) + "\n")
    return draft


def explain_the_rest(draft: str) -> str:
    """Step 2: Table 2 as figures; the drafted exclusions of row-label numbers uncommented,
    and the other tokens excluded with their reasons."""
    draft = draft.replace("figures: []", "figures:\n" + "\n".join(FIGURES))
    draft = re.sub(r"^exclude: \[\].*$", "exclude:\n" + "\n".join(EXCLUSIONS), draft, flags=re.M)
    return re.sub(r"^#(  - \{within: .*reason: name.*)$", r"\1", draft, flags=re.M)


def _quotes_on_their_pages(released: pd.DataFrame, ours: pd.DataFrame) -> None:
    """The page each quote starts on: Table 1 on page 1, Table 4 from page 1 onto page 2,
    no page for the registered text sources."""
    assert set(ours.loc[ours["table_id"] == KEPT[0], "page"]) == {1}
    districts = ours[ours["table_id"] == KEPT[2]]
    first = districts["label"].isin(["Total", *DISTRICTS[:4]])  # above page 1's foot
    assert set(districts.loc[first, "page"]) == {1}
    assert set(districts.loc[~first, "page"]) == {2}
    others = released[released["source_id"] != SID]  # the registered text sources
    assert len(others) and others["page"].isna().all()


def test_a_pdf_at_a_url_is_added_explained_and_released(
    project: Path, site: Site, prefect_api: str
) -> None:
    site.pages["/report.pdf"] = Page(PDF.read_bytes(), "application/pdf")
    root = ["--root", str(project)]
    code, out, _ = cli("add-source", site.url("/report.pdf"), "--id", SID, *FIELDS, *root)
    assert (code, out) == (
        0,
        f"registered {SID}: raw/{SID}.pdf (application/pdf)\ndraft spec: flows/specs/{SID}.yaml\n"
        f"next: edit the draft, then check-spec {SID} until clean, then release\n",
    )
    source = load_registry(project)[SID]
    assert (source.url, source.content_type) == (site.url("/report.pdf"), "application/pdf")
    assert (project / "raw" / source.file).read_bytes() == PDF.read_bytes()

    # the draft explains nothing yet: check-spec lists every token with its sentence
    code, out, _ = cli("check-spec", SID, *root)
    lines = out.splitlines()
    assert code == 1 and lines[-1].startswith(f"flows/specs/{SID}.yaml: 145 of 145 number tokens")
    assert lines[0] == (
        "  line 5, col 41 (char 202): '1,204' in 'In the fiscal year covered, 1,204 "
        "offenders were sentenced for the offenses below.'"
    )
    assert "  line 9, col 7 (char 316): '1,204' in 'Total | 1,204 | 100.0%'" in lines

    spec = project / "flows" / "specs" / f"{SID}.yaml"
    spec.write_text(keep_tables(spec.read_text()))
    code, out, _ = cli("check-spec", SID, *root)
    assert code == 1 and "(94 extracted, 0 excluded)" in out.splitlines()[-1]
    assert "'240' in 'Production | 275 | 240'" in out and "'District 38 | 17 | 1.7%'" in out

    spec.write_text(explain_the_rest(spec.read_text()))
    with (project / "flows" / "vocabularies" / "measures.yaml").open("a") as measures:
        measures.write(MEDIAN)
    code, out, _ = cli("check-spec", SID, *root)
    assert (code, out) == (
        0,
        f"flows/specs/{SID}.yaml: every number token explained (100 extracted, 45 excluded)\n",
    )

    outcome = run_release(project, None)
    assert (outcome.release.status, outcome.release.version) == ("written", "1.0.0")
    released = pd.read_parquet(outcome.release.path / "observations.parquet")
    ours = released[released["source_id"] == SID]
    for table_id, (caption, (_, *rows), _) in zip(
        KEPT, (REPORT_TABLES[0], *REPORT_TABLES[2:]), strict=True
    ):
        assert table_id.startswith(caption.split(".")[0].lower().replace(" ", "-"))
        table = ours[ours["table_id"] == table_id]
        got = sorted((o.label, o.value_text) for o in table.itertuples())
        assert got == sorted((r[0], cell) for r in rows for cell in r[1:])
    months = ours[ours["table_id"] == "sentence-length"]
    assert sorted(months["value"]) == [72, 84, 120, 136, 240, 275]
    assert set(months["unit"]) == {"months"}
    _quotes_on_their_pages(released, ours)


def test_a_url_that_fails_is_one_line_and_writes_nothing(project: Path, site: Site) -> None:
    registry = (project / "raw" / "sources.yaml").read_bytes()
    url = site.url("/missing.pdf")
    code, out, err = cli("add-source", url, "--id", SID, *FIELDS, "--root", str(project))
    assert (code, out, err) == (1, "", f"error: {url}: HTTP 404\n")
    assert (project / "raw" / "sources.yaml").read_bytes() == registry
    assert not (project / "flows" / "specs" / f"{SID}.yaml").exists()
    code, out, err = cli("check-spec", SID, "--root", str(project))
    assert (code, out, err) == (1, "", f"error: raw/sources.yaml: unknown source id {SID!r}\n")
