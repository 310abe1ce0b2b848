"""The report's files: rendered once, written each in one step, kept by content."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from csedata import durable
from csedata.report.html import html
from csedata.report.machine import report_json, results_parquet
from csedata.report.markdown import markdown
from csedata.report.model import Report
from csedata.threads import collector_paused

REPORT_FILES = ("report.json", "report.md", "report.html", "results.parquet")


@collector_paused
def render(report: Report) -> dict[str, bytes]:
    """The report's files by name: JSON, Markdown, one self-contained HTML page and
    every result as Parquet."""
    return {
        "report.json": report_json(report).encode(),
        "report.md": markdown(report).encode(),
        "report.html": html(report).encode(),
        "results.parquet": results_parquet(report),
    }


def release_files(report: Report, version: str, created: str) -> dict[str, bytes]:
    """The report's files as a release holds them (validation/<name>), saying which release
    they cover: what csedata.publish writes once it knows the version."""
    return {f"validation/{n}": data for n, data in render(report.stamped(version, created)).items()}


def write_report(files: dict[str, bytes], folder: Path) -> Path:
    """Write the files into folder, each replaced in one step; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        durable.replace_bytes(folder / name, data, mode=0o644)
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
