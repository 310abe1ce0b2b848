"""The coverage ledger: every number token in a raw text, extracted or excluded.

A token that is neither stops the build, so a release can never skip a number
in its sources silently; the ledger ships with the release for reviewers.
"""

from __future__ import annotations

import re
from typing import Any

from csedata.errors import CsedataError
from csedata.numbers import DENOMINATORS, SCALES, SMALL, TENS
from csedata.spec import Patterns, Spec
from csedata.text import find_exactly, place

ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth "
    "eleventh twelfth fifteenth twentieth hundredth"
).split()
MULTIPLES = (
    "double",
    "doubled",
    "twice",
    "triple",
    "tripled",
    "dozen",
    "dozens",
    "decade",
    "decades",
    "hundreds",
    "thousands",
    "millions",
    "billions",
)
_WORDS = sorted(
    {*SMALL, *TENS, *SCALES, *DENOMINATORS, *ORDINALS, *MULTIPLES}, key=len, reverse=True
)
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


def ledger(
    source_id: str,
    file: str,
    text: str,
    spec: Spec,
    patterns: Patterns,
    observations: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per number token, each with status, observation id or reason."""
    where = f"flows/specs/{source_id}.yaml"
    extracted = [(o["value_start"], o["value_end"], o["observation_id"]) for o in observations]
    excluded: list[tuple[int, int, str, str | None]] = []
    for rule in patterns.exclude_patterns:
        for m in re.finditer(rule.pattern, text):
            excluded.append((m.start(), m.end(), rule.reason, rule.note))
    for i, ex in enumerate(spec.exclude):
        entry = f"{where}: exclude[{i}]"
        for start in find_exactly(text, ex.within, ex.count, entry, "text"):
            excluded.append((start, start + len(ex.within), ex.reason, ex.note))

    rows: list[dict[str, Any]] = []
    unexplained: list[re.Match[str]] = []
    for m in TOKEN.finditer(text):
        start, end = m.span()
        row: dict[str, Any] = {
            "source_id": source_id,
            "token": m.group(),
            "char_start": start,
            "char_end": end,
            "status": None,
            "observation_id": None,
            "reason": None,
            "note": None,
        }
        hit = next((oid for s, e, oid in extracted if s <= start and end <= e), None)
        if hit is not None:
            row.update(status="extracted", observation_id=hit)
        else:
            why = next(((r, n) for s, e, r, n in excluded if s <= start and end <= e), None)
            if why is None:
                unexplained.append(m)
                continue
            row.update(status="excluded", reason=why[0], note=why[1])
        rows.append(row)
    if unexplained:
        first = unexplained[0]
        context = " ".join(text[max(0, first.start() - 40) : first.end() + 40].split())
        more = f" (and {len(unexplained) - 1} more)" if len(unexplained) > 1 else ""
        raise CsedataError(
            f"raw/{file}",
            f"number {first.group()!r} at {place(text, first.start())} is neither extracted "
            f"nor excluded in {where}{more}: ...{context}...",
        )
    return rows
