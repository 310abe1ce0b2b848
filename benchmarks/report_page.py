"""The validation report's page at scale: its size and how long Chromium takes to lay it
out, printed beside the targets. ``python -m benchmarks.report_page --documents 10000``
builds the report of a synthetic corpus without a release (extraction cached in the
corpus folder); benchmarks.run prints the same figures for each release it writes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks import browser
from benchmarks.corpus import REPO, generate

MAX_BYTES, MAX_SECONDS = 3_000_000, 3.0  # issue 19: under 3 MB, open in under 3 s


def figures(folder: Path) -> list[tuple[str, str, str, bool]]:
    """(what, measured, target, met) for the report files in ``folder``."""
    page = folder / "report.html"
    size = page.stat().st_size
    rows = [
        ("report.html size", f"{size / 1e6:.2f} MB", "< 3 MB", size < MAX_BYTES),
        ("report.json size", f"{(folder / 'report.json').stat().st_size / 1e6:.2f} MB", "", True),
        (
            "results.parquet size",
            f"{(folder / 'results.parquet').stat().st_size / 1e6:.2f} MB",
            "",
            True,
        ),
    ]
    if not browser.available():
        return [*rows, ("report.html in Chromium", "not measured (no chromium)", "< 3 s", True)]
    found = browser.probe(page)
    seconds = found["laid_out_ms"] / 1000
    return [
        *rows,
        ("report.html parsed and laid out (Chromium)", f"{seconds:.2f} s", "< 3 s", seconds < 3),
        ("  whole headless Chromium process", f"{found['process_s']:.2f} s", "", True),
        (
            "  elements overflowing their box",
            str(len(found["overflows"])),
            "0",
            not found["overflows"],
        ),
    ]


def show(title: str, rows: list[tuple[str, str, str, bool]]) -> None:
    print(f"\n== {title}")
    for label, measured, target, ok in rows:
        verdict = ("met" if ok else "NOT MET") if target else ""
        print(f"{label:46} {measured:>28}  {target:>8}  {verdict}")


def main() -> None:
    from csedata import pipeline
    from csedata.report import render, write_report

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    args = parser.parse_args()
    root = generate(args.workdir / f"corpus-{args.documents}", args.documents)
    started = time.perf_counter()
    report = pipeline.check_project(root, None)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    folder = write_report(render(report), root / ".cache" / "validation")
    rendered = time.perf_counter() - started
    show(
        f"validation report of {args.documents:,} documents ({report.observations:,} "
        f"observations, {report.summary.checks:,} results; checked in {checked:.1f} s, "
        f"rendered in {rendered:.2f} s): {folder}",
        figures(folder),
    )


if __name__ == "__main__":
    main()
