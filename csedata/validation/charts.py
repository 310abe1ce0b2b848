"""The report's charts: each source table's shares and, where they exclude one another,
their sum, so a reviewer sees at a glance a table whose shares do not add up. A table
of one share compares nothing and gets no chart; a multi-response table gets no sum."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from csedata.report import Chart, ChartRow
from csedata.validation.arithmetic import at_most

CHARTS, CHART_ROWS = 200, 50

_CHARTED = [
    *["source_id", "table_id", "observation_id", "form", "label", "parent_category"],
    *["value", "multi_response"],
]


def share_charts(obs: pd.DataFrame, exclusive: set[str], intervals: pd.DataFrame) -> list[Chart]:
    """Per source table, its shares and, where they exclude one another, their sum and
    whether it meets 100 within the printed rounding (``intervals``: each row's lo and hi
    and its table's number ``tab``, csedata.validation.arithmetic.prepare: shares are
    counted per table on those integers rather than by hashing a million ids again).

    A page is for reading: past CHARTS tables or CHART_ROWS rows a table, the
    rest is counted in the chart's note rather than drawn.
    """
    share = (obs["unit"] == "percent") & (obs["category"] != "total")
    # a table of one share compares nothing
    share &= share.groupby(intervals["tab"]).transform("sum") > 1
    # only the tables drawn: the first CHARTS, found among the first CHARTS sources
    share &= obs["source_id"].isin(obs.loc[share, "source_id"].unique()[:CHARTS])
    shares = obs.loc[share, _CHARTED]
    drawn = shares[["source_id", "table_id"]].drop_duplicates().head(CHARTS)
    drawn_keys = pd.MultiIndex.from_frame(drawn)
    keys = pd.MultiIndex.from_frame(shares[["source_id", "table_id"]])
    shares = shares[keys.isin(drawn_keys)]
    shares = shares.assign(
        top=shares["parent_category"].isna() | (shares["parent_category"] == "total"),
        declared=shares["observation_id"].isin(exclusive),
        lo=intervals.loc[shares.index, "lo"],
        hi=intervals.loc[shares.index, "hi"],
    )
    # a few thousand rows at most: plain Python from here, not pandas per table
    tables: dict[tuple[str, str], list[dict[Any, Any]]] = {}
    for r in shares.to_dict("records"):
        tables.setdefault((str(r["source_id"]), str(r["table_id"])), []).append(r)
    return [_chart(sid, tid, g) for (sid, tid), g in tables.items()]


def _chart(sid: str, tid: str, g: list[dict[Any, Any]]) -> Chart:
    """One table's chart: its rows, and the sum of the shares that exclude one another."""
    if all(r["form"] == "table" for r in g):
        summed = [r for r in g if r["top"]]
        note = "the top-level shares exclude one another: expected to sum to 100%"
        if any(r["multi_response"] for r in summed):
            summed, note = [], "multi-response: the rows overlap, so no sum is drawn"
    elif any(r["declared"] for r in g):
        summed = [r for r in g if r["declared"]]
        note = "declared exclusive: expected to sum to 100%"
    else:
        summed, note = [], "shares of different things: not summed"
    if len(g) > CHART_ROWS:
        note += f"; the first {CHART_ROWS} of {len(g)} rows are drawn"
    rows = [
        ChartRow(
            label=r["label"],
            value=r["value"],
            multi_response=r["multi_response"],
            level=0 if r["top"] else 1,
        )
        for r in g[:CHART_ROWS]
    ]
    total, ok = None, None
    if summed:
        # rounded for reading: 121.30000000000001 is float error, not a figure
        total = round(float(np.nansum([r["value"] for r in summed])), 9)
        lo, hi = (float(np.sum([r[k] for r in summed])) for k in ("lo", "hi"))
        ok = bool(at_most(lo, 100.0) and at_most(100.0, hi))
    return Chart(source_id=sid, table_id=tid, rows=rows, total=total, total_ok=ok, total_note=note)
