"""csedata.prepare: raw bytes to the text specs read, by media type, cached."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from csedata.errors import CsedataError
from csedata.prepare import htmlpage, pdfreport
from csedata.prepare.dispatch import CONVERTERS, cache_path, converters, prepare
from csedata.registry import Source, load_registry, read_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(FIXTURES))

from report_pdf import REPORT_TABLES  # noqa: E402  (the data the PDF fixture is made from)


def page(body: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>T 1</title></head><body>{body}</body></html>".encode()
    )


def test_text_sources_pass_through_unchanged() -> None:
    texts = [s for s in load_registry(ROOT).values() if s.media_type == "text/plain"]
    assert texts
    for source in texts:
        assert prepare(ROOT, source).text == read_text(ROOT, source)


@pytest.mark.parametrize(
    "furniture",
    [
        "<nav>Menu 1</nav>",
        "<header>Site 2</header>",
        "<footer>Call 3</footer>",
        "<aside>More 4</aside>",
        "<script>var x = 5;</script>",
        "<style>p { margin: 6px; }</style>",
        "<div role='navigation'>7 links</div>",
        "<div role='contentinfo'>8 rights</div>",
        "<p hidden>9 hidden</p>",
        "<p style='display: none'>10 hidden</p>",
        "<template><p>11</p></template>",
        "<form><button>12 go</button></form>",
    ],
)
def test_html_page_furniture_is_left_out_by_rule(furniture: str) -> None:
    text = htmlpage.convert(page(f"<main><p>Kept.</p>{furniture}<p>Also kept.</p></main>")).text
    assert text == "Kept.\n\nAlso kept.\n"


def test_html_blocks_lines_and_inline_markup() -> None:
    body = (
        "<h2>Sentencing</h2>\n<p>A  <strong>57.2%</strong>\n   of them<br>next line</p>"
        "<ul><li>one</li><li>two</li></ul><pre>a\n  b</pre><div>x<p>y</p>z</div>"
    )
    assert htmlpage.convert(page(body)).text == (
        "Sentencing\n\nA 57.2% of them\nnext line\n\n- one\n\n- two\n\na\n  b\n\nx\n\ny\n\nz\n"
    )


def test_html_table_cell_by_cell() -> None:
    body = (
        "<p>Before</p><table><caption>Method of  Production</caption>"
        "<thead><tr><th></th><th>N</th><th>%</th></tr></thead>"
        "<tbody><tr><td>Smartphone\nor Tablet</td><td>241</td><td>47.1%</td></tr>"
        "<tr><td colspan='2'>Spanning</td><td>1.0%</td></tr><tr><td></td><td></td></tr>"
        "</tbody></table><p>After</p>"
    )
    assert htmlpage.convert(page(body)).text == (
        "Before\n\nMethod of Production\n\tN\t%\nSmartphone or Tablet\t241\t47.1%\n"
        "Spanning\t\t1.0%\n\nAfter\n"
    )


def pdf_fixture() -> bytes:
    return (FIXTURES / "pdf" / "report.pdf").read_bytes()


def test_pdf_tables_every_cell_as_generated() -> None:
    """Ruled, horizontal rules only, rule-less and two-page tables: every cell, in order."""
    text = pdfreport.convert(pdf_fixture()).text
    for caption, rows, note in REPORT_TABLES:
        block = "\n".join([caption, *("\t".join(row) for row in rows)])
        assert f"\n\n{block}\n\n{note}\n" in text, caption


def test_pdf_pages_located_and_furniture_left_out() -> None:
    prepared = pdfreport.convert(pdf_fixture())
    text = prepared.text
    assert len(prepared.pages) == 2
    assert prepared.page_at(text.index("Table 1.")) == 1
    assert prepared.page_at(text.index("District 04")) == 1
    # the table continues on page 2 without its repeated header row
    assert prepared.page_at(text.index("District 05")) == 2
    assert text.count("District\tN\t%") == 1
    assert prepared.page_at(len(text) - 1) == 2
    assert "Page 1" not in text and "Synthetic fixture report" not in text


def test_html_has_no_pages() -> None:
    assert htmlpage.convert(page("<p>x</p>")).page_at(0) is None


def fixture_source(root: Path, name: str, data: bytes, media_type: str) -> Source:
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "raw" / name).write_bytes(data)
    base = next(iter(load_registry(ROOT).values()))
    update = {
        "file": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "media_type": media_type,
    }
    return base.model_copy(update=update)


def test_prepared_text_is_cached_by_sha256_and_converter_version(tmp_path: Path) -> None:
    source = fixture_source(tmp_path, "report.pdf", pdf_fixture(), "application/pdf")
    first = prepare(tmp_path, source)
    entry = cache_path(tmp_path, source.sha256, pdfreport)
    assert entry.name == f"{source.sha256}-{pdfreport.NAME}-{pdfreport.VERSION}.json"
    # a second run reads the entry, not the PDF: plant other text in it to see
    entry.write_text(json.dumps({"text": "from the cache\n", "pages": [0]}))
    assert prepare(tmp_path, source).text == "from the cache\n"
    entry.unlink()
    assert prepare(tmp_path, source) == first
    assert [p.name for p in (tmp_path / ".cache" / "prepare").iterdir()] == [entry.name]


def test_manifest_names_each_converter_and_version() -> None:
    assert set(converters()) == set(CONVERTERS)
    assert converters()["application/pdf"] == f"{pdfreport.NAME} {pdfreport.VERSION}"


def test_a_broken_pdf_is_one_line_naming_the_file(tmp_path: Path) -> None:
    source = fixture_source(tmp_path, "broken.pdf", b"%PDF-1.4\nnot really\n", "application/pdf")
    with pytest.raises(CsedataError) as exc:
        prepare(tmp_path, source)
    message = str(exc.value)
    assert message.startswith("raw/broken.pdf: pdf-pdfplumber ")
    assert "does not read as PDF" in message and "\n" not in message
    assert not (tmp_path / ".cache" / "prepare").exists()
