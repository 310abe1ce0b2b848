"""The source text around each quoted failure, so a reviewer reads a number in place.

Only text the release already holds is shown: the quotes of the source's observations
(a table's neighbouring rows, say) and the blank space between them; anything else
(a sentence no observation quotes, which may tell a case) is elided as "…". Only the
quotes of failures are read, from the raw files the report names; a file that cannot
be read leaves its quotes without context.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from csedata.registry import REGISTRY
from csedata.report import CheckResult, Quote

LINES = 2  # lines of context on either side of a quote
CHARS = 300  # and at most this many characters of them


def _spans(obs: pd.DataFrame, source_id: str) -> list[tuple[int, int]]:
    """The source's quoted passages, merged where they overlap, in order."""
    mine = obs.loc[obs["source_id"] == source_id, ["char_start", "char_end"]]
    merged: list[tuple[int, int]] = []
    starts, ends = mine["char_start"].astype(int), mine["char_end"].astype(int)
    for start, end in sorted(zip(starts, ends, strict=True)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _released(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    """text[lo:hi] where a quote covers it or it is blank; "…" for the rest."""
    out, pos = [], lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(_gap(text[pos:start]))
        out.append(text[start:end])
        pos = end
    out.append(_gap(text[pos:hi]))
    return "".join(out)


def _gap(gap: str) -> str:
    return gap if not gap.strip() else "…" + ("\n" if "\n" in gap else "")


def _around(text: str, spans: list[tuple[int, int]], q: Quote) -> Quote:
    if q.char_start is None or q.char_end is None or text[q.char_start : q.char_end] != q.quote:
        return q
    head = text[: q.char_start].split("\n")[-LINES - 1 :]
    lo = max(q.char_start - sum(len(line) + 1 for line in head) + 1, q.char_start - CHARS, 0)
    tail = text[q.char_end :].split("\n")[: LINES + 1]
    hi = min(q.char_end + sum(len(line) + 1 for line in tail) - 1, q.char_end + CHARS)
    return q.model_copy(
        update={
            "before": _released(text, spans, lo, q.char_start),
            "after": _released(text, spans, q.char_end, hi),
        }
    )


def in_context(
    root: Path, files: dict[str, str], obs: pd.DataFrame, checks: list[CheckResult]
) -> list[CheckResult]:
    """The checks, each failure's quotes with what the release holds of the lines around
    them (``files``: source_id -> raw file)."""
    texts: dict[str, tuple[str, list[tuple[int, int]]] | None] = {}

    def source(source_id: str) -> tuple[str, list[tuple[int, int]]] | None:
        if source_id not in texts:
            path = root / REGISTRY.parent / files.get(source_id, "")
            try:
                texts[source_id] = (path.read_bytes().decode("utf-8"), _spans(obs, source_id))
            except (OSError, UnicodeDecodeError):
                texts[source_id] = None
        return texts[source_id]

    def placed(q: Quote) -> Quote:
        found = source(q.source_id)
        return q if found is None else _around(found[0], found[1], q)

    out = []
    for c in checks:
        if any(f.quotes for f in c.failures):
            failures = [
                f.model_copy(update={"quotes": [placed(q) for q in f.quotes]}) for f in c.failures
            ]
            c = c.model_copy(update={"failures": failures})
        out.append(c)
    return out
