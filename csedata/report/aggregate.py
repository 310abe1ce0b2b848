"""The checks aggregated for reading: one row per check (over every source and table it
ran on), and the schema checks of each table folded into a grid of columns and rules.

At ten thousand sources a check runs ten thousand times; a reviewer reads it once,
with the sources where it failed listed beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csedata.report.model import CheckKind, CheckResult, Report, Severity

# the order of a schema grid's rule columns; a rule not named here comes after them
RULES = ("type", "set", "unique", "values", "reference")


@dataclass
class CheckGroup:
    """One check over every subject it ran on."""

    kind: CheckKind
    name: str
    description: str
    severity: Severity  # what a failure of it is
    subjects: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    errors: int = 0
    warnings: int = 0
    failing: list[CheckResult] = field(default_factory=list)  # the subjects that failed
    note: str | None = None  # a single subject's note (a declared relation's)

    def as_row(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "check": self.name,
            "description": self.description,
            "if it fails": self.severity,
            "subjects": self.subjects,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "failing": [subject(c) for c in self.failing],
        }


def subject(c: CheckResult) -> str:
    """What a check ran on: its source and table, or every source."""
    return "/".join(p for p in (c.source_id, c.table_id) if p) or "all sources"


def by_check(report: Report, kinds: tuple[CheckKind, ...] | None = None) -> list[CheckGroup]:
    """One group per check name and kind, in the order the checks ran."""
    groups: dict[tuple[str, str], CheckGroup] = {}
    for c in report.checks:
        if kinds is not None and c.kind not in kinds:
            continue
        g = groups.get((c.kind, c.name))
        if g is None:
            g = groups[(c.kind, c.name)] = CheckGroup(c.kind, c.name, c.description, c.severity)
            g.note = c.note
        else:
            g.note = None if g.note != c.note else g.note
        g.subjects += 1
        setattr(g, c.status, getattr(g, c.status) + 1)
        g.errors += c.errors
        g.warnings += c.warnings
        if c.failed:
            g.failing.append(c)
            g.severity = "error" if c.errors else g.severity
    return list(groups.values())


@dataclass(frozen=True)
class Grid:
    """A table's schema checks: a cell per column and rule, the whole-row checks apart."""

    table: str
    rules: list[str]
    cells: dict[str, dict[str, list[CheckResult]]]  # column -> rule -> checks
    rows: list[CheckResult]  # checks of whole rows or of the frame
    failed: int

    def all(self) -> list[CheckResult]:
        return [c for col in self.cells.values() for v in col.values() for c in v] + self.rows

    @property
    def checks(self) -> int:
        return len(self.all())


def schema_grids(report: Report) -> list[Grid]:
    """Per released table, its schema checks as a grid (csedata.validation.schema names
    each check's column and rule)."""
    grids: dict[str, Grid] = {}
    for c in report.checks:
        if c.kind != "schema":
            continue
        table = c.table_id or "?"
        grid = grids.setdefault(table, Grid(table, [], {}, [], 0))
        if c.column is None or c.rule is None:
            grid.rows.append(c)
        else:
            grid.cells.setdefault(c.column, {}).setdefault(c.rule, []).append(c)
            if c.rule not in grid.rules:
                grid.rules.append(c.rule)
    out = []
    for g in grids.values():
        rules = sorted(g.rules, key=lambda r: (RULES.index(r) if r in RULES else len(RULES), r))
        out.append(Grid(g.table, rules, g.cells, g.rows, sum(c.failed for c in g.all())))
    return out
