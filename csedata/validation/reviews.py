"""The inconsistencies a source's spec lists as reviewed: they turn the failures a reviewer
traced to the source itself into warnings, and one that no longer occurs is an error.
flows/specs/_cross_source.yaml lists, the same way, the disagreements between sources a
reviewer has looked at: a warning either way, but no longer one that needs a decision."""

from __future__ import annotations

import pandas as pd

from csedata.report import CheckResult, Failure
from csedata.spec import Declarations, Inconsistency
from csedata.validation.relations import CROSS
from csedata.validation.results import result


class Reviews:
    """The inconsistencies the specs list as reviewed, and which of them were met."""

    def __init__(self, specs: dict[str, Declarations], cross: list[Inconsistency]) -> None:
        self.entries = [(sid, e) for sid, spec in specs.items() for e in spec.inconsistencies]
        self.entries += [(CROSS, e) for e in cross]
        self.used: set[int] = set()

    def note(self, source_id: str, check: str) -> str | None:
        """The note of a declared check's listed inconsistency, if it has one."""
        for i, (sid, e) in enumerate(self.entries):
            if sid == source_id and e.check == check:
                self.used.add(i)
                return e.note
        return None

    def mask(self, d: pd.DataFrame, check: str) -> tuple[pd.Series, pd.Series]:
        """Which failing rows of a check's result are reviewed, and the note for each.

        Only failing rows are matched, and only against entries of their sources:
        both are few, however large the frame.
        """
        reviewed = pd.Series(False, index=d.index)
        notes = pd.Series(None, index=d.index, dtype=object)
        failing = d[~d["ok"]]
        sources = set(failing["source_id"])
        for i, (sid, e) in enumerate(self.entries):
            if e.check != check or sid not in sources:
                continue
            hit = (failing["source_id"] == sid) & ~reviewed[failing.index]
            if e.table_id is not None:
                hit &= failing["table_id"] == e.table_id
            if e.category is not None:
                hit &= failing["category"] == e.category
            if hit.any():
                self.used.add(i)
                reviewed[hit[hit].index] = True
                notes[hit[hit].index] = e.note
        return reviewed, notes

    def results(self) -> list[CheckResult]:
        out = []
        for i, (sid, e) in enumerate(self.entries):
            at = ", ".join(p for p in (e.table_id, e.category) if p)
            where = f"inconsistency {e.check}" + (f" ({at})" if at else "")
            stale = i not in self.used
            failure = Failure(
                severity="error",
                where=where,
                message="listed as a reviewed inconsistency, but the check does not fail "
                "there (fixed, renamed or never there): remove or correct the entry",
                values={},
                quotes=[],
                table_id=e.table_id,
                category=e.category,
                note=e.note,
            )
            out.append(
                result(
                    id=f"review:{sid}:{i}",
                    name="reviewed-inconsistency-occurs",
                    kind="review",
                    description="An inconsistency a spec lists as reviewed still occurs.",
                    default="error",
                    checked=1,
                    errors=int(stale),
                    warnings=0,
                    failures=[failure] if stale else [],
                    source_id=None if sid == CROSS else sid,
                    table_id=e.table_id,
                    note=f"{where}: {e.note}",
                )
            )
        return out
