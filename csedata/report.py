"""The validation report: every check that ran, as JSON (machines) and Markdown (people).

Severity says what a failure means. An **error**: our extraction cannot be
trusted (a schema violation, a quote without its value, a structure the spec
declared that the numbers contradict); it blocks the release. A **warning**: a
source is inconsistent in itself or with another source; we reproduce it as
printed and report it. A check that passed keeps the severity its failure
would have had.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
Status = Literal["passed", "failed", "skipped"]
Kind = Literal["schema", "table", "declared", "cross-source", "review"]
KINDS: dict[str, str] = {
    "schema": "Schema: the released tables' columns, types and provenance",
    "table": "Arithmetic: the numbers of each table and hierarchy",
    "declared": "Declared relations within a source (flows/specs/<source>.yaml, checks:)",
    "cross-source": "The same figure in two sources (flows/specs/_cross_source.yaml)",
    "review": "Reviewed inconsistencies (flows/specs/<source>.yaml, inconsistencies:)",
}
LISTED = 100  # failures listed per check; the count is always complete


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Quote(_Model):
    """Where a number stands in its source: text[char_start:char_end] == quote."""

    source_id: str
    observation_id: str | None
    label: str | None
    value_text: str | None
    quote: str
    char_start: int | None
    char_end: int | None


class Failure(_Model):
    severity: Severity
    where: str  # "table method-of-production, row 'Other'", in words
    message: str
    values: dict[str, str]
    quotes: list[Quote]
    table_id: str | None = None
    category: str | None = None
    note: str | None = None  # the reviewer's explanation, for a known inconsistency


class CheckResult(_Model):
    id: str
    name: str
    kind: Kind
    description: str
    severity: Severity
    status: Status
    source_id: str | None = None
    table_id: str | None = None
    checked: int
    failed: int
    errors: int  # failures of severity error; failed = errors + warnings
    warnings: int
    failures: list[Failure]  # the first LISTED of them
    note: str | None = None


class ChartRow(_Model):
    label: str
    value: float
    multi_response: bool
    level: int  # 0 for a table's top rows, 1 for their parts


class Chart(_Model):
    """A source table's shares and, where they exclude one another, their sum."""

    source_id: str
    table_id: str
    rows: list[ChartRow]
    total: float | None  # the sum of the exclusive top-level shares, if they are
    total_note: str


class Summary(_Model):
    checks: int
    passed: int
    failed: int
    skipped: int
    errors: int  # failures of severity error
    warnings: int


class Report(_Model):
    title: str
    sources: dict[str, str]  # source_id -> raw file
    observations: int
    summary: Summary
    checks: list[CheckResult]
    charts: list[Chart]

    def failures(self, severity: Severity) -> list[tuple[CheckResult, Failure]]:
        return [(c, f) for c in self.checks for f in c.failures if f.severity == severity]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


def summarize(checks: list[CheckResult]) -> Summary:
    return Summary(
        checks=len(checks),
        passed=sum(c.status == "passed" for c in checks),
        failed=sum(c.status == "failed" for c in checks),
        skipped=sum(c.status == "skipped" for c in checks),
        errors=sum(c.errors for c in checks),
        warnings=sum(c.warnings for c in checks),
    )


def headline(report: Report) -> str:
    s = report.summary
    return (
        f"{len(report.sources)} source{'' if len(report.sources) == 1 else 's'}, "
        f"{report.observations} observations: "
        f"{s.checks} checks, {s.passed} passed, {s.failed} failed, {s.skipped} skipped; "
        f"{s.errors} errors, {s.warnings} warnings"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _quote_md(q: Quote) -> str:
    at = f", chars {q.char_start}-{q.char_end}" if q.char_start is not None else ""
    return f"\n  > {_cell(q.quote)} — *{q.source_id}{at}*"


def markdown(report: Report, every_check: bool = True) -> str:
    """The report for a pull request: summary, failures with quotes, then every check.

    Without ``every_check`` the checks are counted by name instead of listed one by
    one: a page of bounded size however many sources (a Prefect artifact).
    """
    s = report.summary
    out = [
        f"# {report.title}",
        "",
        headline(report) + ".",
        "",
        "| errors | warnings | passed | failed | skipped | checks |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {s.errors} | {s.warnings} | {s.passed} | {s.failed} | {s.skipped} | {s.checks} |",
        "",
        "An **error** means the extraction cannot be trusted and blocks the release; a "
        "**warning** reports a source that is inconsistent in itself or with another source, "
        "reproduced as printed.",
        "",
    ]
    for severity in SEVERITIES:
        found = report.failures(severity)
        out += [f"## {severity.capitalize()}s ({len(found)})", ""]
        if not found:
            out += ["None.", ""]
        for check, f in found:
            source = check.source_id or ", ".join(dict.fromkeys(q.source_id for q in f.quotes))
            out.append(f"- **{check.name}** — {source}, {f.where}: {_cell(f.message)}")
            if f.note:
                out.append(f"\n  Reviewed: {_cell(f.note)}")
            out += [_quote_md(q) for q in f.quotes]
        out.append("")
    if not every_check:
        out += [
            "## Checks by name",
            "",
            "Every check for every source and table: `report.md` and `report.html`.",
            "",
            "| kind | check | subjects | passed | failed | skipped | errors | warnings |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for r in table_rows(report):
            out.append(
                f"| {r['kind']} | {r['check']} | {r['subjects']} | {r['passed']} "
                f"| {r['failed']} | {r['skipped']} | {r['errors']} | {r['warnings']} |"
            )
        return "\n".join([*out, ""])
    out += ["## All checks", ""]
    for kind, title in KINDS.items():
        rows = [c for c in report.checks if c.kind == kind]
        if not rows:
            continue
        out += [
            f"### {title}",
            "",
            "| status | severity | check | subject | checked | failed |",
            "|---|---|---|---|---:|---:|",
        ]
        for c in rows:
            subject = "/".join(p for p in (c.source_id, c.table_id) if p) or "-"
            out.append(
                f"| {c.status} | {c.severity} | {c.name} | {_cell(subject)} "
                f"| {c.checked} | {c.failed} |"
            )
        out.append("")
    return "\n".join(out)


def table_rows(report: Report) -> list[dict[str, object]]:
    """One row per check by name (over its sources and tables), for a table artifact or a
    spreadsheet: as many rows for ten thousand sources as for five."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for c in report.checks:
        row = rows.setdefault(
            (c.kind, c.name),
            {
                "kind": c.kind,
                "check": c.name,
                "subjects": 0,
                "passed": 0,
                "failed": 0,
                "skipped": 0,
                "errors": 0,
                "warnings": 0,
                "first failure": "",
            },
        )
        row["subjects"] += 1
        row[c.status] += 1
        row["errors"] += c.errors
        row["warnings"] += c.warnings
        if c.failures and not row["first failure"]:
            subject = "/".join(p for p in (c.source_id, c.table_id) if p)
            row["first failure"] = f"{subject}: {c.failures[0].message}".lstrip(": ")
    return list(rows.values())
