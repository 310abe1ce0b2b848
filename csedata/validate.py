"""Run every check over the assembled tables and build the validation report.

The checks: the pandera schemas of the released tables (each of their checks
listed, passed or not), the references between them, the arithmetic of
csedata.checks, and the relations the specs declare (csedata.relations). A
source's spec may list, under ``inconsistencies:``, failures a reviewer traced
to the source itself: those are warnings, everything else that fails is an
error, and a listed inconsistency that no longer occurs is an error too.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
import pandera.errors as pe
import pandera.pandas as pa
from pandas.api.types import infer_dtype

from csedata import checks, pipeline, relations
from csedata.batches import batches
from csedata.errors import CsedataError
from csedata.frames import absent, is_unique, plain
from csedata.registry import load_registry, select
from csedata.report import (
    LISTED,
    Chart,
    ChartRow,
    CheckResult,
    Failure,
    Kind,
    Quote,
    Report,
    Severity,
    Status,
    markdown,
    summarize,
)
from csedata.report_html import html
from csedata.spec import Declarations, Exclusive, load_cross_source
from schemas import schema_for
from schemas.describe import primary_key

TITLE = "csedata validation report"
REPORT_FILES = ("report.json", "report.md", "report.html")
CHARTS, CHART_ROWS = 200, 50


P = ParamSpec("P")
R = TypeVar("R")


def _collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with Python's cyclic garbage collector paused.

    A report on ten thousand sources holds some 50,000 results, each a few new
    objects and none in a cycle: the collector, run every 700 allocations, walks
    them again and again (a third of building the report, a half of rendering it).
    Reference counting still frees everything; the collector resumes after.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def _str_columns(schema: pa.DataFrameSchema) -> list[str]:
    return [name for name, column in schema.columns.items() if str(column.dtype) == "str"]


def _unique_columns(schema: pa.DataFrameSchema) -> list[str]:
    return [name for name, column in schema.columns.items() if column.unique]


@functools.cache
def _fast_schema(name: str) -> pa.DataFrameSchema:
    """The schema less the checks _validate_fast answers first: str dtypes, unique columns."""
    schema = schema_for(name)
    changes: dict[str, dict[str, Any]] = {
        column: {"dtype": None} for column in _str_columns(schema)
    }
    for column in _unique_columns(schema):
        changes.setdefault(column, {})["unique"] = False
    return schema.update_columns(changes)


def _values(column: pd.Series) -> Any:
    """What a column holds: a categorical's categories, else its values."""
    return column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column


def _validate_fast(name: str, df: pd.DataFrame) -> None:
    """Validate with the full schema, or the same less its str dtype and uniqueness checks
    when every str column is known to hold only str or null and every unique one to be so.

    pandera checks a str column with a Python call per value (seconds for a million
    rows); pandas' infer_dtype answers the same question in one C pass (on a
    categorical's categories, the distinct values), and is_unique hashes a
    million ids in polars. Only when either finds a problem does the full schema run,
    on plain strings, to name the rows.
    """
    schema = schema_for(name)
    clean = all(
        infer_dtype(_values(df[column]), skipna=True) in ("string", "empty")
        for column in _str_columns(schema)
        if column in df
    ) and all(is_unique(df[column]) for column in _unique_columns(schema) if column in df)
    # inplace: no schema here coerces, so pandera's defensive copy would only cost time
    if clean:
        _fast_schema(name).validate(df, lazy=True, inplace=True)
    else:
        schema.validate(plain(df), lazy=True, inplace=True)


def _quotes(obs: pd.DataFrame, rows: list[int]) -> list[Quote]:
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
            )
        )
    return out


def _result(
    *,
    id: str,
    name: str,
    kind: Kind,
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
) -> CheckResult:
    severity: Severity = "error" if errors else "warning" if warnings else default
    status: Status = "skipped" if skipped else "failed" if errors or warnings else "passed"
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
    )


# --- schemas ---------------------------------------------------------------


