"""csedata.extract of a spec's prose figures: a small figure read, and each way it can fail."""

from __future__ import annotations

import pytest
from extracts import SOURCE, failure, figure, make_spec

from csedata.extract import extract
from csedata.spec import Spec
from csedata.text import place

PROSE = (
    "Heading\n"
    "\n"
    "In the last year the office received 21.7 million reports.\n"
    "Of 5 cases, 5 were closed.\n"
    "Nearly half (47.1%) used a phone.\n"
)


def test_small_figure_extracts() -> None:
    (o,) = extract(SOURCE, make_spec(figures=[figure()]), PROSE)
    assert o["observation_id"] == "demo/prose/reports/count"
    assert o["value"] == 21_700_000.0
    assert o["char_start"] == PROSE.index("received 21.7 million reports")
    assert o["value_start"] == PROSE.index("21.7 million")
    assert o["form"] == "prose"


def test_quote_not_found() -> None:
    message = failure(PROSE, make_spec(figures=[figure(quote="received 21.8 million reports")]))
    assert "figures (reports)" in message
    assert "quote 'received 21.8 million reports' found 0 times, expected 1" in message


def test_quote_found_twice() -> None:
    text = PROSE + "Later: received 21.7 million reports.\n"
    message = failure(text, make_spec(figures=[figure()]))
    assert "figures (reports)" in message
    assert "found 2 times, expected 1" in message
    first, second = (place(text, i) for i in (37, text.rindex("received")))
    assert text.index("received") == 37
    assert f"at {first}, {second}" in message
    assert "line 3, col 29 (char 37)" in message


def test_value_not_in_quote() -> None:
    spec = make_spec(figures=[figure(value="21.8 million")])
    message = failure(PROSE, spec)
    assert "figures (reports)" in message
    assert "value '21.8 million' found 0 times, expected 1" in message


def test_value_found_twice_in_quote() -> None:
    spec = make_spec(
        figures=[figure(id="closed", quote="Of 5 cases, 5 were closed.", value="5", label="cases")]
    )
    message = failure(PROSE, spec)
    assert "figures (closed)" in message
    assert "value '5' found 2 times, expected 1" in message
    # positions are in the raw file, not in the quote
    start = PROSE.index("Of 5 cases")
    assert f"(char {start + 3})" in message
    assert f"(char {start + 12})" in message


def test_label_not_verbatim() -> None:
    message = failure(PROSE, make_spec(figures=[figure(label="Reports")]))
    assert "figures (reports)" in message
    assert "label 'Reports' is not verbatim in the quote" in message


def test_unreadable_number() -> None:
    text = PROSE.replace("21.7 million", "21.7 zillion")
    spec = make_spec(figures=[figure(quote="received 21.7 zillion reports", value="21.7 zillion")])
    message = failure(text, spec)
    assert "figures (reports)" in message
    assert "'zillion'" in message
    assert f"line 3, col 38 (char {text.index('21.7')})" in message


def test_value_with_a_different_unit() -> None:
    spec = make_spec(
        figures=[
            figure(
                id="phone", quote="(47.1%) used a phone", value="47.1%", label="used", unit="count"
            )
        ]
    )
    message = failure(PROSE, spec)
    assert "figures (phone)" in message
    assert "reads as percent, spec says count" in message
    assert f"(char {PROSE.index('47.1%')})" in message


@pytest.mark.parametrize(
    ("quote", "value", "unit", "expected"),
    [
        ("Of 5 cases", "5", "years", (5.0, "years")),
        ("Of 5 cases", "5", "months", (5.0, "months")),
        ("Of 5 cases", "5", "percent", (5.0, "percent")),
        ("(47.1%) used", "47.1%", "percent_change", (47.1, "percent_change")),
        ("(47.1%) used", "47.1%", "percent", (47.1, "percent")),
    ],
)
def test_unit_refinements(quote: str, value: str, unit: str, expected: tuple[float, str]) -> None:
    spec = make_spec(
        figures=[
            figure(
                id="x",
                quote=quote,
                value=value,
                label="used" if "used" in quote else "cases",
                unit=unit,
            )
        ]
    )
    (o,) = extract(SOURCE, spec, PROSE)
    assert (o["value"], o["unit"]) == expected


@pytest.mark.parametrize(("direction", "sign"), [("increase", 1), ("decrease", -1)])
def test_direction_signs_a_percent_change(direction: str, sign: int) -> None:
    fig = figure(id="x", quote="(47.1%) used", value="47.1%", label="used", unit="percent_change")
    (o,) = extract(SOURCE, make_spec(figures=[fig | {"direction": direction}]), PROSE)
    assert o["value"] == sign * 47.1


def test_direction_on_a_share_is_refused() -> None:
    fig = figure(id="x", quote="(47.1%) used", value="47.1%", label="used", direction="decrease")
    message = failure(PROSE, make_spec(figures=[fig]))
    assert "figures (x)" in message
    assert "direction is only for a percent_change" in message


def test_two_entries_with_the_same_observation_id() -> None:
    message = failure(PROSE, make_spec(figures=[figure(), figure()]))
    assert "observation_id 'demo/prose/reports/count'" in message


def test_percent_without_a_universe() -> None:
    spec = Spec.model_validate(
        {
            "source_id": "demo",
            "defaults": {"measure": "offenders", "producer": "ussc", "place": "us"},
            "figures": [figure(id="x", quote="(47.1%) used", value="47.1%", label="used")],
        }
    )
    message = failure(PROSE, spec)
    assert "figures (x)" in message
    assert "a percent needs a universe" in message


def test_figure_without_a_measure() -> None:
    spec = Spec.model_validate({"source_id": "demo", "figures": [figure()]})
    message = failure(PROSE, spec)
    assert "figures (reports)" in message
    assert "no measure" in message


@pytest.mark.parametrize(
    ("value", "whole"),
    [("45", "About 45%"), ("45%", "About 45%"), ("About 45", "About 45%"), ("5", "About 45%")],
)
def test_value_part_of_a_wider_figure_is_refused(value: str, whole: str) -> None:
    text = PROSE + "About 45% of reports were referred to another agency.\n"
    quote = "About 45% of reports were referred"
    spec = make_spec(figures=[figure(id="referred", quote=quote, value=value, label="referred")])
    message = failure(text, spec)
    assert "figures (referred)" in message
    at = place(text, text.index(quote) + quote.index(value))
    assert f"value {value!r} is part of {whole!r} at {at}: give the whole figure" in message


def test_whole_figure_beside_other_numbers_extracts() -> None:
    text = PROSE + "In 2019, about 45% of 300 reports were referred.\n"
    fig = figure(id="referred", quote="about 45% of 300 reports", value="about 45%", label="rep")
    (o,) = extract(SOURCE, make_spec(figures=[fig]), text)
    assert (o["value"], o["unit"], o["qualifier"]) == (45.0, "percent", "approximate")
