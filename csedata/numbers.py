"""Read a number as the sources print it: digits, words, ratios, scales, qualifiers.

The reader is strict: text it cannot read in full is an error, never a guess,
because a half-read number ("21.7" from "21.7 million") is a silent wrong value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from csedata.numberwords import DENOMINATORS, SCALES, SMALL, TENS, TOKEN_WORDS

QUALIFIERS: dict[str, str] = {
    "approximately": "approximate",
    "about": "approximate",
    "around": "approximate",
    "roughly": "approximate",
    "some": "approximate",
    "nearly": "nearly",
    "almost": "nearly",
    "at least": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "in excess of": "more_than",
    "less than": "less_than",
    "fewer than": "less_than",
    "under": "less_than",
    "up to": "at_most",
    "at most": "at_most",
}

UNITS: dict[str, tuple[str, int]] = {
    "%": ("percent", 1),
    "percent": ("percent", 1),
    "per cent": ("percent", 1),
    "month": ("months", 1),
    "months": ("months", 1),
    "year": ("years", 1),
    "years": ("years", 1),
    "decade": ("years", 10),
    "decades": ("years", 10),
}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Reading:
    """A number read from text: value in the unit's base, unit and qualifier."""

    value: float
    unit: str
    qualifier: str


class NumberError(ValueError):
    """The text is not a number this reader understands, in full."""


# longest first, so "more than" wins over a shorter phrase it starts with
_QUALIFIER = re.compile(
    "(" + "|".join(map(re.escape, sorted(QUALIFIERS, key=len, reverse=True))) + ") "
)


def _strip_qualifier(text: str) -> tuple[str, str]:
    match = _QUALIFIER.match(text.lower())
    if match:
        return QUALIFIERS[match.group(1)], text[match.end() :].strip()
    return "exact", text


def _words_to_int(words: list[str]) -> int:
    """Cardinal number words in English order ("twenty-five", "a hundred and two").

    Strict on order, so "one two" or "hundred hundred" is refused, not summed.
    """
    if not words:
        raise NumberError("no number")
    total, group, last, last_scale = 0, 0, "", 10**12
    for i, word in enumerate(words):
        if word == "a" and i == 0 and len(words) > 1:
            group, last = 1, "unit"
        elif word in SMALL and last in ("", "tens", "hundred", "and"):
            value = SMALL[word]
            if last == "tens" and not 0 < value < 10:
                raise NumberError(f"{word!r} cannot follow a tens word")
            group, last = group + value, "unit" if value < 10 else "teen"
        elif word in TENS and last in ("", "hundred", "and"):
            group, last = group + TENS[word], "tens"
        elif word == "hundred" and last in ("unit", "teen") and group < 100:
            group, last = group * 100, "hundred"
        elif word in SCALES and word != "hundred" and last not in ("", "and"):
            if SCALES[word] >= last_scale:
                raise NumberError(f"{word!r} cannot follow a larger or equal scale")
            total, group, last, last_scale = total + group * SCALES[word], 0, "", SCALES[word]
        elif word == "and" and last in ("hundred", "") and (total or group) and i < len(words) - 1:
            last = "and"
        else:
            raise NumberError(f"not a number here: {word!r}")
    if last == "and":
        raise NumberError("number words end in 'and'")
    return total + group


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text.lower()) if w]


def _read_magnitude(text: str) -> tuple[float, str]:
    """The number and what follows it (the unit text), scales applied exactly."""
    match = _DIGITS.match(text)
    if match:
        value = Decimal(match.group().replace(",", ""))
        rest = text[match.end() :].strip()
        # "21.7 million": a scale word directly after the digits
        first, _, remainder = rest.partition(" ")
        if first.lower() in SCALES and first.lower() != "hundred":
            return float(value * SCALES[first.lower()]), remainder.strip()
        return float(value), rest
    words = _split_words(text)
    # the longest leading run of number words; the remainder is the unit
    for cut in range(len(words), 0, -1):
        try:
            value_int = _words_to_int(words[:cut])
        except NumberError:
            continue
        return float(value_int), " ".join(words[cut:])
    raise NumberError(f"no number at the start of {text!r}")


def _share(numerator: int, denominator: int) -> float:
    if denominator == 0:
        raise NumberError("a ratio with zero as its denominator")
    return float(Fraction(100 * numerator, denominator))  # one rounding, not two


