"""The validation report as one self-contained HTML page: inline CSS and SVG, no scripts.

It opens from a file with no network: a reviewer sees the counts, every failure
with its values and quotes, a chart of each source table's shares and their
sum, and every check that ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from csedata.report.model import KINDS, Chart, Report, headline

TEMPLATES = Path(__file__).parent / "templates"
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 210, 250, 18  # SVG geometry, in pixels
SCALE_MAX = 100.0  # the bars' scale in percentage points; a longer sum bar is clipped


@dataclass(frozen=True)
class Bar:
    y: int
    label: str
    full_label: str
    value: str
    width: float
    kind: str  # "row", "part" (level 1) or "sum"
    clipped: bool


@dataclass(frozen=True)
class ChartView:
    chart: Chart
    bars: list[Bar]
    height: int
    ruler_x: float  # where 100% stands


def _short(label: str, size: int = 31) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _bars(chart: Chart) -> ChartView:
    bars = []
    entries = [(r.label, r.value, "part" if r.level else "row") for r in chart.rows]
    if chart.total is not None:
        entries.append(("Sum of the shares summed", chart.total, "sum"))
    for i, (label, value, kind) in enumerate(entries):
        width = BAR_WIDTH * min(max(value, 0.0), SCALE_MAX) / SCALE_MAX
        indent = "  " if kind == "part" else ""
        bars.append(
            Bar(
                y=i * ROW_HEIGHT + 4,
                label=indent + _short(label),
                full_label=label,
                value=f"{value:.1f}%",
                width=round(width, 1),
                kind=kind,
                clipped=value > SCALE_MAX,
            )
        )
    return ChartView(chart, bars, len(entries) * ROW_HEIGHT + 24, LABEL_WIDTH + BAR_WIDTH)


def html(report: Report) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("report.html.j2")
    return template.render(
        report=report,
        headline=headline(report),
        errors=report.failures("error"),
        warnings=report.failures("warning"),
        kinds=[
            (kind, title, [c for c in report.checks if c.kind == kind])
            for kind, title in KINDS.items()
        ],
        charts=[_bars(c) for c in report.charts],
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        row_height=ROW_HEIGHT,
    )
