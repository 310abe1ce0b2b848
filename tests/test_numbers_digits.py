"""csedata.numbers.read_number on digits: separators, decimals, percents and scale words."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numbertexts import decimal_texts

from csedata.numbers import NumberError, Reading, read_number


@given(st.integers(min_value=0, max_value=10**15))
def test_integers_with_thousands_separators_round_trip(n: int) -> None:
    assert read_number(f"{n:,}") == Reading(float(n), "count", "exact")


@given(st.integers(min_value=0, max_value=10**15))
def test_integers_without_separators_round_trip(n: int) -> None:
    assert read_number(str(n)) == Reading(float(n), "count", "exact")


@given(decimal_texts())
def test_decimals_round_trip(text: str) -> None:
    assert read_number(text) == Reading(float(text.replace(",", "")), "count", "exact")


@given(decimal_texts(max_int=100_000), st.sampled_from(["%", " %"]))
def test_decimal_percent_keeps_the_value_in_percentage_points(text: str, sign: str) -> None:
    # 47.1% is 47.1 percentage points, never 0.471
    assert read_number(text + sign) == Reading(float(text.replace(",", "")), "percent", "exact")


@given(st.integers(min_value=0, max_value=1000), st.sampled_from(["percent", "per cent"]))
def test_n_percent_in_words(n: int, word: str) -> None:
    assert read_number(f"{n} {word}") == Reading(float(n), "percent", "exact")


@given(decimal_texts(max_int=999), st.sampled_from(["thousand", "million", "billion"]))
def test_scale_words_multiply(text: str, scale: str) -> None:
    factor = {"thousand": 10**3, "million": 10**6, "billion": 10**9}[scale]
    reading = read_number(f"{text} {scale}")
    exact = Decimal(text.replace(",", "")) * factor
    assert reading.unit == "count"
    assert reading.qualifier == "exact"
    assert math.isclose(reading.value, float(exact), rel_tol=1e-12, abs_tol=1e-6)


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["million", "Million", "MILLION"]))
def test_whole_millions_are_exact(n: int, scale: str) -> None:
    assert read_number(f"{n} {scale}") == Reading(float(n * 10**6), "count", "exact")


def test_hundred_is_not_a_scale_after_digits() -> None:
    # "5 hundred" is not how the sources print 500; refuse rather than guess
    with pytest.raises(NumberError):
        read_number("5 hundred")