def _read_ratio(text: str) -> float | None:
    """Shares in words as percentage points: "one in three", "two-thirds", "half"."""
    words = _split_words(text)
    if len(words) == 3 and words[1] == "in":
        return _share(_words_or_digits(words[0]), _words_or_digits(words[2]))
    if len(words) == 4 and words[1:3] == ["out", "of"]:
        return _share(_words_or_digits(words[0]), _words_or_digits(words[3]))
    if words and words[-1] in DENOMINATORS:
        head, plural = words[:-1], words[-1].endswith("s")
        if plural and (not head or head == ["a"]):
            raise NumberError(f"{words[-1]!r} needs a number before it")
        if not head:
            if words[-1] != "half":
                raise NumberError(f"{words[-1]!r} needs a number before it")
            numerator = 1
        else:
            numerator = 1 if head == ["a"] else _words_to_int(head)
        if numerator > 1 and not plural:
            raise NumberError(f"{' '.join(words)!r}: plural expected after {numerator}")
        return _share(numerator, DENOMINATORS[words[-1]])
    return None


def _words_or_digits(word: str) -> int:
    return int(word) if word.isdigit() else _words_to_int([word])


@functools.lru_cache(maxsize=1 << 16)  # tables repeat values ("100.0%"); a Reading is frozen
def read_number(text: str) -> Reading:
    """Read the whole of ``text`` as one number, or raise NumberError.

    Percent is returned in percentage points (47.1, not 0.471); shares written as
    ratios ("one in three") are percentage points too; a decade is 10 years.
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    if not cleaned:
        raise NumberError("empty number text")
    qualifier, body = _strip_qualifier(cleaned)
    ratio = _read_ratio(body)
    if ratio is not None:
        return Reading(ratio, "percent", qualifier)
    if body.lower() in ("a decade", "a year", "a month"):
        unit, factor = UNITS[body.lower()[2:]]
        return Reading(float(factor), unit, qualifier)
    if body.lower() == "a dozen":
        return Reading(12.0, "count", qualifier)
    value, rest = _read_magnitude(body)
    rest = rest.lstrip("-").strip().lower()
    if not rest:
        return Reading(value, "count", qualifier)
    if rest in UNITS:
        unit, factor = UNITS[rest]
        return Reading(float(Decimal(repr(value)) * factor), unit, qualifier)
    raise NumberError(f"cannot read {rest!r} after the number in {text!r}")


# a word or number as the reader's pieces go: "45%", "2,500", "4.5", "about", "per"
_PIECE = re.compile(r"\w+(?:[.,]\w+)*%?|%")
_AROUND = 3  # pieces either side: the longest qualifier ("in excess of") is three words
# the words a number's text can hold besides digits; a stretch is read only up to the first
# piece that is none of them, so most figures cost one read, not sixteen
_VOCABULARY = TOKEN_WORDS | {"a", "and", "in", "out", "of"}
_VOCABULARY |= {word for phrase in [*QUALIFIERS, *UNITS] for word in phrase.split()}


def _run(pieces: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The leading pieces that could be part of a number, at most ``_AROUND``."""
    run = []
    for s, e in pieces[:_AROUND]:
        if not (text[s].isdigit() or text[s:e].lower() in _VOCABULARY):
            break
        run.append((s, e))
    return run


def printed(text: str, start: int, end: int) -> tuple[int, int]:
    """The widest stretch around text[start:end] that reads as one number: the whole
    figure as printed ("About 45%" around "45"), or the span itself when nothing wider reads.

    Pieces touching the span are always in it ("145" around "45"); then up to three
    pieces either side that could be part of a number: the longest stretch
    ``read_number`` reads whole.
    """
    pieces = [m.span() for m in _PIECE.finditer(text, max(0, start - 60), end + 60)]
    inside = [(s, e) for s, e in pieces if s < end and e > start] or [(start, end)]
    first, last = min(inside[0][0], start), max(inside[-1][1], end)
    before = [s for s, _ in _run([p for p in reversed(pieces) if p[1] <= first], text)]
    after = [e for _, e in _run([p for p in pieces if p[0] >= last], text)]
    spans = [(lo, hi) for lo in [first, *before] for hi in [last, *after]]
    for lo, hi in sorted(spans, key=lambda span: span[0] - span[1]):  # longest first
        try:
            read_number(text[lo:hi])
        except NumberError:
            continue
        return lo, hi
    return start, end
