"""The validation report's HTML page as a reviewer sees it, in headless Chromium."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest
from conftest import Checked

from benchmarks import browser
from csedata import validation
from csedata.report import render, write_report


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


def _probe_sees_an_overflow(page: Path, folder: Path) -> None:
    """The probe sees an overflow when there is one: a quote that may not wrap."""
    cramped = folder / "report.html"
    cramped.parent.mkdir()
    style = "<style>blockquote { white-space: pre !important; overflow-wrap: normal !important; }"
    cramped.write_text(page.read_text().replace("<style>", style, 1))
    assert any("blockquote" in o for o in browser.probe(cramped)["overflows"])


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
    _probe_sees_an_overflow(page, tmp_path / "cramped")
