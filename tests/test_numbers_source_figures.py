"""csedata.numbers.read_number on the exact figures the sources print, correctly rounded."""

from __future__ import annotations

import pytest

from csedata.numbers import Reading, read_number


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
