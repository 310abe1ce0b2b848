"""No name of a person in any published file: the build refuses, verify finds, redact removes."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from csedata import parquet, privacy, publish, redact, report, store, verify
from csedata.cli import app, run_release
from csedata.errors import CsedataError
from csedata.spec import Declarations, Exclusion, Spec
from csedata.validation import Validated, build_report
from schemas import schema_for
from tests.changes import recount
from tests.conftest import REPO

Validate = Callable[[dict[str, pd.DataFrame]], Validated]

ITEMP = "itemp-2021-production"
PEOPLE = REPO / privacy.PEOPLE_DIR


def _listed() -> set[str]:
    return set(privacy.declared(REPO)[0])


def _tree(folder: Path) -> dict[str, str]:
    """Every file a release run leaves in processed/ (its lock file aside), with its sha256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_every_listed_name_is_in_a_source() -> None:
    """Guard for the tests below: the people files list names the raw texts really hold."""
    text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "raw").rglob("*.txt"))
    people = [
        name
        for path in PEOPLE.glob("*.yaml")
        for name in yaml.safe_load(path.read_text()).get("people", [])
    ]
    assert people, "no people listed beside the specs"
    assert [name for name in people if name not in text] == []


def test_case_story_words_catch_a_name_nobody_listed() -> None:
    text = (
        "In 2020 the Commission counted 512 offenders.\n"
        "Last year the judge sentenced Zed Quimby to 10 years for abusing 3 children, "
        "said the Court. Quimby appealed.\n"
        "The court records show 40 cases. In March it rose.\n"
    )
    spec = Spec(
        source_id="example",
        exclude=[Exclusion(within="to 10 years", reason="case-story")],
    )
    words = privacy.case_story_words(text, spec)
    # the name is caught; a sentence's first word ("Last"), a word also written in lower
    # case ("Court"), a month and a word that occurs outside the story are not
    assert words == ["Quimby", "Zed"]


def test_the_scan_reads_every_text_column(tmp_path: Path, frames: dict[str, pd.DataFrame]) -> None:
    """Every column the schema writes as text (strings, or lists of them) is scanned."""
    for name, df in frames.items():
        path = tmp_path / f"{name}.parquet"
        parquet.write(df, path, schema_for(name))
        table = pq.read_table(path)
        expected = [f.name for f in table.schema if _holds_strings(f.type)]
        assert expected, name
        assert privacy.text_columns(table) == expected


def test_the_scan_names_the_row_in_any_row_group(tmp_path: Path) -> None:
    """The scan reads a column a row group at a time: a hit in a later group still names
    its row of the file (and its key), and a hit in a list its item of the whole column."""
    table = pa.table(
        {
            "observation_id": [f"obs-{i}" for i in range(7)],
            "label": ["offenders"] * 5 + ["offenders (Parsons)", "victims"],
            "flags": [["a"], [], ["b", "c"], ["d"], ["e"], ["f"], ["Parsons"]],
        }
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=2)
    assert pq.ParquetFile(path).num_row_groups == 4
    watch = privacy.Watchlist({"Parsons": "listed"})
    assert privacy.file_hits(path, watch) == [
        ("column label, row 5 (observation_id obs-5)", "Parsons"),
        ("column flags, item 6", "Parsons"),
    ]


def _holds_strings(kind: pa.DataType) -> bool:
    """A column of text as the schema writes it: strings, or lists of strings."""
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _plant_label(frames: dict[str, pd.DataFrame], word: str) -> dict[str, pd.DataFrame]:
    obs = frames["observations"].copy()
    obs.loc[obs.index[0], "label"] = f"offenders ({word})"
    return {**frames, "observations": obs}


def _plant_note(frames: dict[str, pd.DataFrame], word: str) -> dict[str, pd.DataFrame]:
    ledger = frames["ledger"].copy()
    first = ledger.index[ledger["status"] == "excluded"][0]
    ledger.loc[first, "note"] = f"the age of one named offender ({word})"
    return {**frames, "ledger": ledger}


def _unlisted_case_story_word(project: Path) -> str:
    """A name the itemp article tells in a case story, once its people file is gone."""
    (project / privacy.PEOPLE_DIR / f"{ITEMP}.yaml").unlink()
    watch = privacy.from_sources(project)
    assert "Jacob" in watch.words and "listed" not in watch.words["Jacob"]
    return "Jacob"


@pytest.mark.parametrize("who", ["listed", "case-story"])
@pytest.mark.parametrize("where", ["observation label", "ledger note", "diff entry", "report"])
def test_the_build_refuses_a_planted_name(
    project: Path, frames: dict[str, pd.DataFrame], validate: Validate, where: str, who: str
) -> None:
    word = "Parsons" if who == "listed" else _unlisted_case_story_word(project)
    assert who != "listed" or word in _listed()
    watch = privacy.from_sources(project)
    extras: dict[str, bytes] = {"validation/report.html": b"<p>all checks</p>"}
    planted, expected = frames, "observations.parquet"
    if where == "observation label":
        planted = _plant_label(frames, word)
    elif where == "ledger note":
        planted, expected = _plant_note(frames, word), "ledger.parquet"
    elif where == "diff entry":
        publish.publish(project, validate(frames), None, watch=watch)  # a clean base
        planted, expected = _plant_label(frames, word), "diff.json"
    else:
        extras = {"validation/report.html": f"<td>sentenced: {word}&#39;s case</td>".encode()}
        expected = "validation/report.html"
    before = _tree(project / "processed")
    with pytest.raises(CsedataError, match=r"not released: .*names a person") as caught:
        publish.publish(project, validate(planted), None, extras, watch)
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert _tree(project / "processed") == before


