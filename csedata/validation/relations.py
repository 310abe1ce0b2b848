"""Declared relations between figures: which printed numbers imply which.

The specs say, as data, that two figures state one quantity, that a growth rate
was computed from two end points, that a share is a part of a whole, or that
shares exclude one another (``checks:`` in flows/specs/<source>.yaml, and
flows/specs/_cross_source.yaml for figures of different sources). Here each
declaration is looked up in the observations and weighed with the intervals of
csedata.validation.arithmetic, so the tolerance follows from the printed precision.

A declaration that cannot be weighed (a figure that does not exist, an
approximate value, units that do not match) is a problem of the spec, never of
the source.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from csedata.spec import (
    Change,
    Exclusive,
    Relation,
    SameFigure,
    Share,
)
from csedata.validation.arithmetic import at_most, bounds, fmt, span

CROSS = "cross-source"
_MONTHS = {"months": 1.0, "years": 12.0}  # durations are compared in months


@dataclass(frozen=True)
class Weighed:
    """A declaration weighed: passed, failed (a mismatch) or unusable (a declaration problem)."""

    relation: Relation
    scope: str  # the source whose spec declares it, or CROSS
    status: Literal["passed", "failed", "unusable", "skipped"]
    message: str
    values: dict[str, str] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)  # index labels of the observations weighed


class _Unusable(Exception):
    """The declaration cannot be weighed; the message says why."""


class _Figures:
    """Finds the observation a reference names and its interval."""

    def __init__(self, obs: pd.DataFrame, selected: set[str], intervals: pd.DataFrame) -> None:
        self.obs, self.selected, self.bounds = obs, selected, intervals
        self.by_id = pd.Series(obs.index, index=obs["observation_id"])
        prose = obs[obs["form"] == "prose"]
        # a figure is named by its spec id, the third part of its observation id
        figure_id = prose["observation_id"].astype(str).str.split("/", n=3).str[2]
        figure = prose["source_id"].astype(str) + ":" + figure_id
        self.by_figure = pd.Series(prose.index, index=figure)

    def source_of(self, ref: str, scope: str) -> str:
        """The source a reference points into; its form must suit where it is declared."""
        if (scope == CROSS) != (":" in ref):
            where = "in _cross_source.yaml" if scope == CROSS else "in a source's own spec"
            raise _Unusable(
                f"reference {ref!r}: {where} a figure is "
                + ("'source-id:figure'" if scope == CROSS else "named without its source")
            )
        return ref.split(":", 1)[0] if scope == CROSS else scope

    def row(self, ref: str, scope: str) -> int:
        source = self.source_of(ref, scope)
        local = ref.split(":", 1)[-1]
        if "/" in local:
            found = self.by_id.get(f"{source}/{local}")
            rows = [] if found is None else [found]
        else:
            hits = self.by_figure.get(f"{source}:{local}")
            rows = [] if hits is None else list(pd.Series(hits).array)
        if len(rows) != 1:
            raise _Unusable(
                f"reference {ref!r} matches {len(rows)} observations of {source!r}, expected 1"
            )
        return int(rows[0])

    def interval(self, row: int, factors: dict[str, float] | None = None) -> tuple[float, float]:
        lo: Any = self.bounds.at[row, "lo"]
        hi: Any = self.bounds.at[row, "hi"]
        if pd.isna(lo) or pd.isna(hi):
            obs = self.obs.loc[row]
            raise _Unusable(
                f"{obs['observation_id']} ({obs['value_text']!r}) has no bounded value "
                "(approximate, or a share in words)"
            )
        factor = 1.0 if factors is None else factors[self.unit(row)]
        return float(lo) * factor, float(hi) * factor

    def value(self, row: int) -> float:
        value: Any = self.obs.at[row, "value"]
        return float(value)

    def unit(self, row: int) -> str:
        return str(self.obs.at[row, "unit"])

    def printed(self, row: int) -> str:
        return str(self.obs.at[row, "value_text"])


Verdict = tuple[bool, str, dict[str, str]]


def _expect_unit(f: _Figures, row: int, units: set[str], role: str) -> None:
    if f.unit(row) not in units:
        raise _Unusable(f"the {role} is in {f.unit(row)}, expected {' or '.join(sorted(units))}")


def _same(r: SameFigure, f: _Figures, rows: list[int]) -> Verdict:
    units = {f.unit(i) for i in rows}
    factors = _MONTHS if units <= _MONTHS.keys() else None
    if factors is None and len(units) > 1:
        raise _Unusable(f"the figures are in different units: {', '.join(sorted(units))}")
    spans = [f.interval(i, factors) for i in rows]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    unit = "months" if factors is not None else units.pop()
    values = {f.printed(i): f"{span(*s)} {unit}" for i, s in zip(rows, spans, strict=True)}
    ok = bool(at_most(lo, hi))
    shown = " and ".join(f"{f.printed(i)} ({span(*s)})" for i, s in zip(rows, spans, strict=True))
    message = f"{shown} " + ("can" if ok else "cannot") + " be the same figure"
    return ok, message, values


def _change(r: Change, f: _Figures, rows: list[int]) -> Verdict:
    start, end, change = rows
    if f.unit(start) != f.unit(end):
        raise _Unusable("the start and the end are in different units")
    _expect_unit(f, change, {"percent_change"}, "change")
    (s_lo, s_hi), (e_lo, e_hi) = f.interval(start), f.interval(end)
    if s_lo <= 0:
        raise _Unusable("a percent change needs a start above 0")
    lo, hi = 100 * (e_lo / s_hi - 1), 100 * (e_hi / s_lo - 1)
    c_lo, c_hi = f.interval(change)
    ok = bool(at_most(lo, c_hi) and at_most(c_lo, hi))
    message = (
        f"{f.printed(start)} -> {f.printed(end)} is a change of {span(lo, hi)}%; "
        f"printed {f.printed(change)} (allows {span(c_lo, c_hi)})"
    )
    return ok, message, {"start": f.printed(start), "end": f.printed(end), "computed": span(lo, hi)}


def _share(r: Share, f: _Figures, rows: list[int]) -> Verdict:
    whole, share = rows[0], rows[1]
    _expect_unit(f, share, {"percent"}, "share")
    (w_lo, w_hi), (s_lo, s_hi) = f.interval(whole), f.interval(share)
    if w_lo <= 0:
        raise _Unusable("a share needs a whole above 0")
    if len(rows) == 3:
        part = rows[2]
        if f.unit(part) != f.unit(whole):
            raise _Unusable("the part and the whole are in different units")
        p_lo, p_hi = f.interval(part)
        lo, hi = 100 * p_lo / w_hi, 100 * p_hi / w_lo
        ok = bool(at_most(lo, s_hi) and at_most(s_lo, hi))
        message = (
            f"{f.printed(part)} of {f.printed(whole)} is {span(lo, hi)}%; "
            f"printed {f.printed(share)} (allows {span(s_lo, s_hi)})"
        )
        return (
            ok,
            message,
            {"part": f.printed(part), "whole": f.printed(whole), "computed": span(lo, hi)},
        )
    # no part printed: some whole number of the whole must give the printed share
    if f.unit(whole) != "count" or w_lo != w_hi or w_lo != int(w_lo):
        raise _Unusable("without a part, the whole must be an exact count")
    low, high = s_lo * w_lo / 100, s_hi * w_lo / 100
    first, last = math.ceil(low - 1e-9), math.floor(high + 1e-9)
    ok = first <= last
    message = f"{f.printed(share)} of {f.printed(whole)} is {span(low, high)}: " + (
        f"{span(first, last)} of them give it"
        if ok
        else f"no whole number; {fmt(last)} gives {fmt(100 * last / w_lo)}%, "
        f"{fmt(first)} gives {fmt(100 * first / w_lo)}%"
    )
    return ok, message, {"whole": f.printed(whole), "share": f.printed(share)}


def _exclusive(r: Exclusive, f: _Figures, rows: list[int]) -> Verdict:
    for i in rows:
        _expect_unit(f, i, {"percent"}, "share")
    spans = [f.interval(i) for i in rows]
    lo, hi = sum(s[0] for s in spans), sum(s[1] for s in spans)
    ok = bool(at_most(lo, 100.0) and at_most(100.0, hi))
    total = sum(f.value(i) for i in rows)
    message = (
        f"{' + '.join(f.printed(i) for i in rows)} = {fmt(total)}%, "
        f"expected 100 (the printing allows {span(lo, hi)})"
    )
    return ok, message, {"sum": fmt(total), "allowed": span(lo, hi)}


def _refs(r: Relation) -> list[str]:
    if isinstance(r, SameFigure):
        return list(r.figures)
    if isinstance(r, Change):
        return [r.start, r.end, r.change]
    if isinstance(r, Share):
        return [r.whole, r.share] + ([r.part] if r.part else [])
    return list(r.shares)


_WEIGH: dict[type, Callable[..., Verdict]] = {
    SameFigure: _same,
    Change: _change,
    Share: _share,
    Exclusive: _exclusive,
}


def weigh(relation: Relation, scope: str, f: _Figures) -> Weighed:
    """One declaration against the observations."""
    refs = _refs(relation)
    try:
        absent = sorted({f.source_of(r, scope) for r in refs} - f.selected)
        if absent:
            return Weighed(relation, scope, "skipped", f"source {absent[0]!r} is not in this run")
        rows = [f.row(ref, scope) for ref in refs]
        ok, message, values = _WEIGH[type(relation)](relation, f, rows)
    except _Unusable as exc:
        return Weighed(relation, scope, "unusable", str(exc))
    return Weighed(relation, scope, "passed" if ok else "failed", message, values, rows)


def weigh_all(
    obs: pd.DataFrame,
    relations: list[tuple[str, Relation]],
    selected: list[str],
    intervals: pd.DataFrame | None = None,
) -> list[Weighed]:
    """Weigh every declaration; ``intervals`` are checks.bounds(obs) when already computed."""
    if not relations:
        return []
    figures = _Figures(obs, set(selected), bounds(obs) if intervals is None else intervals)
    return [weigh(relation, scope, figures) for scope, relation in relations]


def sources_named(declared: list[Relation]) -> set[str]:
    """The sources cross-source declarations name (``source-id:figure``): the only rows
    they are weighed on."""
    return {ref.split(":", 1)[0] for r in declared for ref in _refs(r) if ":" in ref}
