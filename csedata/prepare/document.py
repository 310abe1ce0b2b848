"""What a converter returns: the prepared text and where its pages start."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Prepared:
    """The text specs read; provenance offsets index it.

    ``pages`` holds the offset at which each page starts (the first is 0) for
    media that have pages (PDF), so any offset, a quote's or a value's, has a page.
    """

    text: str
    pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``; None where there are no pages."""
        return bisect_right(self.pages, offset) if self.pages else None
