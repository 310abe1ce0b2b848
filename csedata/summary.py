"""What a run did (a RunResult), in one line (console, log) and in Markdown (Prefect artifact).

An unattended run is judged by its summary: how many sources were refreshed and
which changed, and whether a release was written (version old -> new, with the
observation count) or not and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from csedata import store
from csedata.publish import Published, Rebuilt
from csedata.refresh import Result, Status

REPORT = Path("validation") / "report.json"  # in a release; report.html beside it


@dataclass(frozen=True)
class RunResult:
    """What a release run did: the release written, found unchanged or rebuilt, how many
    sources were extracted or taken from the cache, and what the refresh found."""

    release: Published | Rebuilt
    extracted: int  # sources extracted in this run
    cached: int  # sources whose batches came from the extraction cache
    observations: int | None = None  # rows built; None when nothing needed building
    previous_observations: int | None = None  # rows of the release this one follows
    unreviewed: int = 0  # warnings no reviewer has explained yet
    refresh: list[Result] | None = None  # None without --refresh

    @property
    def summary(self) -> str:
        return line(self)


def observation_rows(root: Path, version: str | None) -> int | None:
    """Row count of a release's observations, from its manifest."""
    if version is None:
        return None
    files = store.read_manifest(root / store.PROCESSED / version).get("files")
    entry = files.get("observations.parquet") if isinstance(files, dict) else None
    rows = entry.get("rows") if isinstance(entry, dict) else None
    return rows if isinstance(rows, int) else None


def unreviewed_warnings(release: Path) -> int:
    """The warnings no reviewer had explained when ``release`` was written, as its
    validation report counts them: a run that finds it up to date says what its writer said."""
    path = release / REPORT
    report = store.read_json(path, "the release's validation report") if path.is_file() else {}
    counts = report.get("summary")
    count = counts.get("unreviewed") if isinstance(counts, dict) else None
    return count if isinstance(count, int) else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def counts(results: Sequence[Result]) -> str:
    """'5 sources checked: 1 changed, 3 unchanged, 1 failed' (the statuses that occur)."""
    seen = [r.status for r in results]
    parts = [f"{seen.count(s)} {s}" for s in Status if s in seen]
    return _plural(len(results), "source") + " checked" + (f": {', '.join(parts)}" if parts else "")


def line(run: RunResult) -> str:
    """One line: refresh counts, then the release written or not, and why."""
    release = run.release
    work = f"{_plural(run.extracted, 'source')} extracted, {run.cached} from cache"
    where = f"release {release.version} at {release.path}"
    if isinstance(release, Rebuilt):
        differ = len(release.differences)
        result = f"{differ} files differ" if differ else "every file identical"
        text = f"rebuilt release {release.version} into {release.path} ({result}; {work})"
    elif release.status == "unchanged":
        same = "nothing written: same statistics as the latest release"
        text = f"up to date: {where} ({same}; {work})"
    elif release.previous is None:
        text = f"wrote {where} (first release; {run.observations} observations; {work})"
    else:
        change = f"{run.previous_observations} -> {run.observations}"
        text = (
            f"wrote {where} (release {release.previous} -> {release.version}; "
            f"observations {change}; {work})"
        )
    if run.unreviewed:
        n = _plural(run.unreviewed, "unreviewed warning")
        text += f"; needs a decision: {n} (see {release.path / REPORT.with_suffix('.html')})"
    return text if run.refresh is None else f"refresh: {counts(run.refresh)}; {text}"


def warnings(results: Sequence[Result] | None) -> list[str]:
    """One line per source that could not be refreshed."""
    return [f"{r.source_id}: {r.detail}" for r in results or [] if r.status == Status.failed]


def markdown(run: RunResult) -> str:
    """The run's report for the Prefect UI: the summary line and the refresh per source."""
    out = ["# csedata run", "", line(run), ""]
    if run.refresh:
        out += ["| source | refresh | detail |", "|---|---|---|"]
        out += [f"| {r.source_id} | {r.status} | {r.detail} |" for r in run.refresh]
    return "\n".join(out) + "\n"
