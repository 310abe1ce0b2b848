"""The coverage ledger: every number token in a raw text, extracted or excluded.

A token that is neither stops the build, so a release can never skip a number
in its sources silently; the ledger ships with the release for reviewers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Any

from csedata.errors import CsedataError
from csedata.numberwords import TOKEN_WORDS
from csedata.spec import Patterns, Spec
from csedata.text import find_exactly, place

_WORDS = sorted(TOKEN_WORDS, key=lambda word: (-len(word), word))  # longest first
# The lookahead on the words' first letters matches nothing the alternation would not:
# it only spares trying ~80 words at every other word start (2x faster on reports).
_FIRST = "[" + "".join(sorted({word[0] for word in _WORDS})) + "]"
TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*|\b(?=" + _FIRST + ")(?:" + "|".join(_WORDS) + r")\b", re.IGNORECASE
)


def _first_cover(
    starts: list[int], ends: list[int], spans: list[tuple[int, int]]
) -> list[int | None]:
    """For each token, the index of the first span (in list order) that contains it.

    Tokens are sorted and never overlap, so the tokens inside a span are one run
    found by bisection: O((tokens + spans) log tokens), not tokens x spans.
    """
    cover: list[int | None] = [None] * len(starts)
    for index, (start, end) in enumerate(spans):
        for token in range(bisect_left(starts, start), bisect_right(ends, end)):
            if cover[token] is None:
                cover[token] = index
    return cover


def ledger(
    source_id: str,
    file: str,
    text: str,
    spec: Spec,
    patterns: Patterns,
    observations: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per number token, each with status, observation id or reason."""
    rows, unexplained = account(source_id, text, spec, patterns, observations)
    if unexplained:
        first = unexplained[0]
        context = " ".join(text[max(0, first.start() - 40) : first.end() + 40].split())
        more = f" (and {len(unexplained) - 1} more)" if len(unexplained) > 1 else ""
        raise CsedataError(
            f"raw/{file}",
            f"number {first.group()!r} at {place(text, first.start())} is neither extracted "
            f"nor excluded in flows/specs/{source_id}.yaml{more}: ...{context}...",
        )
    return rows


def account(
    source_id: str,
    text: str,
    spec: Spec,
    patterns: Patterns,
    observations: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[re.Match[str]]]:
    """The ledger's rows, and the number tokens that are neither extracted nor excluded."""
    where = f"flows/specs/{source_id}.yaml"
    excluded: list[tuple[int, int, str, str | None]] = []
    for rule in patterns.exclude_patterns:
        for m in re.finditer(rule.pattern, text):
            excluded.append((m.start(), m.end(), rule.reason, rule.note))
    for i, ex in enumerate(spec.exclude):
        entry = f"{where}: exclude[{i}]"
        for start, end in find_exactly(text, ex.within, ex.count, entry, "text"):
            excluded.append((start, end, ex.reason, ex.note))

    tokens = list(TOKEN.finditer(text))
    starts = [m.start() for m in tokens]
    ends = [m.end() for m in tokens]
    extracted = _first_cover(
        starts, ends, [(o["value_start"], o["value_end"]) for o in observations]
    )
    reasons = _first_cover(starts, ends, [(s, e) for s, e, _, _ in excluded])
    ids = [o["observation_id"] for o in observations]
    rows: list[dict[str, Any]] = []
    unexplained: list[re.Match[str]] = []
    for m, hit, why in zip(tokens, extracted, reasons, strict=True):
        if hit is not None:
            status, observation_id, reason, note = "extracted", ids[hit], None, None
        elif why is not None:
            status, observation_id, (_, _, reason, note) = "excluded", None, excluded[why]
        else:
            unexplained.append(m)
            continue
        start, end = m.span()
        rows.append(
            {
                "source_id": source_id,
                "token": m.group(),
                "char_start": start,
                "char_end": end,
                "status": status,
                "observation_id": observation_id,
                "reason": reason,
                "note": note,
            }
        )
    return rows, unexplained
