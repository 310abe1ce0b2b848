"""csedata.numbers.read_number reads a number in full or refuses the text (NumberError)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numbertexts import number_texts

from csedata.numbers import NumberError, read_number


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
