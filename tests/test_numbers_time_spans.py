"""csedata.numbers.read_number on time spans: months, years and decades, in digits or words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csedata.numbers import Reading, read_number


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["months", "month"]))
def test_months(n: int, word: str) -> None:
    assert read_number(f"{n} {word}") == Reading(float(n), "months", "exact")


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from([" years", " year", "-year"]))
def test_years(n: int, word: str) -> None:
    assert read_number(f"{n}{word}") == Reading(float(n), "years", "exact")


@given(st.integers(min_value=0, max_value=100), st.sampled_from(["decades", "decade"]))
def test_decades_are_ten_years(n: int, word: str) -> None:
    assert read_number(f"{n} {word}") == Reading(10.0 * n, "years", "exact")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a decade", Reading(10.0, "years", "exact")),
        ("A decade", Reading(10.0, "years", "exact")),
        ("a year", Reading(1.0, "years", "exact")),
        ("a month", Reading(1.0, "months", "exact")),
        ("two decades", Reading(20.0, "years", "exact")),
        ("nearly a decade", Reading(10.0, "years", "nearly")),
        ("twenty-three years", Reading(23.0, "years", "exact")),
        ("eighteen months", Reading(18.0, "months", "exact")),
        ("a dozen", Reading(12.0, "count", "exact")),
    ],
)
def test_time_spans_in_words(text: str, expected: Reading) -> None:
    assert read_number(text) == expected
