"""The validation report: every check that ran, as JSON (machines) and Markdown (people).

Severity says what a failure means. An **error**: our extraction cannot be
trusted (a schema violation, a quote without its value, a structure the spec
declared that the numbers contradict); it blocks the release. A **warning**: a
source is inconsistent in itself or with another source; we reproduce it as
printed and report it. A check that passed keeps the severity its failure
would have had.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")
CheckStatus = Literal["passed", "failed", "skipped"]
CheckKind = Literal["schema", "table", "declared", "cross-source", "review"]
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
    """Where a number stands in its source: text[char_start:char_end] == quote, the
    printed value at quote[value_at:value_at + len(value_text)], and a few lines of the
    source's text on either side (``before``, ``after``) so a reviewer reads it in place."""

    source_id: str
    observation_id: str | None
    label: str | None
    value_text: str | None
    quote: str
    char_start: int | None
    char_end: int | None
    value_at: int | None = None  # where the value starts within the quote
    before: str = ""
    after: str = ""


class Failure(_Model):
    severity: Severity
    where: str  # "table method-of-production, row 'Other'", in words
    message: str
    values: dict[str, str]
    quotes: list[Quote]
    table_id: str | None = None
    category: str | None = None
    note: str | None = None  # the reviewer's explanation, for a known inconsistency
    observation_ids: list[str] = []  # every observation the failure compares

    @property
    def reviewed(self) -> bool:
        """A warning a spec lists as reviewed (its note says why); any other needs a decision."""
        return self.severity == "warning" and self.note is not None


class CheckResult(_Model):
    id: str
    name: str
    kind: CheckKind
    description: str
    severity: Severity
    status: CheckStatus
    source_id: str | None = None
    table_id: str | None = None
    checked: int
    failed: int
    errors: int  # failures of severity error; failed = errors + warnings
    warnings: int
    failures: list[Failure]  # the first LISTED of them
    note: str | None = None
    column: str | None = None  # a schema check's column; None for a check of whole rows
    rule: str | None = None  # a schema check's rule: "type", "set", "unique", "values"...
    values: dict[str, str] = {}  # what a declared relation compared, passed or not
    observation_ids: list[str] = []  # the observations a declared relation compared


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
    total_ok: bool | None = None  # the sum meets 100 within the printed rounding
    total_note: str


class Summary(_Model):
    checks: int
    passed: int
    failed: int
    skipped: int
    errors: int  # failures of severity error
    warnings: int
    unreviewed: int = 0  # warnings no spec lists as reviewed: they need a decision


class Release(_Model):
    """What the report covers: a release (version, created) or an unreleased build."""

    version: str | None = None
    created: str | None = None  # when the release was written, or the build checked (UTC)


class Report(_Model):
    title: str
    release: Release = Release()
    code_sha256: str = ""  # csedata.codedigest: the code that ran the checks
    sources: dict[str, str]  # source_id -> raw file
    inputs: dict[str, str] = {}  # source_id -> sha256 of its raw file
    observations: int
    summary: Summary
    checks: list[CheckResult]
    charts: list[Chart]

    def failures(self, severity: Severity) -> list[tuple[CheckResult, Failure]]:
        return [(c, f) for c in self.checks for f in c.failures if f.severity == severity]

    def decisions(self) -> list[tuple[str, list[tuple[CheckResult, Failure]]]]:
        """What needs a reviewer, in order: errors, unreviewed warnings, then reviewed ones."""
        warnings = self.failures("warning")
        return [
            ("errors", self.failures("error")),
            ("unreviewed warnings", [(c, f) for c, f in warnings if not f.reviewed]),
            ("reviewed warnings", [(c, f) for c, f in warnings if f.reviewed]),
        ]

    def stamped(self, version: str | None, created: str) -> Report:
        """The same report saying which release it covers (None: an unreleased build)."""
        return self.model_copy(update={"release": Release(version=version, created=created)})


def summarize(checks: list[CheckResult]) -> Summary:
    return Summary(
        checks=len(checks),
        passed=sum(c.status == "passed" for c in checks),
        failed=sum(c.status == "failed" for c in checks),
        skipped=sum(c.status == "skipped" for c in checks),
        errors=sum(c.errors for c in checks),
        warnings=sum(c.warnings for c in checks),
        unreviewed=sum(
            f.severity == "warning" and not f.reviewed for c in checks for f in c.failures
        ),
    )


def headline(report: Report) -> str:
    s = report.summary
    return (
        f"{len(report.sources)} source{'' if len(report.sources) == 1 else 's'}, "
        f"{report.observations} observations: "
        f"{s.checks} checks, {s.passed} passed, {s.failed} failed, {s.skipped} skipped; "
        f"{s.errors} errors, {s.warnings} warnings ({s.unreviewed} unreviewed)"
    )


def covers(report: Report) -> str:
    """Which release the report covers, in words."""
    r = report.release
    if r.version is None:
        return "an unreleased build" + (f", checked {r.created}" if r.created else "")
    return f"release {r.version}" + (f", created {r.created}" if r.created else "")
