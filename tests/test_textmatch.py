"""csedata.textmatch and find_exactly: quotes found whatever the whitespace and markup."""

from __future__ import annotations

import pytest

from csedata.errors import CsedataError
from csedata.text import find_exactly
from csedata.textmatch import find_loose, normal, squeeze

CAPTURE = "## **Overview**\n\nINCREASE IN CASES OVER 15 YEARS** \n\n \n422%\n- one item 7\n"
RENDERED = "Overview\n\nINCREASE IN CASES OVER 15 YEARS\n\n422%\n\n- one item 7\n"


def test_squeeze_drops_markup_and_collapses_whitespace() -> None:
    assert squeeze(CAPTURE) == "Overview INCREASE IN CASES OVER 15 YEARS 422% one item 7"
    assert squeeze(CAPTURE) == squeeze(RENDERED)
    assert squeeze("a -5% change, x - y") == "a -5% change, x - y"  # not bullets


def test_squeeze_of_text_without_marks_is_its_normal_form() -> None:
    """The shortcut for text without markup characters agrees with the full normal form,
    whatever the whitespace (tabs, line breaks, no-break and em spaces, separators)."""
    for text in ["  Age of\tthe\t\tVictim \r\n", "21.7\u00a0million\u2003cases\x1c(n)", "", " "]:
        assert squeeze(text) == normal(text).text.strip()


@pytest.mark.parametrize("text", [CAPTURE, RENDERED])
def test_loose_spans_are_offsets_in_the_original(text: str) -> None:
    quote = "INCREASE IN CASES OVER 15 YEARS** \n\n \n422%"
    ((start, end),) = find_loose(text, quote)
    assert text[start:end].startswith("INCREASE") and text[start:end].endswith("422%")
    assert squeeze(text[start:end]) == squeeze(quote)
    assert find_loose(text, "422%", (start, end)) == [(end - 4, end)]
    assert find_loose(text, "422%", (0, start)) == []


def test_verbatim_first_then_loose() -> None:
    at = CAPTURE.index("YEARS**")
    assert find_exactly(CAPTURE, "YEARS** \n\n \n422%", 1, "w", "quote") == [(at, at + 16)]
    ((start, end),) = find_exactly(RENDERED, "YEARS** \n\n \n422%", 1, "w", "quote")
    assert RENDERED[start:end] == "YEARS\n\n422%"


def test_count_is_still_enforced_and_places_named() -> None:
    text = "12\ncases.\n\n12\tcases."
    with pytest.raises(CsedataError, match=r"found 2 times, expected 1; at line 1, col 1"):
        find_exactly(text, "12 cases", 1, "w", "quote")
    assert find_exactly(text, "12 cases", 2, "w", "quote") == [(0, 8), (11, 19)]
    # verbatim wins: one verbatim occurrence is the one, whatever the loose ones
    assert find_exactly(text + " 12 cases", "12 cases", 1, "w", "quote") == [(21, 29)]
