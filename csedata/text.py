"""Positions in a raw text: exact-once lookup and human-readable places."""

from __future__ import annotations

import re

from csedata.errors import CsedataError


def place(text: str, offset: int) -> str:
    """'line L, col C (char N)' for a character offset, 1-based line and column."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, col {col} (char {offset})"


def find_all(text: str, needle: str) -> list[int]:
    """Start offsets of the non-overlapping occurrences of ``needle``.

    str.find, not a regular expression: thousands of distinct quotes would each
    be compiled and evict each other from the re module's cache.
    """
    starts, at = [], text.find(needle)
    while at != -1:
        starts.append(at)
        at = text.find(needle, at + max(len(needle), 1))
    return starts


def find_exactly(text: str, needle: str, count: int, where: str, what: str) -> list[int]:
    """Start offsets of ``needle``, which must occur exactly ``count`` times.

    A different count means the source changed (or the spec is wrong): either
    way extraction must stop rather than pick one occurrence by luck.
    """
    starts = find_all(text, needle)
    if len(starts) != count:
        shown = needle if len(needle) <= 60 else needle[:57] + "..."
        at = "; at " + ", ".join(place(text, s) for s in starts[:3]) if starts else ""
        raise CsedataError(
            where, f"{what} {shown!r} found {len(starts)} times, expected {count}{at}"
        )
    return starts


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
