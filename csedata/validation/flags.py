"""Disputes in the data: each observation names the warnings of the report that involve it.

A warning (a reviewed inconsistency of a source, or sources that disagree) lives in the
validation report; ``flags`` carries its id onto every observation it quotes, so
``WHERE len(flags) > 0`` finds each disputed figure without the report. A warning's id
is its check's id, and for a table check the table and row it fails on:
``table:percent-matches-count:ussc-2021-production:method-of-production/other``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csedata.report import CheckResult


def empty(rows: int) -> np.ndarray:
    """A flags column without a flag: one shared empty tuple per row."""
    column = np.empty(rows, dtype=object)
    column.fill(())
    return column


def warnings(checks: list[CheckResult]) -> dict[str, tuple[str, ...]]:
    """Observation id -> the ids of the warnings of ``checks`` that quote it, sorted."""
    found: dict[str, set[str]] = {}
    listed = [(c, f) for c in checks for f in c.failures if f.severity == "warning"]
    for check, failure in listed:
        warning = check.id + (
            f":{failure.table_id}/{failure.category}" if check.id.startswith("table:") else ""
        )
        for quote in failure.quotes:
            if quote.observation_id is not None:
                found.setdefault(quote.observation_id, set()).add(warning)
    return {obs: tuple(sorted(ids)) for obs, ids in found.items()}


def flag(obs: pd.DataFrame, checks: list[CheckResult]) -> pd.DataFrame:
    """The observations with ``flags`` set from the warnings of ``checks`` (the report's,
    or those of the checks that quote a part's observations)."""
    column = empty(len(obs))
    by_id = warnings(checks)
    if by_id:
        ids = obs["observation_id"]
        for at in np.flatnonzero(ids.isin(list(by_id)).to_numpy()):
            column[at] = by_id[str(ids.iat[int(at)])]
    return obs.assign(flags=column)