@dataclass(frozen=True)
class _SchemaCheck:
    key: str  # how pandera's failure cases name it, see _case_keys
    name: str
    description: str
    broken: str | None = None  # a failure's message, when "<description> Found x." misleads


def _schema_checks(schema: pa.DataFrameSchema) -> list[_SchemaCheck]:
    """Every check pandera runs for this schema, so passed ones can be listed too."""
    out = [
        _SchemaCheck(
            "frame:column_in_dataframe",
            "columns-present",
            "Every column is there.",
            "Column {!r} is missing.",
        )
    ]
    if schema.strict:
        out.append(_SchemaCheck("frame:column_in_schema", "no-extra-columns", "No other columns."))
    if schema.ordered:
        out.append(_SchemaCheck("frame:column_ordered", "column-order", "Columns in order."))
    if schema.unique:
        fields = ", ".join(schema.unique)
        out.append(
            _SchemaCheck(
                "frame:multiple_fields_uniqueness", "unique-rows", f"({fields}) is unique."
            )
        )
    for i, check in enumerate(schema.checks):
        out.append(_SchemaCheck(f"frame:{i}", check.name, check.error or check.name))
    for col, spec in schema.columns.items():
        out.append(_SchemaCheck(f"{col}:dtype", f"{col}.dtype", f"{col} is {spec.dtype}."))
        if not spec.nullable:
            out.append(_SchemaCheck(f"{col}:not_nullable", f"{col}.present", f"{col} is set."))
        if spec.unique:
            out.append(_SchemaCheck(f"{col}:field_uniqueness", f"{col}.unique", f"{col} unique."))
        for i, check in enumerate(spec.checks):
            name = check.name if check.name != "<lambda>" else f"check-{i}"
            out.append(_SchemaCheck(f"{col}:{i}", f"{col}.{name}", f"{col}: {check.error or name}"))
    return out


def _case_keys(cases: pd.DataFrame) -> pd.Series:
    """Which listed check each of pandera's failure cases belongs to (see _schema_checks)."""
    frame = cases["schema_context"] == "DataFrameSchema"
    column = cases["column"].astype(str)
    check = cases["check"].astype(str)
    check = check.mask(check.str.startswith("dtype("), "dtype")
    numbered = cases["check_number"].notna()
    number = pd.to_numeric(cases["check_number"], errors="coerce").fillna(-1).astype(int)
    own = ~frame & check.isin(["dtype", "not_nullable", "field_uniqueness"])
    owner = column.where(~frame & (numbered | own), "frame")
    return owner + ":" + number.astype(str).where(numbered, check)


def _row_where(name: str, df: pd.DataFrame, index: Any) -> tuple[str, list[Quote]]:
    if index is None or pd.isna(index) or index not in df.index:
        return f"table {name}", []
    row: Any = df.loc[index]
    if name == "observations":
        return f"row {row['observation_id']!r}", _quotes(df, [index])
    if name == "ledger":
        return f"token {row['token']!r} at {row['source_id']}@{row['char_start']}", []
    return f"row {'/'.join(str(row[k]) for k in primary_key(schema_for(name)))!r}", []


