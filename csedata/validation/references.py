"""References between the released tables: a row that points at another table points at
a row that is there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from csedata.report import LISTED, CheckResult, Failure
from csedata.validation.results import result
from schemas import REFERENCES


def uses(observations: pd.DataFrame) -> list[pd.DataFrame]:
    """The distinct (measure, unit) pairs of the observations and the distinct (source,
    whether paged): the references checked once per pair. Parts' uses are joined
    (``joined``) before they are checked, so a pair counts once in the corpus."""
    paged = observations[["source_id"]].assign(has=observations["page"].notna())
    return [observations[["measure", "unit"]].drop_duplicates(), paged.drop_duplicates()]


def joined(a: list[pd.DataFrame], b: list[pd.DataFrame]) -> list[pd.DataFrame]:
    return (
        [pd.concat([x, y], ignore_index=True).drop_duplicates() for x, y in zip(a, b, strict=True)]
        if a
        else b
    )


def _paged(used: pd.DataFrame, sources: pd.DataFrame) -> tuple[str, pd.Series, pd.Series, str]:
    """An observation has a page exactly where its source is a PDF (each pair once)."""

    def paged(ids: pd.Series, has: Any) -> pd.Series:
        return ids + np.where(has, " (paged)", " (no page)")

    return (
        "observations",
        paged(used["source_id"], used["has"]).rename("page"),
        paged(sources["source_id"], sources["media_type"] == "application/pdf"),
        "page is set exactly for a PDF source",
    )


def _targets(keys: pd.Series, elsewhere: pd.Series | None, table: str) -> pd.Series:
    if elsewhere is None or table != "statistics":
        return keys
    return pd.concat([keys, elsewhere.astype(keys.dtype)], ignore_index=True)


Pair = tuple[str, pd.Series, pd.Series, str]  # table, references, targets, in words


def _pairs(
    frames: Mapping[str, pd.DataFrame], owners: set[str], elsewhere: pd.Series | None
) -> list[Pair]:
    """What each owner's rows point at, and the rows they may point at."""
    pairs = [
        (
            name,
            frames[name][column],
            _targets(frames[target][key], elsewhere, target),
            f"{column} is in {target}",
        )
        for name, column, target, key in REFERENCES
        if name in frames and target in frames and name in owners
    ]
    return pairs


def _use_pairs(frames: Mapping[str, pd.DataFrame], used: list[pd.DataFrame]) -> list[Pair]:
    """The references checked once per distinct pair of the observations (``uses``)."""
    pairs: list[Pair] = []
    if used and "measures" in frames:  # an observation's unit is its measure's
        units, known = used[0], frames["measures"]
        pairs.append(
            (
                "observations",
                (units["measure"] + " in " + units["unit"]).rename("unit"),
                known["measure_id"] + " in " + known["unit"],
                "unit is its measure's unit",
            )
        )
    if used and "sources" in frames:
        pairs.append(_paged(used[1], frames["sources"]))
    return pairs


def reference_results(
    frames: Mapping[str, pd.DataFrame],
    owners: set[str] | None = None,
    elsewhere: pd.Series | None = None,
    used: list[pd.DataFrame] | None = None,
) -> list[CheckResult]:
    """Rows that point at another table point at a row that is there: the rows of the
    ``owners`` (default: every table); a statistic may also be one of ``elsewhere`` (the
    statistics of other parts a part may name: csedata.validation.parts); the pairs
    checked once are ``used`` (default: the observations' ``uses``, if an owner)."""
    owners = set(frames) if owners is None else owners
    if used is None:
        used = uses(frames["observations"]) if "observations" in owners else []
    pairs = _pairs(frames, owners, elsewhere) + _use_pairs(frames, used)
    results = []
    for name, refs, targets, description in pairs:
        missing = refs[refs.notna() & ~refs.isin(targets)]  # a null refers to nothing
        failures = [
            Failure(
                severity="error",
                where=f"table {name}",
                message=f"{description}: {value!r} is not",
                values={"found": str(value)},
                quotes=[],
            )
            for value in missing.drop_duplicates().head(LISTED)
        ]
        results.append(
            result(
                id=f"reference:{name}:{refs.name}",
                name=f"{name}.{refs.name}-reference",
                kind="schema",
                description=f"{name}: {description}.",
                default="error",
                checked=int(refs.notna().sum()),
                errors=len(missing),
                warnings=0,
                failures=failures,
                table_id=name,
                column=str(refs.name),
                rule="reference",
            )
        )
    return results
