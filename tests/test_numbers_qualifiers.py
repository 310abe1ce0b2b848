"""csedata.numbers.read_number on qualifiers ("more than", "about"): each maps to its own."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numbertexts import casings, number_texts

from csedata.numbers import QUALIFIERS, NumberError, Reading, read_number


@st.composite
def mixed_case(draw: st.DrawFn, text: str) -> str:
    flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if f else c.lower() for c, f in zip(text, flags, strict=True))


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
