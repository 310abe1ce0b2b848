"""The validation report as one self-contained HTML page: inline CSS, no network.

It opens on what needs a decision (errors, then unreviewed warnings, then reviewed
ones, each with its rule, values, quotes in their source text and the reviewer's
note), then every check aggregated by name (the sources where one failed listed
beside it), each table's schema checks as a grid, and the share charts. Its size
follows the number of checks and failures, not of sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from csedata.report.aggregate import by_check, schema_grids, subject
from csedata.report.model import Chart, Quote, Report, covers, headline

TEMPLATES = Path(__file__).parent / "templates"
SCALE_MAX = 100.0  # the bars' scale in percentage points; a longer bar is cut at 100
LISTED_INPUTS = 200  # raw files listed on the page; report.json lists them all


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    width: float  # percent of the scale
    kind: str  # "row", "part" (level 1), "sum" or "sum failing"
    cut: bool  # longer than the scale


def _bars(chart: Chart) -> list[Bar]:
    entries = [(r.label, r.value, "part" if r.level else "row") for r in chart.rows]
    if chart.total is not None:
        kind = "sum" if chart.total_ok is not False else "sum failing"
        entries.append(("Sum of the shares above", chart.total, kind))
    return [
        Bar(
            label=label,
            value=f"{value:.1f}%",
            width=round(min(max(value, 0.0), SCALE_MAX) / SCALE_MAX * 100, 2),
            kind=kind,
            cut=value > SCALE_MAX,
        )
        for label, value, kind in entries
    ]


def marked(q: Quote) -> Markup:
    """The quote with its printed value in <mark>, escaped."""
    at, text = q.value_at, q.value_text
    if at is None or text is None or q.quote[at : at + len(text)] != text:
        return escape(q.quote)
    end = at + len(text)
    return escape(q.quote[:at]) + Markup("<mark>%s</mark>") % text + escape(q.quote[end:])


def _status(kind: str, status: str) -> str:
    """A status in words: a passing review check means the inconsistency is still there."""
    if kind == "review":
        return {"passed": "still occurs", "failed": "gone"}.get(status, status)
    return status


def html(report: Report) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["marked"] = marked
    env.filters["subject"] = subject
    env.globals["status_words"] = _status
    template = env.get_template("report.html.j2")
    decisions = report.decisions()
    return template.render(
        report=report,
        covers=covers(report),
        headline=headline(report),
        decisions=decisions,
        first=next((name for name, found in decisions if found), None),
        groups=by_check(report, ("table", "declared", "cross-source", "review")),
        grids=schema_grids(report),
        charts=[(c, _bars(c)) for c in report.charts],
        inputs=list(report.inputs.items())[:LISTED_INPUTS],
    )
