"""Specs survive a change of format: a source's HTML rendering gives the same figures.

The HTML pages are fixtures made from the text captures (tests/fixtures), with
navigation, header, aside and footer around the content; they go through the
real pipeline (registry check, prepare, extract, ledger, assemble).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from htmlfixtures import HTML, as_html

from csedata import pipeline
from csedata.errors import CsedataError
from csedata.extract import extract
from csedata.prepare import htmlpage
from csedata.registry import load_registry
from csedata.spec import load_spec
from csedata.text import place

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_registry(ROOT)
SOURCE_IDS = sorted(REGISTRY)
TEXT_IDS = [sid for sid in SOURCE_IDS if REGISTRY[sid].media_type == "text/plain"]
# what a figure is, whatever the format; quotes and offsets index each format's own text
SAME = [
    "observation_id",
    "label",
    "category",
    "parent_category",
    "measure",
    "value",
    "unit",
    "qualifier",
    "universe",
    "period",
    "jurisdiction",
    "multi_response",
    "note",
]


def test_every_registered_source_has_an_html_fixture() -> None:
    assert sorted(p.stem for p in HTML.glob("*.html")) == TEXT_IDS


def test_html_renderings_build_the_same_observations_and_ledger(
    project: Path, built_frames: dict[str, pd.DataFrame]
) -> None:
    as_html(project)
    sources = [s for _, s in sorted(load_registry(project).items())]
    assert "text/plain" not in {s.media_type for s in sources}
    frames = pipeline.assemble(project, sources, [pipeline.extract_batch(project, sources).path])
    ours, text = frames["observations"], built_frames["observations"]
    assert set(ours["source_id"]) == set(SOURCE_IDS)
    pd.testing.assert_frame_equal(ours[SAME], text[SAME])
    pd.testing.assert_frame_equal(frames["tables"], built_frames["tables"])
    # every number token of the content is explained, none of the furniture is there
    ledger = frames["ledger"]
    assert (
        ledger.groupby("source_id", observed=True).size()
        == built_frames["ledger"].groupby("source_id", observed=True).size()
    ).all()


def html_text(source_id: str, old: str, new: str) -> str:
    text = htmlpage.convert((HTML / f"{source_id}.html").read_bytes()).text
    assert old in text
    return text.replace(old, new)


def test_a_figure_not_found_names_spec_figure_and_closest_text() -> None:
    sid = "ussc-2021-production"
    text = html_text(sid, "61.3%", "61.4%")
    with pytest.raises(CsedataError) as exc:
        extract(load_registry(ROOT)[sid], load_spec(ROOT, sid), text)
    assert str(exc.value) == (
        f"flows/specs/{sid}.yaml: figures (prepubescent-victims): quote "
        "'PREPUBESCENT VICTIMS\\n\\n61.3%' found 0 times, expected 1; closest text at "
        f"line 9, col 1 (char {text.index('PREPUBESCENT')}): "
        "'offenders. Overview PREPUBESCENT VICTIMS 61.4% INCREASE IN'"
    )


def test_a_table_not_found_names_its_title_and_the_closest_title() -> None:
    sid = "ussc-2021-production"
    text = html_text(sid, "Method of Production", "Method of Production Used")
    with pytest.raises(CsedataError) as exc:
        extract(load_registry(ROOT)[sid], load_spec(ROOT, sid), text)
    at = text.index("Method of Production Used")
    assert str(exc.value) == (
        f"flows/specs/{sid}.yaml: tables (method-of-production): title 'Method of Production' "
        "found 0 times, expected 1; closest title: 'Method of Production Used' "
        f"at {place(text, at)}"
    )
