"""csedata.periods: the period wording of the specs as kind, first and last day."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csedata.periods import Period, parse
from schemas.observations import _period_consistent
from schemas.terms import PERIOD_KINDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FY2019", Period("fiscal_year", date(2018, 10, 1), date(2019, 9, 30))),
        ("FY2005-FY2019", Period("fiscal_year_range", date(2004, 10, 1), date(2019, 9, 30))),
        ("2020", Period("calendar_year", date(2020, 1, 1), date(2020, 12, 31))),
        ("2019-2020", Period("year_range", date(2019, 1, 1), date(2020, 12, 31))),
        ("January 2013", Period("month", date(2013, 1, 1), date(2013, 1, 31))),
        ("January-September 2021", Period("month_range", date(2021, 1, 1), date(2021, 9, 30))),
        (
            "February 2011 to January 2013",
            Period("month_range", date(2011, 2, 1), date(2013, 1, 31)),
        ),
        ("16 January 2013", Period("point_in_time", date(2013, 1, 16), date(2013, 1, 16))),
        (None, Period("unknown", None, None)),
    ],
)
def test_known_spellings(text: str | None, expected: Period) -> None:
    assert parse(text) == expected
    assert expected.kind in PERIOD_KINDS


@pytest.mark.parametrize(
    "text", ["FY 2019", "2019/2020", "FY2019-FY2005", "Spring 2020", "31 February 2020", ""]
)
def test_unknown_or_backward_spellings_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"period|range|date"):
        parse(text)


def _frame(kind: str, start: str | None, end: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_kind": [kind],
            "period_start": pd.to_datetime([start]),
            "period_end": pd.to_datetime([end]),
        }
    )


@pytest.mark.parametrize(
    ("kind", "start", "end", "ok"),
    [
        ("fiscal_year", "2018-10-01", "2019-09-30", True),
        ("fiscal_year", "2019-01-01", "2019-12-31", False),  # a calendar year called fiscal
        ("calendar_year", "2018-10-01", "2019-09-30", False),
        ("month_range", "2021-09-01", "2021-01-31", False),  # start after end
        ("unknown", None, None, True),
        ("unknown", "2020-01-01", "2020-12-31", False),
        ("month", None, None, False),
        ("point_in_time", "2013-01-16", "2013-01-17", False),
    ],
)
def test_schema_checks_dates_against_the_kind(
    kind: str, start: str | None, end: str | None, ok: bool
) -> None:
    assert bool(_period_consistent(_frame(kind, start, end)).all()) is ok
