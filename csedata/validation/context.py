"""The source text around each quoted failure, so a reviewer reads a number in place.

Only the quotes of failures are read (a few, however many sources), from the raw
files the report names; a file that cannot be read leaves its quotes without context.
"""

from __future__ import annotations

from pathlib import Path

from csedata.registry import REGISTRY
from csedata.report import CheckResult, Quote

LINES = 2  # whole lines of context on either side of a quote
CHARS = 300  # and at most this many characters of them


def _around(text: str, q: Quote) -> Quote:
    if q.char_start is None or q.char_end is None or text[q.char_start : q.char_end] != q.quote:
        return q
    before = "\n".join(text[: q.char_start].split("\n")[-LINES - 1 :])
    after = "\n".join(text[q.char_end :].split("\n")[: LINES + 1])
    before = before if len(before) <= CHARS else "…" + before[-CHARS:]
    after = after if len(after) <= CHARS else after[:CHARS] + "…"
    return q.model_copy(update={"before": before, "after": after})


def in_context(root: Path, files: dict[str, str], checks: list[CheckResult]) -> list[CheckResult]:
    """The checks, each failure's quotes with the lines around them (``files``: source_id ->
    raw file)."""
    texts: dict[str, str | None] = {}

    def text(source_id: str) -> str | None:
        if source_id not in texts:
            path = root / REGISTRY.parent / files.get(source_id, "")
            try:
                texts[source_id] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                texts[source_id] = None
        return texts[source_id]

    out = []
    for c in checks:
        if any(f.quotes for f in c.failures):
            failures = [
                f.model_copy(
                    update={
                        "quotes": [
                            _around(t, q) if (t := text(q.source_id)) is not None else q
                            for q in f.quotes
                        ]
                    }
                )
                for f in c.failures
            ]
            c = c.model_copy(update={"failures": failures})
        out.append(c)
    return out
