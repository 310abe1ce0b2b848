"""Refresh against a local site serving the HTML and PDF fixtures with their media types."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from htmlfixtures import CHANGED, as_html, change_value
from localsite import Page, Site, serve_html, tree

from csedata.cli import run_release
from csedata.errors import CsedataError
from csedata.prepare.dispatch import prepare
from csedata.refresh import refresh_sources
from csedata.registry import load_registry

PDF = Path(__file__).resolve().parent / "fixtures" / "pdf" / "report.pdf"


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def _a_page_that_no_longer_matches_is_refused(project: Path, site: Site, page: bytes) -> None:
    """A page whose figure no longer matches its spec: a refusal, release 1.0.1 stays."""
    sid = CHANGED
    released = tree(project / "processed")
    site.pages[f"/{sid}"] = Page(page.replace(b"61.3%", b"61.4%"), "text/html", etag='"4"')
    with pytest.raises(CsedataError) as caught:
        run_release(project, None, refresh=True)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"flows/specs/{sid}.yaml: figures (prepubescent-victims): quote ")
    assert "closest text at" in message and "PREPUBESCENT VICTIMS 61.4%" in message
    assert message.endswith(f"(new content this run: {sid}; check the spec)")
    assert tree(project / "processed") == released
    assert (project / "processed" / "LATEST").read_text() == "1.0.1\n"


def test_html_sources_refresh_release_and_refuse(
    project: Path, site: Site, prefect_api: str, tmp_path: Path
) -> None:
    pages = as_html(project, site.url(""))
    serve_html(site, pages)
    first = run_release(project, None)
    assert (first.release.status, first.release.version) == ("written", "1.0.0")
    released = tree(project / "processed")

    # the pages as registered: every source unchanged, no new release
    again = run_release(project, None, refresh=True)
    assert {r.status for r in again.refresh} == {"unchanged"}
    assert again.release.status == "unchanged"
    assert tree(project / "processed") == released

    # new bytes in the page furniture only: the snapshot is recorded, no new release
    sid = CHANGED
    furniture = pages[sid].replace(b"Suite 2-500", b"Suite 2-600, updated 2024-05-06")
    site.pages[f"/{sid}"] = Page(furniture, "text/html", etag='"2"')
    moved = run_release(project, None, refresh=True)
    assert [r.status for r in moved.refresh if r.source_id == sid] == ["changed"]
    assert (moved.release.status, moved.release.version) == ("unchanged", "1.0.0")
    assert tree(project / "processed") == released
    entry = load_registry(project)[sid]
    assert entry.file.startswith(f"snapshots/{sid}/") and entry.media_type == "text/html"
    assert (project / "raw" / entry.file).read_bytes() == furniture
    assert [s.file for s in entry.snapshots] == [f"{sid}.html"]
    rebuilt = run_release(project, None, rebuild_into=tmp_path / "rebuilt")  # says why it differs
    assert rebuilt.release.differences[0] == (
        f"raw/sources.yaml: names newer snapshots than the release of {sid}"
    )
    assert "sources.parquet: sha256 differs" in rebuilt.release.differences

    # a changed statistic (a table's cells): a patch release naming the new snapshot
    value = change_value(furniture)
    site.pages[f"/{sid}"] = Page(value, "text/html", etag='"3"')
    patch = run_release(project, None, refresh=True)
    assert (patch.release.status, patch.release.version) == ("written", "1.0.1")
    report = json.loads((project / "processed" / "1.0.1" / "diff.json").read_text())
    assert report["change"] == "patch"
    values = {
        c["key"]["observation_id"]: c["changes"]["value"]
        for c in report["tables"]["observations"]["rows"]["changed"]
    }
    assert sorted((v["old"], v["new"]) for v in values.values()) == [(12.9, 13.1), (66, 67)]
    assert all(i.startswith(f"{sid}/method-of-production/other-camera/") for i in values)
    [source] = report["tables"]["sources"]["rows"]["changed"]
    assert source["changes"]["file"] == {
        "old": f"{sid}.html",
        "new": load_registry(project)[sid].file,
    }
    _a_page_that_no_longer_matches_is_refused(project, site, value)


def test_a_pdf_is_registered_as_a_pdf_and_prepared(project: Path, site: Site) -> None:
    sid = "advocacy-fact-page"
    site.pages["/report"] = Page(PDF.read_bytes(), "application/pdf", etag='"r1"')
    path = project / "raw" / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    next(e for e in data["sources"] if e["source_id"] == sid)["url"] = site.url("/report")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    (result,) = refresh_sources(project, [sid])
    assert result.status == "changed"
    source = load_registry(project)[sid]
    assert source.file.endswith(".pdf") and source.media_type == "application/pdf"
    assert source.content_type == "application/pdf"
    prepared = prepare(project, source)
    assert "Table 1. Offenders by offense type\nOffense type\tN\t%" in prepared.text
    assert len(prepared.pages) == 2
