"""The arithmetic checks' runs (csedata.validation.arithmetic) as report entries: one per
check and source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from csedata.report import LISTED, CheckResult, Failure
from csedata.validation.arithmetic import FrameCheck
from csedata.validation.results import ids, quotes, result
from csedata.validation.reviews import Reviews


def arithmetic_results(
    obs: pd.DataFrame, runs: list[tuple[FrameCheck, pd.DataFrame]], reviews: Reviews
) -> list[CheckResult]:
    """A result per check (and what its run found) and source: counted per source with one
    bincount, explained only where something failed (thousands of sources cost one pass,
    not one pass each)."""
    source, distinct = pd.factorize(obs["source_id"])
    names = [str(sid) for sid in distinct]
    results = []
    for check, d in runs:
        of = source[obs.index.get_indexer(pd.Index(d["row"]))]  # each subject's source
        if (of < 0).any():  # a row without a source fails the schema; no source counts it
            d, of = d[of >= 0], of[of >= 0]
        ok = d["ok"].to_numpy(dtype=bool)
        # what a failure needs (its place, whether it was reviewed) for failing rows only
        bad = d[~ok].copy()
        at = obs.loc[bad["row"]]
        for column in ("source_id", "table_id", "category"):
            bad[column] = at[column].array
        reviewed, bad["note"] = reviews.mask(bad, check.name)
        bad["error"], bad["warning"] = ~reviewed, reviewed
        listed = bad.groupby("source_id", sort=False).head(LISTED)
        failing = dict(iter(listed.groupby("source_id", sort=False)))
        checked = np.bincount(of, minlength=len(names))
        errors = np.bincount(of[~ok], weights=bad["error"], minlength=len(names))
        warnings = np.bincount(of[~ok], weights=bad["warning"], minlength=len(names))
        for code in pd.unique(of):  # sources in the order the check met them
            sid = names[code]
            failures = []
            for _, f in failing[sid].iterrows() if sid in failing else ():
                tid = f["table_id"]
                message, values, quoted = check.explain(f, obs)
                failures.append(
                    Failure(
                        severity="error" if f["error"] else "warning",
                        where=f"table {tid}, row {obs.at[f['row'], 'label']!r}",
                        message=message,
                        values=values,
                        quotes=quotes(obs, quoted),
                        observation_ids=ids(obs, quoted),
                        table_id=str(tid),
                        category=str(f["category"]),
                        note=f["note"] if isinstance(f["note"], str) else None,
                    )
                )
            results.append(
                result(
                    id=f"table:{check.name}:{sid}",
                    name=check.name,
                    kind="table",
                    description=check.description,
                    default="error",
                    checked=int(checked[code]),
                    errors=int(errors[code]),
                    warnings=int(warnings[code]),
                    failures=failures,
                    source_id=sid,
                )
            )
    return results
