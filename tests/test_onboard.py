"""csedata add-source: register a published document, prepare it, draft its spec."""

from __future__ import annotations

import stat
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from csedata import draftspec, pipeline
from csedata.cli import app
from csedata.errors import CsedataError
from csedata.extract import extract
from csedata.onboard import add_source
from csedata.prepare.dispatch import prepare
from csedata.registry import load_registry
from csedata.spec import Spec, load_patterns, load_spec

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from report_pdf import REPORT_TABLES  # noqa: E402

PDF = FIXTURES / "pdf" / "report.pdf"
SID = "fixture-report"
FIELDS = {
    "source_id": SID,
    "title": "Sentencing Statistics by Offense Type (synthetic fixture)",
    "publisher": "csedata tests",
    "kind": "primary_statistics",
    "jurisdiction": "Nowhere (synthetic)",
}


def add(project: Path) -> Path:
    source, spec = add_source(project, str(PDF), FIELDS, date(2030, 1, 2))
    assert (source.file, source.media_type) == (f"{SID}.pdf", "application/pdf")
    return spec


def test_registered_read_only_and_the_draft_is_a_valid_spec(project: Path) -> None:
    spec_file = add(project)
    source = load_registry(project)[SID]
    assert (project / "raw" / source.file).read_bytes() == PDF.read_bytes()
    assert not stat.S_IMODE((project / "raw" / source.file).stat().st_mode) & 0o222
    spec = load_spec(project, SID)
    assert (spec.tables, spec.figures, spec.exclude) == ([], [], [])
    draft = spec_file.read_text()
    for caption, _, _ in REPORT_TABLES:
        assert f'#    title: "{caption}"' in draft
    # a number token outside the tables, with its sentence
    assert '#    value: "1,204"' in draft
    assert "were sentenced for the offenses below." in draft
    # a release names what is left: the first token not yet explained
    with pytest.raises(CsedataError, match=r"^raw/fixture-report.pdf: number '1,204' .* neither"):
        pipeline.extract_batch(project, [source])


def test_a_drafted_figure_is_the_whole_figure_as_printed(project: Path) -> None:
    """A newcomer who uncomments a drafted figure gets its qualifier and unit too."""
    text = "About 45% of reports were referred to another agency.\nOne in three was closed.\n"
    draft = draftspec.draft(SID, text, load_patterns(project))
    values = [line for line in draft.splitlines() if line.startswith("#    value: ")]
    assert values == ['#    value: "About 45%"', '#    value: "One in three"']
    lines = draft.splitlines()
    at = lines.index("#  - id: about-45-of-reports-were")
    entry = yaml.safe_load("\n".join(line[3:] for line in lines[at : at + 6]))
    figure = entry[0] | {"table_id": "prose", "label": "reports", "title": "Reports referred"}
    spec = Spec.model_validate(
        {
            "source_id": SID,
            "defaults": {"measure": "reports", "universe": "reports", "period": "2020"}
            | {"producer": "ussc", "place": "us"},
            "figures": [figure],
        }
    )
    source = load_registry(project)["ussc-2021-production"]
    (o,) = extract(source, spec, text)
    assert (o["value"], o["unit"], o["qualifier"]) == (45.0, "percent", "approximate")


def test_the_drafted_tables_extract_every_cell(project: Path) -> None:
    add(project)
    source = load_registry(project)[SID]
    text = prepare(project, source).text
    drafted = draftspec.table_entries(text)
    assert [(e["title"], list(e["row_titles"])) for e in drafted] == [
        (caption, [row[0] for row in rows[1:]]) for caption, rows, _ in REPORT_TABLES
    ]
    # as drafted, each table whose columns have distinct units extracts (Table 2 has two
    # columns of months, which the draft says to split)
    entries = [e for e in drafted if len(set(e["columns"].values())) == len(e["columns"])]
    assert len(entries) == len(REPORT_TABLES) - 1
    spec = Spec.model_validate(
        {
            "source_id": SID,
            "defaults": {
                "measure": {"count": "offenders-sentenced", "percent": "share-of-offenders"},
                "universe": "u",
                "producer": "unknown",
                "place": "unknown",
            },
            "tables": entries,
        }
    )
    observations = extract(source, spec, text)
    data = {caption: rows for caption, rows, _ in REPORT_TABLES}
    for entry in entries:
        header, *body = data[entry["title"]]
        got = [o for o in observations if o["table_id"] == entry["table_id"]]
        assert len(got) == len(body) * (len(header) - 1)
        for row in body:
            assert [o["value_text"] for o in got if o["label"] == row[0]] == row[1:]


def test_refusals_write_nothing(project: Path, tmp_path: Path) -> None:
    add(project)
    registry = (project / "raw" / "sources.yaml").read_text()
    with pytest.raises(CsedataError, match="'fixture-report' is already registered"):
        add_source(project, str(PDF), FIELDS, date(2030, 1, 2))
    image = tmp_path / "chart.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(CsedataError, match=r"chart.png: neither a PDF"):
        add_source(project, str(image), FIELDS | {"source_id": "other"}, date(2030, 1, 2))
    with pytest.raises(CsedataError, match=r"field 'kind'"):
        add_source(
            project, str(PDF), FIELDS | {"source_id": "other", "kind": "blog"}, date(2030, 1, 2)
        )
    assert (project / "raw" / "sources.yaml").read_text() == registry
    assert not (project / "flows" / "specs" / "other.yaml").exists()
    assert yaml.safe_load(registry)["sources"][-1]["source_id"] == SID


def test_the_command(project: Path) -> None:
    args = ["add-source", str(PDF), "--id", SID, "--root", str(project)]
    for key in ("title", "publisher", "kind", "jurisdiction"):
        args += [f"--{key}", FIELDS[key]]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert done.stdout == (
        f"registered {SID}: raw/{SID}.pdf (application/pdf)\ndraft spec: flows/specs/{SID}.yaml\n"
        f"next: edit the draft, then check-spec {SID} until clean, then release\n"
    )
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 1
    assert again.stderr == f"error: raw/sources.yaml: source id '{SID}' is already registered\n"
