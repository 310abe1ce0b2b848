"""What a run did, in one line (console, log) and in Markdown (Prefect artifact).

An unattended run is judged by its summary: how many sources were refreshed and
which changed, and whether a release was written (version old -> new, with the
observation count) or not and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csedata import store
from csedata.refresh import Status


def observation_rows(root: Path, version: str | None) -> int | None:
    """Row count of a release's observations, from its manifest."""
    if version is None:
        return None
    files = store.read_manifest(root / store.PROCESSED / version).get("files")
    entry = files.get("observations.parquet") if isinstance(files, dict) else None
    rows = entry.get("rows") if isinstance(entry, dict) else None
    return rows if isinstance(rows, int) else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def counts(results: list[dict[str, str]]) -> str:
    """'5 sources checked: 1 changed, 3 unchanged, 1 failed' (the statuses that occur)."""
    seen = [r["status"] for r in results]
    parts = [f"{seen.count(s)} {s}" for s in Status if s in seen]
    return _plural(len(results), "source") + " checked" + (f": {', '.join(parts)}" if parts else "")


def line(outcome: dict[str, Any]) -> str:
    """One line: refresh counts, then the release written or not, and why."""
    work = f"{_plural(outcome['extracted'], 'source')} extracted, {outcome['cached']} from cache"
    where = f"release {outcome['version']} at {outcome['path']}"
    if outcome["status"] == "rebuilt":
        differ = len(outcome["differences"])
        result = f"{differ} files differ" if differ else "every file identical"
        text = f"rebuilt release {outcome['version']} into {outcome['path']} ({result}; {work})"
    elif outcome["status"] == "unchanged":
        same = "nothing written: same statistics as the latest release"
        text = f"up to date: {where} ({same}; {work})"
    elif outcome["previous"] is None:
        text = f"wrote {where} (first release; {outcome['observations']} observations; {work})"
    else:
        change = f"{outcome['previous_observations']} -> {outcome['observations']}"
        text = (
            f"wrote {where} (release {outcome['previous']} -> {outcome['version']}; "
            f"observations {change}; {work})"
        )
    unreviewed = outcome.get("unreviewed")
    if unreviewed:
        text += f"; needs a decision: {_plural(unreviewed, 'unreviewed warning')} (see its report)"
    refreshed = outcome.get("refresh")
    return text if refreshed is None else f"refresh: {counts(refreshed)}; {text}"


def warnings(outcome: dict[str, Any]) -> list[str]:
    """One line per source that could not be refreshed."""
    return [
        f"{r['source_id']}: {r['detail']}"
        for r in outcome.get("refresh") or []
        if r["status"] == Status.failed
    ]


def markdown(outcome: dict[str, Any]) -> str:
    """The run's report for the Prefect UI: the summary line and the refresh per source."""
    out = ["# csedata run", "", line(outcome), ""]
    refreshed = outcome.get("refresh")
    if refreshed:
        out += ["| source | refresh | detail |", "|---|---|---|"]
        out += [f"| {r['source_id']} | {r['status']} | {r['detail']} |" for r in refreshed]
    return "\n".join(out) + "\n"
