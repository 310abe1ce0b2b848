"""csedata.ledger: every number token in a raw text is extracted or excluded."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csedata import numberwords
from csedata.errors import CsedataError
from csedata.extract import extract
from csedata.ledger import _WORDS, TOKEN, ledger
from csedata.prepare.dispatch import prepare
from csedata.registry import load_registry
from csedata.spec import Patterns, Spec, load_patterns, load_spec
from csedata.text import place
from schemas import LEDGER, frame

ROOT = Path(__file__).resolve().parents[1]
SOURCES = load_registry(ROOT)
SOURCE_IDS = list(SOURCES)
MINNEAPOLIS = "minneapolis-2013-trafficking"
MINNEAPOLIS_FILE = "minneapolis-2013-01-16-juvenile-sex-trafficking.txt"


@cache
def patterns() -> Patterns:
    return load_patterns(ROOT)


@cache
def real_text(source_id: str) -> str:
    return prepare(ROOT, SOURCES[source_id]).text  # a web page as the pipeline reads it


def run(source_id: str, text: str, spec: Spec | None = None) -> list[dict[str, Any]]:
    """Extract then ledger, as the pipeline does, for a (possibly edited) text."""
    source = SOURCES[source_id]
    spec = spec or load_spec(ROOT, source_id)
    observations = extract(source, spec, text)
    return ledger(source_id, source.file, text, spec, patterns(), observations)


@cache
def real_ledger(source_id: str) -> tuple[dict[str, Any], ...]:
    return tuple(run(source_id, real_text(source_id)))


# --- the real sources -----------------------------------------------------------------


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_real_sources_have_complete_ledgers(source_id: str) -> None:
    text = real_text(source_id)
    rows = real_ledger(source_id)
    assert rows
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    assert [(r["char_start"], r["char_end"], r["token"]) for r in rows] == tokens
    for r in rows:
        assert text[r["char_start"] : r["char_end"]] == r["token"]
        assert r["source_id"] == source_id
        if r["status"] == "extracted":
            assert r["observation_id"] is not None and r["reason"] is None
        else:
            assert r["status"] == "excluded"
            assert r["observation_id"] is None and r["reason"] is not None


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_observation_is_in_the_ledger(source_id: str) -> None:
    source = SOURCES[source_id]
    text = real_text(source_id)
    observations = extract(source, load_spec(ROOT, source_id), text)
    referenced = {r["observation_id"] for r in real_ledger(source_id) if r["status"] == "extracted"}
    assert referenced == {o["observation_id"] for o in observations}
    spans = {o["observation_id"]: (o["value_start"], o["value_end"]) for o in observations}
    for r in real_ledger(source_id):
        if r["status"] == "extracted":
            start, end = spans[r["observation_id"]]
            assert start <= r["char_start"] and r["char_end"] <= end


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_ledger_fits_the_release_schema(source_id: str) -> None:
    LEDGER.validate(frame(LEDGER, list(real_ledger(source_id))))


def test_real_ledger_examples() -> None:
    rows = {(r["char_start"], r["token"]): r for r in real_ledger(MINNEAPOLIS)}
    text = real_text(MINNEAPOLIS)
    nineteen = rows[(text.index("19 defendants"), "19")]
    assert nineteen["status"] == "extracted"
    assert nineteen["observation_id"].endswith("/defendants-charged/count")
    year = rows[(text.index("2011"), "2011")]
    assert (year["status"], year["reason"]) == ("excluded", "year")
    phone = rows[(text.index("612-673-3000"), "612")]
    assert (phone["status"], phone["reason"]) == ("excluded", "contact")
    channel = rows[(text.index("14 Government TV"), "14")]
    assert (channel["status"], channel["reason"]) == ("excluded", "name")


# --- the token pattern ------------------------------------------------------------------

# TOKEN as first written: its first-letter lookahead must not change a single match
PLAIN_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


# letters that match an ASCII letter only case-insensitively: long s, Kelvin sign, dotted I
FOLDS = "\u017f\u212a\u0130\u0131"


@given(
    st.lists(
        st.sampled_from([*_WORDS, "Seven", "TWENTY", "\u017fix", "\u017feventh", "Ten", "é"])
        | st.text(alphabet="0123456789.,-_ aZé§" + FOLDS, max_size=6),
    )
)
def test_token_matches_the_plain_alternation(parts: list[str]) -> None:
    text = "".join(parts)
    found = [(m.span(), m.group()) for m in TOKEN.finditer(text)]
    assert found == [(m.span(), m.group()) for m in PLAIN_TOKEN.finditer(text)]


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_token_matches_the_plain_alternation_in_real_sources(source_id: str) -> None:
    text = real_text(source_id)
    assert [m.span() for m in TOKEN.finditer(text)] == [
        m.span() for m in PLAIN_TOKEN.finditer(text)
    ]


# --- numbers nobody accounted for -------------------------------------------------------


def expect_unexplained(text: str, token: str, offset: int, spec: Spec | None = None) -> str:
    with pytest.raises(CsedataError) as exc:
        run(MINNEAPOLIS, text, spec)
    message = str(exc.value)
    assert message.splitlines() == [message], f"not one line: {message!r}"
    assert message.startswith(f"raw/{MINNEAPOLIS_FILE}: ")
    assert f"number {token!r} at {place(text, offset)} is neither extracted nor excluded" in message
    assert f"flows/specs/{MINNEAPOLIS}.yaml" in message
    return message


def test_extra_number_in_the_middle_of_the_text() -> None:
    text = real_text(MINNEAPOLIS)
    old = "18 juvenile females were rescued."
    new = "18 juvenile females were rescued, and 77 cases remain open."
    edited = text.replace(old, new)
    assert edited != text
    message = expect_unexplained(edited, "77", edited.index("77 cases"))
    assert "line 3, col " in message
    assert "77 cases remain open" in message  # the context around the token
    assert "more)" not in message


def test_extra_number_at_the_end_of_the_text() -> None:
    text = real_text(MINNEAPOLIS) + "\nIn all 4,321 calls came in.\n"
    offset = text.index("4,321")
    message = expect_unexplained(text, "4,321", offset)
    assert f"line {text.count(chr(10), 0, offset) + 1}, col 8 (char {offset})" in message


def test_error_stays_one_line_with_crlf_line_endings() -> None:
    text = real_text(MINNEAPOLIS) + "\r\nwe saw 77 cases\r\nend\r\n"
    message = expect_unexplained(text, "77", text.index("77 cases"))
    assert "\r" not in message
    assert "\n" not in message


def test_extra_number_word() -> None:
    text = real_text(MINNEAPOLIS) + "\nTwelve officers attended.\n"
    expect_unexplained(text, "Twelve", text.index("Twelve"))


@pytest.mark.parametrize("word", ["thirteenth", "Sixteenth", "thirtieth", "ninetieth"])
def test_every_ordinal_is_a_token(word: str) -> None:
    text = real_text(MINNEAPOLIS) + f"\nIt was the {word} report.\n"
    expect_unexplained(text, word, text.index(word))


def test_every_number_word_the_reader_knows_is_a_token() -> None:
    cardinals = {**numberwords.SMALL, **numberwords.TENS, **numberwords.SCALES}
    words = {*cardinals, *numberwords.DENOMINATORS, *numberwords.ORDINALS}
    assert {numberwords.ordinal(w) for w, n in cardinals.items() if n} <= words
    assert [w for w in sorted(words) if not TOKEN.fullmatch(w)] == []


def test_several_extra_numbers_report_the_first_and_count_the_rest() -> None:
    text = real_text(MINNEAPOLIS) + "\nIn all 77 calls, 78 visits and 79 letters.\n"
    message = expect_unexplained(text, "77", text.index("77"))
    assert "(and 2 more)" in message


# --- exclusions that no longer fit the text -----------------------------------------


def test_exclusion_found_more_often_than_its_count() -> None:
    spec = load_spec(ROOT, MINNEAPOLIS)
    index = next(i for i, ex in enumerate(spec.exclude) if ex.within == "311")
    assert spec.exclude[index].count == 4
    text = real_text(MINNEAPOLIS) + "\nCall 311.\n"
    with pytest.raises(CsedataError) as exc:
        run(MINNEAPOLIS, text)
    message = str(exc.value)
    assert message.splitlines() == [message]
    assert message.startswith(f"flows/specs/{MINNEAPOLIS}.yaml: exclude[{index}]: ")
    assert "'311' found 5 times, expected 4" in message
    assert "line " in message and "(char " in message


def test_exclusion_found_less_often_than_its_count() -> None:
    spec = load_spec(ROOT, MINNEAPOLIS)
    index = next(i for i, ex in enumerate(spec.exclude) if ex.within == "add a second investigator")
    text = real_text(MINNEAPOLIS).replace("add a second investigator", "add another investigator")
    with pytest.raises(CsedataError) as exc:
        run(MINNEAPOLIS, text)
    message = str(exc.value)
    assert message.startswith(f"flows/specs/{MINNEAPOLIS}.yaml: exclude[{index}]: ")
    assert "'add a second investigator' found 0 times, expected 1" in message


def small_spec(exclude: list[dict[str, Any]]) -> Spec:
    return Spec.model_validate({"source_id": "demo", "exclude": exclude})


def small_ledger(text: str, spec: Spec | None = None) -> list[dict[str, Any]]:
    return ledger("demo", "demo.txt", text, spec or small_spec([]), patterns(), [])


@pytest.mark.parametrize(("count", "occurs"), [(1, 2), (2, 1), (3, 2), (1, 0)])
def test_exclusion_count_must_match(count: int, occurs: int) -> None:
    text = "Intro.\n" + "A ward of 12 beds.\n" * occurs
    spec = small_spec([{"within": "ward of 12 beds", "reason": "non-statistical", "count": count}])
    with pytest.raises(CsedataError) as exc:
        small_ledger(text, spec)
    message = str(exc.value)
    assert message.startswith("flows/specs/demo.yaml: exclude[0]: ")
    assert f"found {occurs} times, expected {count}" in message


@pytest.mark.parametrize("count", [1, 2, 3])
def test_exclusion_with_the_right_count(count: int) -> None:
    text = "Intro.\n" + "A ward of 12 beds.\n" * count
    spec = small_spec([{"within": "ward of 12 beds", "reason": "name", "count": count}])
    rows = small_ledger(text, spec)
    assert [(r["token"], r["status"], r["reason"]) for r in rows] == [
        ("12", "excluded", "name")
    ] * count


# --- global patterns ------------------------------------------------------------------


def test_patterns_exclude_years_phone_numbers_and_sections() -> None:
    text = "In 2019 the office at 612-673-3000 applied §2G2.1 and § 2G2.2 of the guidelines.\n"
    rows = small_ledger(text)
    got = [(r["token"], r["status"], r["reason"]) for r in rows]
    assert got == [
        ("2019", "excluded", "year"),
        ("612", "excluded", "contact"),
        ("673", "excluded", "contact"),
        ("3000", "excluded", "contact"),
        ("2", "excluded", "section"),
        ("2.1", "excluded", "section"),
        ("2", "excluded", "section"),
        ("2.2", "excluded", "section"),
    ]
    # statute sections too: 18 U.S.C. § 2252A(a)(5)
    statute = small_ledger("It applied § 2252A(a)(5) and §§ 2251.\n")
    assert [(r["token"], r["reason"]) for r in statute] == [
        ("2252", "section"),
        ("5", "section"),
        ("2251", "section"),
    ]
    for r in rows:
        assert r["note"]
        assert r["observation_id"] is None


@given(st.integers(min_value=1950, max_value=2049))
def test_every_year_from_1950_to_2049_is_excluded(year: int) -> None:
    (row,) = small_ledger(f"Published in {year}.")
    assert (row["token"], row["reason"]) == (str(year), "year")


@given(st.integers(min_value=0, max_value=99_999).filter(lambda n: not 1950 <= n <= 2049))
def test_other_numbers_are_not_years(n: int) -> None:
    with pytest.raises(CsedataError):
        small_ledger(f"Published in {n}.")


@pytest.mark.parametrize(
    "text",
    [
        "It grew 2019% in a year.",
        "It cost $2019 in all.",
        "We counted 2,019 cases.",
        "We counted 12,019 cases.",
        "A rate of 2019.5 was seen.",
        "Code 12019 was used.",
        "Call 612-673-30001 now.",
        "Call 1612-673-3000 now.",
        "Call 612-673-300 now.",
        "Section 2G2.1 without the sign.",
    ],
)
def test_look_alikes_are_not_excluded(text: str) -> None:
    with pytest.raises(CsedataError) as exc:
        small_ledger(text)
    assert "is neither extracted nor excluded" in str(exc.value)


def test_text_without_numbers_has_an_empty_ledger() -> None:
    assert small_ledger("Nothing to count here, nor anywhere.\n") == []


def test_extracted_wins_over_excluded() -> None:
    text = "In 2019 the office closed 2019 cases.\n"
    spec = Spec.model_validate(
        {
            "source_id": "demo",
            "defaults": {"measure": "cases", "producer": "ussc", "place": "us"},
            "figures": [
                {
                    "id": "closed",
                    "table_id": "t",
                    "quote": "closed 2019 cases",
                    "value": "2019",
                    "label": "cases",
                    "title": "Cases closed",
                }
            ],
        }
    )
    source = SOURCES[MINNEAPOLIS].model_copy(update={"source_id": "demo", "file": "demo.txt"})
    observations = extract(source, spec, text)
    rows = ledger("demo", "demo.txt", text, spec, patterns(), observations)
    assert [(r["char_start"], r["status"]) for r in rows] == [(3, "excluded"), (26, "extracted")]
    assert rows[1]["observation_id"] == "demo/t/closed/count"
