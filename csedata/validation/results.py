"""The report entries every check makes the same way: a result, and the quotes and ids of
rows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from csedata.report import LISTED, CheckKind, CheckResult, CheckStatus, Failure, Quote, Severity


def quotes(obs: pd.DataFrame, rows: list[int]) -> list[Quote]:
    """The quotes of these observations, each passage once."""
    out: list[Quote] = []
    seen: set[tuple[str, int, int]] = set()
    for row in dict.fromkeys(rows):
        r: Any = obs.loc[row]
        key = (str(r["source_id"]), int(r["char_start"]), int(r["char_end"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Quote(
                source_id=key[0],
                observation_id=str(r["observation_id"]),
                label=str(r["label"]),
                value_text=str(r["value_text"]),
                quote=str(r["quote"]),
                char_start=key[1],
                char_end=key[2],
                value_at=int(r["value_start"]) - key[1],
            )
        )
    return out


def ids(obs: pd.DataFrame, rows: list[int]) -> list[str]:
    """The observation ids of these rows, each once."""
    return [str(i) for i in dict.fromkeys(obs.loc[list(dict.fromkeys(rows)), "observation_id"])]


def result(
    *,
    id: str,
    name: str,
    kind: CheckKind,
    description: str,
    default: Severity,
    checked: int,
    errors: int,
    warnings: int,
    failures: list[Failure],
    source_id: str | None = None,
    table_id: str | None = None,
    note: str | None = None,
    skipped: bool = False,
    column: str | None = None,
    rule: str | None = None,
    values: dict[str, str] | None = None,
    observation_ids: list[str] | None = None,
) -> CheckResult:
    severity: Severity = "error" if errors else "warning" if warnings else default
    status: CheckStatus = "skipped" if skipped else "failed" if errors or warnings else "passed"
    return CheckResult(
        id=id,
        name=name,
        kind=kind,
        description=description,
        severity=severity,
        status=status,
        source_id=source_id,
        table_id=table_id,
        checked=checked,
        failed=errors + warnings,
        errors=errors,
        warnings=warnings,
        failures=failures[:LISTED],
        note=note,
        column=column,
        rule=rule,
        values=values or {},
        observation_ids=observation_ids or [],
    )
