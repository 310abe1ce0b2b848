"""Refresh against a local site serving the HTML and PDF fixtures with their media types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from htmlfixtures import as_html
from localsite import Page, Site, tree

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


def serve(site: Site, pages: dict[str, bytes]) -> None:
    for sid, body in pages.items():
        site.pages[f"/{sid}"] = Page(body, "text/html; charset=utf-8", etag=f'"{sid}-1"')


def test_html_sources_refresh_release_and_refuse(
    project: Path, site: Site, prefect_api: str
) -> None:
    pages = as_html(project, site.url(""))
    serve(site, pages)
    first = run_release(project, None)
    assert (first["status"], first["version"]) == ("written", "1.0.0")
    released = tree(project / "processed")

    # the pages as registered: every source unchanged, no new release
    again = run_release(project, None, refresh=True)
    assert {r["status"] for r in again["refresh"]} == {"unchanged"}  # type: ignore[attr-defined]
    assert again["status"] == "unchanged"
    assert tree(project / "processed") == released

    # a page whose figure no longer matches its spec: a refusal, the release stays
    sid = "ussc-2021-production"
    site.pages[f"/{sid}"] = Page(pages[sid].replace(b"61.3%", b"61.4%"), "text/html", etag='"2"')
    with pytest.raises(CsedataError) as caught:
        run_release(project, None, refresh=True)
    message = str(caught.value)
    assert message.startswith(f"flows/specs/{sid}.yaml: figures (prepubescent-victims): quote ")
    assert "closest text at" in message and "PREPUBESCENT VICTIMS 61.4%" in message
    assert message.endswith(f"(new content this run: {sid}; check the spec)")
    assert tree(project / "processed") == released
    entry = load_registry(project)[sid]
    assert entry.file.endswith(".html") and entry.media_type == "text/html"


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
