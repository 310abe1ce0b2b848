"""Throughput of the prepare stage: pages per second for HTML and PDF, beside pdfplumber's
own time on the same pages, and what a second prepare of an unchanged snapshot costs.

    python -m benchmarks.prepare [--repeat 20]

On the fixtures of tests/fixtures (made here, not the publishers' files). Nothing here
asserts: it prints one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pdfplumber

from benchmarks.corpus import REPO
from csedata.prepare import htmlpage, pdfreport
from csedata.prepare.dispatch import cache_path, prepare
from csedata.registry import load_registry

FIXTURES = REPO / "tests" / "fixtures"


def _timed(work: Any, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return time.perf_counter() - started


def _pdfplumber_alone(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_words()


def _cache(data: bytes) -> dict[str, float | bool]:
    """The first prepare converts; the second, same sha256 and converter, reads the cache."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "raw", root / "raw")
        (root / "raw" / "report.pdf").write_bytes(data)
        base = next(iter(load_registry(root).values()))
        source = base.model_copy(
            update={
                "file": "report.pdf",
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "media_type": "application/pdf",
            }
        )
        first = _timed(lambda: prepare(root, source), 1)
        entry = cache_path(root, source.sha256, pdfreport)
        written = entry.stat().st_mtime_ns
        second = _timed(lambda: prepare(root, source), 1)
        return {
            "first_s": round(first, 4),
            "second_s": round(second, 4),
            "second_converted": entry.stat().st_mtime_ns != written,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    pdf = (FIXTURES / "pdf" / "report.pdf").read_bytes()
    pages = len(pdfreport.convert(pdf).pages) * repeat
    html = [p.read_bytes() for p in sorted((FIXTURES / "html").glob("*.html"))]
    ours_pdf = _timed(lambda: pdfreport.convert(pdf), repeat)
    plumber = _timed(lambda: _pdfplumber_alone(pdf), repeat)
    ours_html = _timed(lambda: [htmlpage.convert(page) for page in html], repeat)
    print(
        json.dumps(
            {
                "pdf_pages": pages,
                "pdf_pages_per_s": round(pages / ours_pdf, 1),
                "pdfplumber_words_pages_per_s": round(pages / plumber, 1),
                "html_pages": len(html) * repeat,
                "html_pages_per_s": round(len(html) * repeat / ours_html, 1),
                "unchanged_snapshot": _cache(pdf),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