def _schema_results(frames: dict[str, pd.DataFrame]) -> list[CheckResult]:
    results: list[CheckResult] = []
    for name, df in frames.items():
        schema = schema_for(name)
        cases = pd.DataFrame(columns=["schema_context", "column", "check", "check_number"])
        try:
            _validate_fast(name, df)
        except pe.SchemaErrors as exc:
            cases = exc.failure_cases
        if len(cases):
            cases = cases.assign(key=_case_keys(cases))
            # a frame check fails once per column of a failing row: keep one per row
            cases = cases.drop_duplicates(["key", "index"])
        listed = _schema_checks(schema)
        known = {c.key for c in listed}
        listed += [
            _SchemaCheck(k, k.split(":", 1)[1], "A pandera check.")
            for k in dict.fromkeys(cases["key"] if len(cases) else [])
            if k not in known
        ]
        for check in listed:
            mine = cases[cases["key"] == check.key] if len(cases) else cases
            failures = []
            # a frame check's failure case is one column of the row: name the row instead
            whole_row = check.key.startswith("frame:") and check.key[6:].isdigit()
            for case in mine.head(LISTED).itertuples(index=False):
                where, quotes = _row_where(name, df, getattr(case, "index", None))
                found = "" if whole_row else f" Found {case.failure_case!r}."
                failures.append(
                    Failure(
                        severity="error",
                        where=where,
                        message=check.broken.format(case.failure_case)
                        if check.broken
                        else check.description + found,
                        values={} if whole_row else {"found": str(case.failure_case)},
                        quotes=quotes,
                    )
                )
            results.append(
                _result(
                    id=f"schema:{name}:{check.key}",
                    name=check.name,
                    kind="schema",
                    description=check.description,
                    default="error",
                    checked=len(df),
                    errors=len(mine),
                    warnings=0,
                    failures=failures,
                    table_id=name,
                )
            )
    return results


def _reference_results(frames: dict[str, pd.DataFrame]) -> list[CheckResult]:
    """Rows that point at another table point at a row that is there."""
    sources, obs, ledger = frames["sources"], frames["observations"], frames["ledger"]
    pairs = [
        ("observations", obs["source_id"], sources["source_id"], "source_id is in sources"),
        ("ledger", ledger["source_id"], sources["source_id"], "source_id is in sources"),
        (
            "ledger",
            ledger["observation_id"],
            obs["observation_id"],
            "observation_id is in observations",
        ),
    ]
    results = []
    for name, refs, targets, description in pairs:
        missing = refs[absent(refs, targets)]  # a null refers to nothing
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
            _result(
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
            )
        )
    return results


# --- arithmetic and declared relations --------------------------------------


class _Reviews:
    """The inconsistencies the specs list as reviewed, and which of them were met."""

    def __init__(self, specs: dict[str, Declarations]) -> None:
        self.entries = [(sid, e) for sid, spec in specs.items() for e in spec.inconsistencies]
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
                _result(
                    id=f"review:{sid}:{i}",
                    name="reviewed-inconsistency-occurs",
                    kind="review",
                    description="An inconsistency a spec lists as reviewed still occurs.",
                    default="error",
                    checked=1,
                    errors=int(stale),
                    warnings=0,
                    failures=[failure] if stale else [],
                    source_id=sid,
                    table_id=e.table_id,
                    note=f"{where}: {e.note}",
                )
            )
        return out


