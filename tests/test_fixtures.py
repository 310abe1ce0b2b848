"""The committed HTML and PDF fixtures are exactly what tests/fixtures/make_fixtures.py makes."""

from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from make_fixtures import HTML_DIR, PDF_FILE, html_fixtures  # noqa: E402
from report_pdf import report_pdf  # noqa: E402


def test_html_fixtures_match_a_regeneration() -> None:
    made = html_fixtures()
    assert sorted(p.name for p in HTML_DIR.iterdir()) == sorted(made)
    for name, data in made.items():
        assert (HTML_DIR / name).read_bytes() == data, f"{name}: run make_fixtures.py"


def test_pdf_fixture_matches_a_regeneration() -> None:
    assert PDF_FILE.read_bytes() == report_pdf(), "report.pdf: run make_fixtures.py"
    assert report_pdf() == report_pdf()
