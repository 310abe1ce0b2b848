"""Check the assembled tables against their schemas and against each other.

Every failure becomes one line naming the table, the row (by its id) and the
check, so a reviewer can find it without reading a traceback.
"""

from __future__ import annotations

import pandas as pd
import pandera.errors as pe

from csedata.errors import CsedataError
from schemas import schema_for
from schemas.describe import primary_key


def _schema_failures(name: str, df: pd.DataFrame) -> list[str]:
    try:
        schema_for(name).validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        lines = []
        for case in exc.failure_cases.itertuples(index=False):
            index = getattr(case, "index", None)
            row = ""
            if index is not None and not pd.isna(index) and int(index) in df.index:
                key = primary_key(schema_for(name))[-1]
                row = f" row {key}={df.loc[int(index), key]!r}"
                if name == "ledger":
                    row = f" row {df.loc[int(index), 'source_id']!s}@{df.loc[int(index), key]!s}"
            column = f" column {case.column!r}" if isinstance(case.column, str) else ""
            lines.append(
                f"{name}{row}{column}: check {case.check} failed (value {case.failure_case!r})"
            )
        return lines
    return []


def _reference_failures(frames: dict[str, pd.DataFrame]) -> list[str]:
    lines = []
    known = set(frames["sources"]["source_id"])
    for name in ("observations", "ledger"):
        for sid in sorted(set(frames[name]["source_id"]) - known):
            lines.append(f"{name}: source_id {sid!r} is not in sources")
    ids = set(frames["observations"]["observation_id"])
    extracted = frames["ledger"]["observation_id"].dropna()
    for oid in sorted(set(extracted) - ids):
        lines.append(f"ledger: observation_id {oid!r} is not in observations")
    return lines


def failures(frames: dict[str, pd.DataFrame]) -> list[str]:
    """All problems found, one line each; empty when the tables can be released."""
    lines: list[str] = []
    for name, df in frames.items():
        lines.extend(_schema_failures(name, df))
    return lines + _reference_failures(frames)


def require_valid(frames: dict[str, pd.DataFrame]) -> None:
    problems = failures(frames)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CsedataError("validation", problems[0] + more)
