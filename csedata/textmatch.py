"""Loose matching: a spec's quote found in a text whatever its whitespace and markup.

A figure quoted from a text capture ("INCREASE ... YEARS** \\n\\n \\n422%") must still
be found in the same page rendered from HTML or PDF, where the line breaks, the
bold markers and the heading marks are different or gone. Both sides are compared
in a normal form: markup marks (``**``, ``__``, a heading's ``#`` and a list
bullet at the start of a line) dropped and every run of whitespace one space. The
spans returned are in the original text, so provenance offsets stay exact.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from difflib import SequenceMatcher
from typing import NamedTuple

# a run of whitespace and markup marks; it becomes one space if it holds whitespace
_SEPARATOR = re.compile(r"(?:\s|\*\*|__|(?m:^)[ \t]*(?:#{1,6}|[-•])(?=[ \t]))+")


CANDIDATES = 20  # windows compared closely when a quote is not found
CONTEXT = 2  # words shown either side of the closest window


class Normal(NamedTuple):
    text: str  # the normal form
    origin: list[int]  # for each of its characters, the offset it came from


def _normal_form(text: str) -> Normal:
    parts: list[str] = []
    origin: list[int] = []
    at = 0
    for m in _SEPARATOR.finditer(text):
        parts.append(text[at : m.start()])
        origin.extend(range(at, m.start()))
        space = next((i for i, c in enumerate(m.group()) if c.isspace()), None)
        if space is not None:
            parts.append(" ")
            origin.append(m.start() + space)
        at = m.end()
    parts.append(text[at:])
    origin.extend(range(at, len(text)))
    return Normal("".join(parts), origin)


@functools.lru_cache(maxsize=4)  # one document's quotes are looked up one after another
def normal(text: str) -> Normal:
    return _normal_form(text)


_MARKUP = frozenset("*_#-\u2022")  # the characters of every mark _SEPARATOR drops


@functools.lru_cache(maxsize=1 << 16)  # row labels and titles repeat across documents
def squeeze(text: str) -> str:
    """The normal form of a short string (a quote, a label, a title), without end spaces."""
    if _MARKUP.isdisjoint(text):  # no mark to drop: only whitespace runs, as str.split sees them
        return " ".join(text.split())
    return _normal_form(text).text.strip()


def find_loose(
    text: str, needle: str, span: tuple[int, int] | None = None
) -> list[tuple[int, int]]:
    """Spans in ``text`` (within ``span``) whose normal form is the needle's."""
    form = normal(text)
    wanted = squeeze(needle)
    if not wanted:
        return []
    lo, hi = span or (0, len(text))
    begin, stop = bisect_left(form.origin, lo), bisect_left(form.origin, hi)
    spans, at = [], form.text.find(wanted, begin, stop)
    while at != -1:
        spans.append((form.origin[at], form.origin[at + len(wanted) - 1] + 1))
        at = form.text.find(wanted, at + len(wanted), stop)
    return spans


def closest(text: str, needle: str) -> tuple[int, str]:
    """Where the text comes closest to the needle, and that stretch (normal form, short).

    Windows of as many words as the needle are ranked by the needle's words they
    hold, then the best few by similarity; only ever called when a quote was not found.
    """
    form, wanted = normal(text), squeeze(needle)
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", form.text)]
    if not words:
        return 0, ""
    size = max(1, min(len(wanted.split()), len(words)))
    vocabulary = set(wanted.split())
    hits = [int(w in vocabulary) for _, _, w in words]
    score = sum(hits[:size])
    scores = [score]
    for i in range(size, len(words)):
        score += hits[i] - hits[i - size]
        scores.append(score)
    best = sorted(range(len(scores)), key=lambda i: -scores[i])[:CANDIDATES]

    def stretch(i: int, context: int = 0) -> str:
        last = min(i + size - 1 + context, len(words) - 1)
        return form.text[words[max(i - context, 0)][0] : words[last][1]]

    top = max(best, key=lambda i: (SequenceMatcher(None, stretch(i), wanted).ratio(), -i))
    shown = stretch(top, CONTEXT)
    return form.origin[words[top][0]], shown if len(shown) <= 100 else shown[:97] + "..."
