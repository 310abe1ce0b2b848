"""The validation report as Markdown: for a pull request or a Prefect artifact. Its size
follows the checks and failures, not the sources: every check is counted by name."""

from __future__ import annotations

from csedata.report.aggregate import by_check, schema_grids, subject
from csedata.report.model import CheckResult, Failure, Quote, Report, covers, headline


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _quote_md(q: Quote) -> list[str]:
    """The quote as a block quote, its line breaks kept and its value in bold."""
    text, at = q.quote, q.value_at
    if at is not None and q.value_text and text[at : at + len(q.value_text)] == q.value_text:
        end = at + len(q.value_text)
        text = f"{text[:at]}**{text[at:end]}**{text[end:]}"
    where = f", characters {q.char_start}-{q.char_end}" if q.char_start is not None else ""
    lines = [f"  > {line}".rstrip() for line in text.split("\n")]
    return ["", *lines, f"  > — *{q.source_id}{where}*"]


def markdown(report: Report) -> str:
    """Header and verdict, what needs a decision (with quotes and notes), then every check
    by name and each table's schema checks in one line."""
    out = _header(report)
    for name, found in report.decisions():
        out += [f"## {name.capitalize()} ({len(found)})", ""]
        if not found:
            out += ["None.", ""]
        for check, f in found:
            out += _decision(check, f)
        out.append("")
    return "\n".join([*out, *_by_name(report), *_schema(report), ""])


def _header(report: Report) -> list[str]:
    s = report.summary
    verdict = (
        f"**Blocks the release: {s.errors} errors.**"
        if s.errors
        else f"**Needs a decision: {s.unreviewed} unreviewed warnings.**"
        if s.unreviewed
        else "Nothing needs a decision: no errors, no unreviewed warnings."
    )
    return [
        f"# {report.title}",
        "",
        f"Covers **{covers(report)}**; code sha256 `{report.code_sha256 or 'unknown'}`; "
        f"{len(report.inputs)} raw files (their sha256 in report.json).",
        "",
        headline(report) + ".",
        "",
        verdict,
        "",
        "An **error** means the extraction cannot be trusted and blocks the release; a "
        "**warning** reports a source that is inconsistent in itself or with another source, "
        "reproduced as printed. A warning no spec lists as reviewed needs a decision.",
        "",
    ]


def _decision(check: CheckResult, f: Failure) -> list[str]:
    out = [
        f"- **{check.name}** — {subject(check)}, {f.where}: {_cell(f.message)}",
        f"\n  Rule: {_cell(check.description)}",
    ]
    if f.values:
        out.append("\n  Values: " + "; ".join(f"{k}: {_cell(v)}" for k, v in f.values.items()))
    if f.reviewed:
        out.append(f"\n  Reviewed: {_cell(f.note or '')}")
    elif f.severity == "warning":
        note = f" The declaration's note: {_cell(check.note)}" if check.note else ""
        out.append(f"\n  Not reviewed: needs a decision.{note}")
    for q in f.quotes:
        out += _quote_md(q)
    if f.observation_ids:
        out.append("\n  Observations: " + ", ".join(f"`{i}`" for i in f.observation_ids))
    return out


def _by_name(report: Report) -> list[str]:
    out = [
        "## Checks by name",
        "",
        "Every result of every check and source: `results.parquet`.",
        "",
        "| kind | check | ran on | passed | failed | errors | warnings | failed for |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for g in by_check(report, ("table", "declared", "cross-source", "review")):
        failing = ", ".join(subject(c) for c in g.failing[:5])
        more = f" and {len(g.failing) - 5} more" if len(g.failing) > 5 else ""
        out.append(
            f"| {g.kind} | {g.name} | {g.subjects} | {g.passed} | {g.failed} "
            f"| {g.errors} | {g.warnings} | {_cell(failing + more)} |"
        )
    return [*out, ""]


def _schema(report: Report) -> list[str]:
    out = ["## Schema checks", ""]
    for grid in schema_grids(report):
        failing = sorted({c.name for c in grid.all() if c.failed})
        state = "all passed" if not failing else f"failed: {', '.join(failing)}"
        out.append(f"- {grid.table}: {grid.checks} checks on {len(grid.cells)} columns, {state}")
    return out


def table_rows(report: Report) -> list[dict[str, object]]:
    """One row per check by name (over its sources and tables), for a table artifact or a
    spreadsheet: as many rows for ten thousand sources as for five."""
    rows = []
    for g in by_check(report):
        row = g.as_row()
        failing = [subject(c) for c in g.failing]
        row["failing"] = ", ".join(failing[:20]) + (" ..." if len(failing) > 20 else "")
        rows.append(row)
    return rows
