"""The validation report as Markdown: for a pull request, or (counted by name) for a
Prefect artifact of bounded size."""

from __future__ import annotations

from typing import Any

from csedata.report.model import KINDS, SEVERITIES, Quote, Report, headline


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
    out = _summary(report) + _failures(report)
    if not every_check:
        return "\n".join([*out, *_by_name(report), ""])
    return "\n".join([*out, *_every_check(report)])


def _summary(report: Report) -> list[str]:
    s = report.summary
    return [
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


def _failures(report: Report) -> list[str]:
    out = []
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
    return out


def _by_name(report: Report) -> list[str]:
    out = [
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
    return out


def _every_check(report: Report) -> list[str]:
    out = ["## All checks", ""]
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
    return out


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
