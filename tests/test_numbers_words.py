"""csedata.numbers.read_number on numbers and ratios in words ("twenty-five", "one in three")."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numbertexts import ONES, casings, int_to_words

from csedata.numbers import Reading, read_number


def test_int_to_words_helper() -> None:
    assert int_to_words(0) == "zero"
    assert int_to_words(25) == "twenty-five"
    assert int_to_words(40) == "forty"
    assert int_to_words(112) == "one hundred twelve"
    assert int_to_words(999, hyphen=False, and_=True) == "nine hundred and ninety nine"


@given(st.integers(min_value=0, max_value=999), st.booleans(), st.booleans(), casings)
def test_number_words_round_trip(
    n: int, hyphen: bool, and_: bool, case: Callable[[str], str]
) -> None:
    text = case(int_to_words(n, hyphen=hyphen, and_=and_))
    assert read_number(text) == Reading(float(n), "count", "exact")


@given(st.integers(min_value=0, max_value=999))
def test_number_words_with_a_unit(n: int) -> None:
    words = int_to_words(n)
    assert read_number(f"{words} percent") == Reading(float(n), "percent", "exact")
    assert read_number(f"{words} years") == Reading(float(n), "years", "exact")
    assert read_number(f"{words} months") == Reading(float(n), "months", "exact")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a hundred", 100),
        ("one thousand two hundred", 1200),
        ("twelve hundred", 1200),
        ("a thousand", 1000),
        ("two million three hundred thousand", 2_300_000),
        ("one hundred million", 100_000_000),
    ],
)
def test_larger_numbers_in_words(text: str, value: int) -> None:
    assert read_number(text) == Reading(float(value), "count", "exact")


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("one in three", Fraction(1, 3)),
        ("One in three", Fraction(1, 3)),
        ("one-in-three", Fraction(1, 3)),
        ("one out of three", Fraction(1, 3)),
        ("1 in 3", Fraction(1, 3)),
        ("two in five", Fraction(2, 5)),
        ("two-thirds", Fraction(2, 3)),
        ("two thirds", Fraction(2, 3)),
        ("a third", Fraction(1, 3)),
        ("one-third", Fraction(1, 3)),
        ("half", Fraction(1, 2)),
        ("a half", Fraction(1, 2)),
        ("one half", Fraction(1, 2)),
        ("a quarter", Fraction(1, 4)),
        ("three quarters", Fraction(3, 4)),
        ("three-fourths", Fraction(3, 4)),
        ("four fifths", Fraction(4, 5)),
        ("nine tenths", Fraction(9, 10)),
    ],
)
def test_ratio_words_are_percent(text: str, share: Fraction) -> None:
    reading = read_number(text)
    assert reading.unit == "percent"
    assert reading.qualifier == "exact"
    assert reading.value == pytest.approx(float(100 * share), rel=1e-12)


@given(
    st.integers(min_value=0, max_value=19),
    st.integers(min_value=1, max_value=19),
    st.booleans(),
    st.sampled_from(["in", "out of"]),
)
def test_k_in_n(k: int, n: int, digits: bool, link: str) -> None:
    left, right = (str(k), str(n)) if digits else (ONES[k], ONES[n])
    reading = read_number(f"{left} {link} {right}")
    assert reading.unit == "percent"
    assert reading.value == pytest.approx(100 * k / n, rel=1e-12, abs=1e-12)
