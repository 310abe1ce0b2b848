"""Typed time from a spec's period wording: one grammar, so every source spells time alike.

A spec writes a period as a reader would (``FY2019``, ``2019-2020``, ``January-September
2021``); that wording stays in the ``period`` column, and this parser gives its kind and
its first and last day. Parsing the wording, rather than declaring the dates beside it,
keeps one statement of each period in the spec: the wording and the dates cannot
disagree, and a spelling the grammar does not know is an error, never a guess.

``FY`` is the US federal fiscal year (every source so far counts it): FY2019 runs from
1 October 2018 to 30 September 2019. A year without ``FY`` is a calendar year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import cache
from typing import NamedTuple

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
_MONTH = "(" + "|".join(MONTHS) + ")"
_YEAR = r"((?:19|20)\d\d)"

GRAMMAR = (
    "FY2019, FY2005-FY2019, 2020, 2019-2020, January 2013, January-September 2021, "
    "February 2011 to January 2013, 16 January 2013"
)


class Period(NamedTuple):
    kind: str  # one of schemas.terms.PERIOD_KINDS
    start: date | None
    end: date | None


def _fiscal(year: int) -> tuple[date, date]:
    return date(year - 1, 10, 1), date(year, 9, 30)


def _month(year: int, month: str) -> tuple[date, date]:
    number = MONTHS[month]
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def _span(kind: str, first: tuple[date, date], last: tuple[date, date]) -> Period:
    if first[0] >= last[0]:
        raise ValueError("a range must run forward in time")
    return Period(kind, first[0], last[1])


def _match(text: str) -> Period | None:
    if m := re.fullmatch(f"FY{_YEAR}", text):
        return Period("fiscal_year", *_fiscal(int(m[1])))
    if m := re.fullmatch(f"FY{_YEAR}-FY{_YEAR}", text):
        return _span("fiscal_year_range", _fiscal(int(m[1])), _fiscal(int(m[2])))
    if m := re.fullmatch(_YEAR, text):
        return Period("calendar_year", date(int(m[1]), 1, 1), date(int(m[1]), 12, 31))
    if m := re.fullmatch(f"{_YEAR}-{_YEAR}", text):
        first, last = int(m[1]), int(m[2])
        return _span("year_range", (date(first, 1, 1),) * 2, (date(last, 1, 1), date(last, 12, 31)))
    if m := re.fullmatch(f"{_MONTH} {_YEAR}", text):
        return Period("month", *_month(int(m[2]), m[1]))
    if m := re.fullmatch(f"{_MONTH}-{_MONTH} {_YEAR}", text):
        return _span("month_range", _month(int(m[3]), m[1]), _month(int(m[3]), m[2]))
    if m := re.fullmatch(f"{_MONTH} {_YEAR} to {_MONTH} {_YEAR}", text):
        return _span("month_range", _month(int(m[2]), m[1]), _month(int(m[4]), m[3]))
    if m := re.fullmatch(rf"(\d{{1,2}}) {_MONTH} {_YEAR}", text):
        try:
            day = date(int(m[3]), MONTHS[m[2]], int(m[1]))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a date") from exc
        return Period("point_in_time", day, day)
    return None


@cache
def parse(text: str | None) -> Period:
    """The period's kind and days; no wording is ``unknown``. Raises ValueError for a
    wording outside the grammar, naming the spellings it knows."""
    if text is None:
        return Period("unknown", None, None)
    found = _match(text)
    if found is None:
        raise ValueError(f"period {text!r} is not one of the known spellings ({GRAMMAR})")
    return found
