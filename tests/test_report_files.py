"""The validation report's files: report.json, results.parquet and report.md (csedata.report)."""

from __future__ import annotations

import io
import json
import re

import pyarrow.parquet as pq
from conftest import Checked

from csedata import codedigest, validation
from csedata.report import markdown, render


def test_json_parquet_and_markdown_contents(checked: Checked) -> None:
    root, frames, declared = checked
    report = validation.build_report(root, frames, declared)
    files = render(report.stamped("9.9.9", "2026-01-02T03:04:05Z"))
    data = json.loads(files["report.json"])
    # the header: which release, its inputs and the code
    assert data["release"] == {"version": "9.9.9", "created": "2026-01-02T03:04:05Z"}
    assert data["code_sha256"] == codedigest.code_digest()
    assert data["inputs"] == dict(
        zip(frames["sources"]["source_id"], frames["sources"]["sha256"], strict=True)
    )
    # every check by name, its counts adding up to the summary
    for key in ("passed", "failed", "errors", "warnings"):
        assert sum(g[key] for g in data["by_check"]) == data["summary"][key]
    # every result that did not pass, in full; every declared relation with its values
    results = {r["id"]: r for r in data["results"]}
    assert {c.id for c in report.checks if c.status != "passed"} <= set(results)
    passing = [
        r for r in data["results"] if r["kind"] == "cross-source" and r["status"] == "passed"
    ]
    assert passing and all(r["values"]["finding"] and r["observation_ids"] for r in passing)
    for c, f in report.failures("warning"):
        listed = results[c.id]["failures"]
        assert any(set(f.observation_ids) == set(g["observation_ids"]) for g in listed)
        assert f.observation_ids and f.values
    # no float error in the file: every number as printed or rounded for reading
    assert not re.search(rb"\d\.\d*0000000\d|\d\.\d*9999999\d", files["report.json"])
    # every result, passed or not, one row each in results.parquet
    table = pq.read_table(io.BytesIO(files["results.parquet"])).to_pandas()
    assert len(table) == report.summary.checks == table["id"].nunique()
    assert (table["status"] == "passed").sum() == report.summary.passed
    assert render(report.stamped("9.9.9", "2026-01-02T03:04:05Z")) == files  # same bytes

    md = files["report.md"].decode()
    assert md == markdown(report.stamped("9.9.9", "2026-01-02T03:04:05Z"))
    assert "Covers **release 9.9.9, created 2026-01-02T03:04:05Z**" in md
    # errors, then unreviewed, then reviewed warnings; each warning with its note
    order = [md.index(f"## {h}") for h in ("Errors", "Unreviewed warnings", "Reviewed warnings")]
    assert order == sorted(order)
    for c, f in report.failures("warning"):
        note = f.note if f.reviewed else c.note
        assert note and " ".join(note.split()) in " ".join(md.split()), c.name
        for q in f.quotes:  # line breaks kept, the value in bold
            assert q.value_at is not None and q.value_text
            end = q.value_at + len(q.value_text)
            bold = f"{q.quote[: q.value_at]}**{q.value_text}**{q.quote[end:]}"
            assert "\n".join(f"  > {line}".rstrip() for line in bold.split("\n")) in md
    assert any("\n" in q.quote for _, f in report.failures("warning") for q in f.quotes)
