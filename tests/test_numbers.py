"""csedata.numbers.read_number: what it reads, what it refuses."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csedata.numbers import QUALIFIERS, NumberError, Reading, printed, read_number

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def int_to_words(n: int, *, hyphen: bool = True, and_: bool = False) -> str:
    """0..999 in English words: 25 -> 'twenty-five', 112 -> 'one hundred twelve'."""
    assert 0 <= n <= 999
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        return TENS[tens] + ("" if unit == 0 else ("-" if hyphen else " ") + ONES[unit])
    hundreds, rest = divmod(n, 100)
    head = f"{ONES[hundreds]} hundred"
    if rest == 0:
        return head
    return head + (" and " if and_ else " ") + int_to_words(rest, hyphen=hyphen)


def test_int_to_words_helper() -> None:
    assert int_to_words(0) == "zero"
    assert int_to_words(25) == "twenty-five"
    assert int_to_words(40) == "forty"
    assert int_to_words(112) == "one hundred twelve"
    assert int_to_words(999, hyphen=False, and_=True) == "nine hundred and ninety nine"


# --- strategies -------------------------------------------------------------------

casings = st.sampled_from([str.lower, str.upper, str.capitalize, str.title])


@st.composite
def mixed_case(draw: st.DrawFn, text: str) -> str:
    flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flags, strict=True))


@st.composite
def decimal_texts(draw: st.DrawFn, max_int: int = 10**9) -> str:
    """A decimal as printed, with thousands separators: '1,234.56', '47.1', '0.5'."""
    whole = draw(st.integers(min_value=0, max_value=max_int))
    places = draw(st.integers(min_value=1, max_value=4))
    frac = draw(st.text(alphabet="0123456789", min_size=places, max_size=places))
    return f"{whole:,}.{frac}"


@st.composite
def number_texts(draw: st.DrawFn) -> str:
    """Any number text the reader accepts, without a qualifier."""
    kind = draw(st.sampled_from(["int", "decimal", "percent", "words", "ratio", "scale", "time"]))
    if kind == "int":
        return f"{draw(st.integers(min_value=0, max_value=10**12)):,}"
    if kind == "decimal":
        return draw(decimal_texts())
    if kind == "percent":
        return draw(decimal_texts(max_int=1000)) + draw(st.sampled_from(["%", " percent"]))
    if kind == "words":
        return int_to_words(draw(st.integers(min_value=0, max_value=999)))
    if kind == "ratio":
        return draw(st.sampled_from(["one in three", "two-thirds", "a third", "half"]))
    if kind == "scale":
        return draw(decimal_texts(max_int=999)) + draw(st.sampled_from([" million", " billion"]))
    return draw(st.sampled_from(["275 months", "23 years", "a decade", "two decades"]))


# --- digits -------------------------------------------------------------------------


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


# --- months, years, decades ---------------------------------------------------------


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


# --- numbers in words ---------------------------------------------------------------


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


# --- ratios in words ----------------------------------------------------------------


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


# --- qualifiers ---------------------------------------------------------------------


@given(st.sampled_from(sorted(QUALIFIERS)), st.data(), number_texts())
def test_every_qualifier_maps_to_its_qualifier(
    phrase: str, data: st.DataObject, number: str
) -> None:
    cased = data.draw(st.one_of(casings.map(lambda f: f(phrase)), mixed_case(phrase)))
    plain = read_number(number)
    assert plain.qualifier == "exact"
    assert read_number(f"{cased} {number}") == dataclasses.replace(
        plain, qualifier=QUALIFIERS[phrase]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than two-thirds", Reading(100 * 2 / 3, "percent", "more_than")),
        ("MORE THAN 5", Reading(5.0, "count", "more_than")),
        ("Approximately one in three", Reading(100 / 3, "percent", "approximate")),
        ("in excess of 300 months", Reading(300.0, "months", "more_than")),
        ("at least 55%", Reading(55.0, "percent", "at_least")),
        ("up to 30 years", Reading(30.0, "years", "at_most")),
        ("fewer than twenty", Reading(20.0, "count", "less_than")),
        ("some 5,400", Reading(5400.0, "count", "approximate")),
    ],
)
def test_qualifier_examples(text: str, expected: Reading) -> None:
    reading = read_number(text)
    assert (reading.unit, reading.qualifier) == (expected.unit, expected.qualifier)
    assert reading.value == pytest.approx(expected.value, rel=1e-12)


@pytest.mark.parametrize("phrase", sorted(QUALIFIERS))
def test_a_qualifier_alone_is_not_a_number(phrase: str) -> None:
    with pytest.raises(NumberError):
        read_number(phrase)


# --- what is not a number in full ---------------------------------------------------


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


# --- the exact figures printed in the sources -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21.7 million", Reading(21_700_000.0, "count", "exact")),
        ("more than 20 million", Reading(20_000_000.0, "count", "more_than")),
        ("4,265", Reading(4265.0, "count", "exact")),
        ("1,023", Reading(1023.0, "count", "exact")),
        ("1,340", Reading(1340.0, "count", "exact")),
        ("109,000", Reading(109_000.0, "count", "exact")),
        ("85,600", Reading(85_600.0, "count", "exact")),
        ("9,200", Reading(9200.0, "count", "exact")),
        ("more than 5,400", Reading(5400.0, "count", "more_than")),
        ("over 5,920", Reading(5920.0, "count", "more_than")),
        ("more than 158", Reading(158.0, "count", "more_than")),
        ("about 41", Reading(41.0, "count", "approximate")),
        ("eight", Reading(8.0, "count", "exact")),
        ("two", Reading(2.0, "count", "exact")),
        ("four", Reading(4.0, "count", "exact")),
        ("one", Reading(1.0, "count", "exact")),
        ("nearly 100", Reading(100.0, "count", "nearly")),
        ("about 25", Reading(25.0, "count", "approximate")),
        ("512", Reading(512.0, "count", "exact")),
        ("47.1%", Reading(47.1, "percent", "exact")),
        ("100.0%", Reading(100.0, "percent", "exact")),
        ("61.3%", Reading(61.3, "percent", "exact")),
        ("422%", Reading(422.0, "percent", "exact")),
        ("35.8%", Reading(35.8, "percent", "exact")),
        ("approximately 90%", Reading(90.0, "percent", "approximate")),
        ("at least 55%", Reading(55.0, "percent", "at_least")),
        ("96 percent", Reading(96.0, "percent", "exact")),
        ("275 months", Reading(275.0, "months", "exact")),
        ("23 years", Reading(23.0, "years", "exact")),
        ("in excess of 300 months", Reading(300.0, "months", "more_than")),
    ],
)
def test_source_figures(text: str, expected: Reading) -> None:
    assert read_number(text) == expected


def test_source_ratios() -> None:
    two_thirds = read_number("More than two-thirds")
    assert (two_thirds.unit, two_thirds.qualifier) == ("percent", "more_than")
    assert two_thirds.value == pytest.approx(66.6666666667, abs=1e-9)
    one_in_three = read_number("Approximately one in three")
    assert (one_in_three.unit, one_in_three.qualifier) == ("percent", "approximate")
    assert one_in_three.value == pytest.approx(33.3333333333, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4.1 million", 4_100_000.0),
        ("0.3 million", 300_000.0),
        ("1.1 decades", 11.0),
        ("two-thirds", 200 / 3),
        ("one in three", 100 / 3),
    ],
)
def test_scaled_and_ratio_values_are_correctly_rounded(text: str, value: float) -> None:
    """One rounding from the exact value: no 4099999.9999999995 for 4.1 million."""
    assert read_number(text).value == value


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