def _table_results(
    obs: pd.DataFrame, runs: list[tuple[checks.FrameCheck, pd.DataFrame]], reviews: _Reviews
) -> list[CheckResult]:
    """A result per check (and what its run found) and source: counted per source with one
    bincount, explained only where something failed (thousands of sources cost one pass,
    not one pass each)."""
    source, distinct = pd.factorize(obs["source_id"])  # a categorical factorizes its codes
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
        listed = bad.groupby("source_id", sort=False, observed=True).head(LISTED)
        failing = dict(iter(listed.groupby("source_id", sort=False, observed=True)))
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
                        quotes=_quotes(obs, quoted),
                        table_id=str(tid),
                        category=str(f["category"]),
                        note=f["note"] if isinstance(f["note"], str) else None,
                    )
                )
            results.append(
                _result(
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


def _relation_results(
    obs: pd.DataFrame, outcomes: list[relations.Outcome], reviews: _Reviews
) -> list[CheckResult]:
    results = []
    for o in outcomes:
        r, cross = o.relation, o.scope == relations.CROSS
        note = None
        if o.status == "failed" and not cross:
            note = reviews.note(o.scope, r.id)
        severity: Severity = "warning" if o.status == "failed" and (cross or note) else "error"
        failures = []
        if o.status in ("failed", "unusable"):
            failures.append(
                Failure(
                    severity=severity,
                    where=f"{r.kind} check {r.id}",
                    message=o.message,
                    values=o.values,
                    quotes=_quotes(obs, o.rows),
                    note=note,
                )
            )
        failed = o.status in ("failed", "unusable")
        results.append(
            _result(
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
            )
        )
    return results


# --- charts ------------------------------------------------------------------


_CHARTED = [
    *["source_id", "table_id", "observation_id", "form", "label", "parent_category"],
    *["value", "multi_response"],
]


def _charts(obs: pd.DataFrame, exclusive: set[str]) -> list[Chart]:
    """Per source table, its shares and, where they exclude one another, their sum.

    A page is for reading: past CHARTS tables or CHART_ROWS rows a table, the
    rest is counted in the chart's note rather than drawn.
    """
    share = (obs["unit"] == "percent") & (obs["category"] != "total")
    # only the tables drawn: the first CHARTS, found among the first CHARTS sources
    share &= obs["source_id"].isin(obs.loc[share, "source_id"].unique()[:CHARTS])
    shares = obs.loc[share, _CHARTED]
    drawn = shares[["source_id", "table_id"]].drop_duplicates().head(CHARTS)
    shares = shares.merge(drawn, on=["source_id", "table_id"])
    shares = shares.assign(
        top=shares["parent_category"].isna() | (shares["parent_category"] == "total"),
        declared=shares["observation_id"].isin(exclusive),
    )
    # a few thousand rows at most: plain Python from here, not pandas per table
    tables: dict[tuple[str, str], list[dict[Any, Any]]] = {}
    for r in shares.to_dict("records"):
        tables.setdefault((str(r["source_id"]), str(r["table_id"])), []).append(r)
    charts: list[Chart] = []
    for (sid, tid), g in tables.items():
        if all(r["form"] == "table" for r in g):
            summed = [r for r in g if r["top"]]
            note = (
                "multi-response: the rows overlap, so the shares may sum past 100%"
                if any(r["multi_response"] for r in summed)
                else "the top-level shares exclude one another: expected to sum to 100%"
            )
        elif any(r["declared"] for r in g):
            summed = [r for r in g if r["declared"]]
            note = "declared exclusive: expected to sum to 100%"
        else:
            summed, note = [], "shares of different things: not summed"
        if len(g) > CHART_ROWS:
            note += f"; the first {CHART_ROWS} of {len(g)} rows are drawn"
        rows = [
            ChartRow(
                label=r["label"],
                value=r["value"],
                multi_response=r["multi_response"],
                level=0 if r["top"] else 1,
            )
            for r in g[:CHART_ROWS]
        ]
        # numpy's sum, as pandas sums: the same total to the last bit
        total = float(np.nansum([r["value"] for r in summed])) if summed else None
        charts.append(Chart(source_id=sid, table_id=tid, rows=rows, total=total, total_note=note))
    return charts


def _exclusive_ids(obs: pd.DataFrame, outcomes: list[relations.Outcome]) -> set[str]:
    rows = [i for o in outcomes if isinstance(o.relation, Exclusive) for i in o.rows]
    return set(obs.loc[rows, "observation_id"])


# --- the report ---------------------------------------------------------------


@_collector_paused
def build_report(
    root: Path, frames: dict[str, pd.DataFrame], declarations: Mapping[str, Declarations]
) -> Report:
    """Every check over the assembled tables and what their sources declare (see
    pipeline.declarations: a source not in ``declarations`` declares nothing); raises only
    for a declaration naming a table check or an unreadable cross-source file."""
    source_ids = [str(s) for s in frames["sources"]["source_id"]]
    specs = {sid: declarations[sid] for sid in source_ids if sid in declarations}
    for sid, spec in specs.items():
        taken = sorted({r.id for r in spec.checks} & checks.NAMES)
        if taken:
            raise CsedataError(
                f"flows/specs/{sid}.yaml", f"checks: id {taken[0]!r} names a table check"
            )
    declared = [(sid, r) for sid, spec in specs.items() for r in spec.checks]
    declared += [(relations.CROSS, r) for r in load_cross_source(root).checks]
    obs = frames["observations"]
    reviews = _Reviews(specs)
    # the checks run mostly in Arrow, numpy and pandas' joins, which release the GIL, so
    # they share two threads (all read-only); the results are built here as they come
    with ThreadPoolExecutor(2) as pool:
        tables = pool.submit(lambda: _schema_results(frames) + _reference_results(frames))
        prepared = checks.prepare(obs)
        runs = [(check, pool.submit(check.run, obs, prepared)) for check in checks.CHECKS]
        outcomes = relations.weigh_all(obs, declared, source_ids, prepared)
        arithmetic = _table_results(obs, [(c, run.result()) for c, run in runs], reviews)
        results = tables.result()
    results += arithmetic
    results += _relation_results(obs, outcomes, reviews)
    results += reviews.results()
    return Report(
        title=TITLE,
        sources=dict(zip(frames["sources"]["source_id"], frames["sources"]["file"], strict=True)),
        observations=len(obs),
        summary=summarize(results),
        checks=results,
        charts=_charts(obs, _exclusive_ids(obs, outcomes)),
    )


def check_project(root: Path, sources: list[str] | None) -> Report:
    """Extract (from the cache where it can) and check, without Prefect and without a release."""
    registry = select(load_registry(root), sources)
    ids = sorted(registry)
    groups = [[registry[i] for i in group] for group in batches(ids)]
    parts = [pipeline.extract_batch(root, group).path for group in groups]
    frames = pipeline.assemble([s for g in groups for s in g], parts)
    return build_report(root, frames, pipeline.declarations(parts))


def failures(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Schema and reference errors of released tables, one line each (what verify re-runs).

    The arithmetic checks need the specs of the code that built a release, so
    verify leaves them to the release's own validation report.
    """
    results = _schema_results(frames) + _reference_results(frames)
    return [
        f"{check.name}: {failure.where}: {failure.message}"
        for check in results
        for failure in check.failures
        if failure.severity == "error"
    ]


def first_error(report: Report) -> CsedataError | None:
    """The first error as a one-line CsedataError naming the file, table, row and check."""
    errors = report.failures("error")
    if not errors:
        return None
    check, failure = errors[0]
    source = check.source_id or (failure.quotes[0].source_id if failure.quotes else None)
    where = f"raw/{report.sources[source]} ({source})" if source in report.sources else "validation"
    at = f" at char {failure.quotes[0].char_start}" if failure.quotes else ""
    more = report.summary.errors - 1
    return CsedataError(
        where,
        f"{failure.where}{at}: check {check.name} failed: {failure.message}"
        + (
            f" (and {more} more {'error' if more == 1 else 'errors'}; see the report)"
            if more
            else ""
        ),
    )


def require_valid(report: Report) -> None:
    error = first_error(report)
    if error is not None:
        raise error


@_collector_paused
def render(report: Report) -> dict[str, bytes]:
    """The report's files by name: JSON, Markdown and one self-contained HTML page."""
    return {
        "report.json": report.to_json().encode(),
        "report.md": markdown(report).encode(),
        "report.html": html(report).encode(),
    }


def write_report(files: dict[str, bytes], folder: Path) -> Path:
    """Write the files into folder, each replaced in one step; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / name)
    return folder


def store_report(root: Path, files: dict[str, bytes]) -> Path:
    """Keep the files under .cache/validation/runs/<digest>/, a folder that never changes."""
    digest = hashlib.sha256(b"".join(files[name] for name in REPORT_FILES)).hexdigest()[:16]
    target = root / ".cache" / "validation" / "runs" / digest
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
        try:
            write_report(files, tmp)
            os.rename(tmp, target)
        except OSError:
            if not target.is_dir():
                raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target