def _set_note(project: Path, old: str, new: str) -> None:
    spec = project / "flows" / "specs" / f"{ITEMP}.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.count(old) == 1
    spec.write_text(text.replace(old, new), encoding="utf-8")


def test_the_flow_refuses_a_name_in_a_spec(project: Path, prefect_api: str) -> None:
    """End to end: a name written into a spec's note stops the release, one line, exit 1."""
    run_release(project, None)
    before = _tree(project / "processed")
    _set_note(project, "note: the age of one named offender\n", "note: the age of Jacob Blanco\n")
    result = CliRunner().invoke(app, ["release", "--root", str(project)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "names a person" in lines[0] and "ledger.parquet" in lines[0]
    assert "Traceback" not in result.output
    assert _tree(project / "processed") == before


def _published_with_a_name(
    project: Path, frames: dict[str, pd.DataFrame], validate: Validate
) -> Path:
    """A release published before its names were listed (as 1.0.0 was)."""
    people = project / privacy.PEOPLE_DIR
    kept = {p.name: p.read_bytes() for p in people.glob("*.yaml")}
    shutil.rmtree(people)
    unwatched = privacy.Watchlist({})
    planted = validate(_plant_note(frames, "Parsons"))
    outcome = publish.publish(project, planted, None, watch=unwatched)
    people.mkdir()
    for name, data in kept.items():
        (people / name).write_bytes(data)
    return outcome.path


def test_verify_finds_a_name_and_redact_removes_it(
    project: Path, frames: dict[str, pd.DataFrame], validate: Validate
) -> None:
    folder = _published_with_a_name(project, frames, validate)
    found = verify.releases(project, folder.name)[folder]
    assert len(found) == 1 and "ledger.parquet: names a person" in found[0]

    runner = CliRunner()
    result = runner.invoke(app, ["redact", "--reason", "personal data", "--root", str(project)])
    assert result.exit_code == 0, result.output
    record = json.loads((project / "processed" / redact.RECORD).read_text())["redactions"]
    assert {r["file"] for r in record} == {"ledger.parquet", "datapackage.json"}
    assert all(r["reason"] == "personal data" and r["release"] == folder.name for r in record)
    assert verify.releases(project, folder.name)[folder] == []
    notes = pq.read_table(folder / "ledger.parquet").column("note").to_pylist()
    assert privacy.MARKER in " ".join(n for n in notes if n) and "Parsons" not in str(notes)
    # again: nothing left to redact
    assert redact.redact(project, [folder.name], "again") == []

    # any other change to any byte, of a redacted file or another, is still detected
    for rel in ("ledger.parquet", "observations.parquet", "datapackage.json"):
        path = folder / rel
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
        assert any(rel in line for line in verify.problems(folder)), rel
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    assert verify.problems(folder) == []


def test_the_next_changelog_tells_the_redaction_without_the_name(
    project: Path, frames: dict[str, pd.DataFrame], validate: Validate
) -> None:
    folder = _published_with_a_name(project, frames, validate)
    redact.redact(project, [folder.name], "a defendant's name in a ledger note")
    watch = privacy.from_sources(project)
    outcome = publish.publish(project, validate(recount(frames, 242)), None, watch=watch)
    changelog = (outcome.path / "CHANGELOG.md").read_text()
    entry = changelog.split("\n## ")[1]
    assert f"{folder.name}/ledger.parquet" in entry and "a defendant's name" in entry
    assert "Parsons" not in changelog.split(f"## {folder.name}")[0]


def test_redact_needs_a_reason(project: Path) -> None:
    result = CliRunner().invoke(app, ["redact", "--root", str(project)])
    assert result.exit_code == 1 and "--reason" in result.stderr


@pytest.mark.parametrize("version", store.versions(REPO))
def test_no_committed_release_names_a_person(version: str) -> None:
    """Every byte of every file, and every decoded Parquet cell, of every committed release."""
    folder = REPO / store.PROCESSED / version
    watch = privacy.from_sources(REPO)
    assert privacy.problems(folder, watch) == []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert [w for w in _listed() if w.encode() in data] == [], path


def test_the_validation_report_names_no_person(
    tmp_path: Path, frames: dict[str, pd.DataFrame], declarations: dict[str, Declarations]
) -> None:
    """The report quotes the sources: its files are scanned like the release's."""
    for name, data in report.render(build_report(REPO, frames, declarations)).items():
        (tmp_path / name).write_bytes(data)
    assert privacy.problems(tmp_path, privacy.from_sources(REPO)) == []
