"""The report for machines: report.json (the header, the summary, every check by name and
every result that did not pass, or that compared declared figures) and results.parquet
(every result of every check and source, one row each)."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.parquet as pq

from csedata.report.aggregate import by_check
from csedata.report.model import CheckResult, Report

RESULT_COLUMNS = pa.schema(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("check", pa.string()),
        ("source_id", pa.string()),
        ("table_id", pa.string()),
        ("column", pa.string()),
        ("status", pa.string()),
        ("severity", pa.string()),
        ("checked", pa.int64()),
        ("failed", pa.int64()),
        ("errors", pa.int64()),
        ("warnings", pa.int64()),
        ("values", pa.string()),  # JSON: what a declared relation compared
        ("observation_ids", pa.list_(pa.string())),
        ("note", pa.string()),
    ]
)


def _in_json(c: CheckResult) -> bool:
    """Listed in report.json: whatever did not pass, and every declared relation (their
    number follows the specs people write, not the number of sources)."""
    return c.status != "passed" or bool(c.values)


def report_json(report: Report) -> str:
    data = report.model_dump(mode="json", exclude={"checks"})
    data["by_check"] = [g.as_row() for g in by_check(report)]
    data["results"] = [c.model_dump(mode="json") for c in report.checks if _in_json(c)]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _ids(c: CheckResult) -> list[str]:
    found = [*c.observation_ids, *(i for f in c.failures for i in f.observation_ids)]
    return list(dict.fromkeys(found))


def results_parquet(report: Report) -> bytes:
    """Every result as a row; the same report gives the same bytes."""
    rows = [
        {
            "id": c.id,
            "kind": c.kind,
            "check": c.name,
            "source_id": c.source_id,
            "table_id": c.table_id,
            "column": c.column,
            "status": c.status,
            "severity": c.severity,
            "checked": c.checked,
            "failed": c.failed,
            "errors": c.errors,
            "warnings": c.warnings,
            "values": json.dumps(c.values, ensure_ascii=False) if c.values else None,
            "observation_ids": _ids(c),
            "note": c.note,
        }
        for c in report.checks
    ]
    buffer = io.BytesIO()
    table = pa.Table.from_pylist(rows, schema=RESULT_COLUMNS)
    pq.write_table(table, buffer, compression="zstd", compression_level=3)
    return buffer.getvalue()
