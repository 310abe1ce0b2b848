"""csedata.numbers reads a number in full or refuses the text, and finds the whole figure
printed around a value (numbers.printed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numbertexts import number_texts

from csedata.numbers import NumberError, printed, read_number


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u00a0",
        "abc",
        "4,265 images",
        "12 apples",
        "21.7 zillion",
        "21.7 million reports",
        "5 5",
        "12 13%",
        "five apples",
        "one in three offenders",
        "hundred",
        "a",
        "and",
        "%",
        "percent",
        "-5",
        "1e5",
        "1_000",
        "1,23",
        "1234,567",
        "47.1%%",
        "about",
        "more than",
        "in excess of",
        "one and a half",
        "a decade and",
        # words in an order English never uses are refused, not summed
        "one two",
        "five twenty",
        "twenty twenty",
        "five hundred hundred",
        "two thousand thousand",
        "thousand million",
        "one and",
        "and one",
        "thirds",
        "a thirds",
        "two third",
        # a ratio over zero is not a number
        "one in zero",
        "1 in 0",
        "0 in 0",
    ],
)
def test_not_a_number_in_full_raises(text: str) -> None:
    with pytest.raises(NumberError):
        read_number(text)


NOT_UNITS = ["images", "apples", "zillion", "offenders", "cases", "per", "percentage", "x"]


@given(number_texts(), st.sampled_from(NOT_UNITS))
def test_trailing_words_are_refused(number: str, junk: str) -> None:
    with pytest.raises(NumberError):
        read_number(f"{number} {junk}")


@given(number_texts(), st.sampled_from(NOT_UNITS))
def test_leading_words_are_refused(number: str, junk: str) -> None:
    with pytest.raises(NumberError):
        read_number(f"{junk} {number}")


def test_number_error_is_a_value_error() -> None:
    assert issubclass(NumberError, ValueError)


@given(number_texts())
def test_whitespace_is_normalized(number: str) -> None:
    spaced = "  " + number.replace(" ", " \u00a0 ") + "\n"
    assert read_number(spaced) == read_number(number)


@pytest.mark.parametrize(
    ("text", "value", "whole"),
    [
        ("About 45% of reports were referred.", "45", "About 45%"),
        ("About 45% of reports were referred.", "45%", "About 45%"),
        ("received 21.7 million reports", "21.7", "21.7 million"),
        ("received 21.7 million reports", "1.7", "21.7 million"),
        ("in some 145 cases", "45", "some 145"),
        ("More than two-thirds of them", "two-thirds", "More than two-thirds"),
        ("one in three children", "one", "one in three"),
        ("rose 45 per cent, then", "45", "45 per cent"),
        ("in excess of 300 months.", "300", "in excess of 300 months"),
        # nothing wider reads: the value is the whole figure
        ("In 2019, 45% of them", "45%", "45%"),
        ("cases 45-50 of them", "45", "45"),
        ("it was 45.", "45", "45"),
    ],
)
def test_printed_is_the_whole_figure_around_a_value(text: str, value: str, whole: str) -> None:
    start = text.index(value)
    lo, hi = printed(text, start, start + len(value))
    assert text[lo:hi] == whole
