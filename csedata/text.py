"""Positions in a raw text: exact-once lookup and human-readable places."""

from __future__ import annotations

import functools
import re

from csedata.errors import CsedataError
from csedata.textmatch import closest, find_loose


def place(text: str, offset: int) -> str:
    """'line L, col C (char N)' for a character offset, 1-based line and column."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, col {col} (char {offset})"


def find_all(text: str, needle: str, start: int = 0, end: int | None = None) -> list[int]:
    """Offsets in ``text`` of the non-overlapping occurrences of ``needle`` in text[start:end].

    str.find, not a regular expression: thousands of distinct quotes would each
    be compiled and evict each other from the re module's cache.
    """
    stop = len(text) if end is None else end
    starts, at = [], text.find(needle, start, stop)
    while at != -1:
        starts.append(at)
        at = text.find(needle, at + max(len(needle), 1), stop)
    return starts


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def find_exactly(
    text: str,
    needle: str,
    count: int,
    where: str,
    what: str,
    span: tuple[int, int] | None = None,
) -> list[tuple[int, int]]:
    """Spans of ``needle`` (within ``span``), which must occur ``count`` times.

    Verbatim first; failing that, on normal whitespace and markup (csedata.textmatch),
    so a quote taken from a text capture is found in the HTML or PDF rendering of the
    same page. A different count means the source changed (or the spec is wrong):
    either way extraction must stop rather than pick one occurrence by luck, and the
    error shows the closest text when there is none.
    """
    starts = find_all(text, needle, *(span or (0, None)))
    if len(starts) == count:
        return [(s, s + len(needle)) for s in starts]
    spans = find_loose(text, needle, span)
    if len(spans) == count:
        return spans
    found = spans or [(s, s) for s in starts]
    if found:
        at = "; at " + ", ".join(place(text, s) for s, _ in found[:3])
    else:
        offset, near = closest(text[slice(*span)] if span else text, needle)
        at = f"; closest text at {place(text, offset + (span or (0, 0))[0])}: {near!r}"
    raise CsedataError(
        where, f"{what} {_shown(needle)!r} found {len(found)} times, expected {count}{at}"
    )


@functools.lru_cache(maxsize=1 << 16)  # table row labels repeat across documents
def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
