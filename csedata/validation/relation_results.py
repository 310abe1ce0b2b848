"""The declared relations' outcomes (csedata.validation.relations) as report entries: within
a source an error unless reviewed, across sources a warning."""

from __future__ import annotations

import pandas as pd

from csedata.report import CheckResult, Failure, Severity
from csedata.spec import Exclusive
from csedata.validation import relations
from csedata.validation.results import ids, quotes, result
from csedata.validation.reviews import Reviews


def relation_results(
    obs: pd.DataFrame, outcomes: list[relations.Weighed], reviews: Reviews
) -> list[CheckResult]:
    results = []
    for o in outcomes:
        r, cross = o.relation, o.scope == relations.CROSS
        note = reviews.note(o.scope, r.id) if o.status == "failed" else None
        severity: Severity = "warning" if o.status == "failed" and (cross or note) else "error"
        failures = []
        if o.status in ("failed", "unusable"):
            failures.append(
                Failure(
                    severity=severity,
                    where=f"{r.kind} check {r.id}",
                    message=o.message,
                    values=o.values,
                    quotes=quotes(obs, o.rows),
                    note=note,
                    observation_ids=ids(obs, o.rows),
                )
            )
        failed = o.status in ("failed", "unusable")
        results.append(
            result(
                id=f"{'cross' if cross else 'declared'}:{o.scope}:{r.id}",
                name=r.id,
                kind="cross-source" if cross else "declared",
                description=f"{r.kind}: {type(r).__doc__ or ''}".strip(),
                default="warning" if cross else "error",
                checked=0 if o.status == "skipped" else 1,
                errors=int(failed and severity == "error"),
                warnings=int(failed and severity == "warning"),
                failures=failures,
                source_id=None if cross else o.scope,
                note=o.message if o.status == "skipped" else r.note,
                skipped=o.status == "skipped",
                values={"finding": o.message, **o.values} if o.rows else {},
                observation_ids=ids(obs, o.rows),
            )
        )
    return results


def exclusive_ids(obs: pd.DataFrame, outcomes: list[relations.Weighed]) -> set[str]:
    rows = [i for o in outcomes if isinstance(o.relation, Exclusive) for i in o.rows]
    return set(obs.loc[rows, "observation_id"])
