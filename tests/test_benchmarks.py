"""The synthetic corpus and the benchmark command, at a size that runs in seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks import browser, dask_time
from benchmarks.corpus import generate
from csedata import pipeline, validation
from csedata.batches import batches
from csedata.registry import load_registry

REPO = Path(__file__).resolve().parent.parent


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_corpus_is_deterministic_and_looks_like_the_real_one(tmp_path: Path) -> None:
    first, second = generate(tmp_path / "a", 20), generate(tmp_path / "b", 20)
    assert _files(first) == _files(second)

    registry = load_registry(first)
    groups = [[registry[i] for i in ids] for ids in batches(list(registry), 8)]
    parts = [pipeline.extract_batch(first, group).path for group in groups]
    frames = pipeline.assemble(first, [s for g in groups for s in g], parts)
    validation.require_valid(validation.build_report(first, frames, pipeline.declarations(parts)))
    obs, ledger = frames["observations"], frames["ledger"]
    assert 80 * 20 <= len(obs) <= 120 * 20  # about a hundred observations per document
    assert set(obs["form"]) == {"table", "prose"}
    assert {"approximate", "more_than", "nearly", "at_least", "less_than", "at_most"} <= set(
        obs["qualifier"]
    )
    assert {"count", "percent", "percent_change", "months"} <= set(obs["unit"])
    assert obs["multi_response"].any() and obs["parent_category"].ne("total").any()
    assert {"year", "section", "contact", "non-statistical", "case-story"} <= set(
        ledger["reason"].dropna()
    )


def test_benchmark_runs_at_size_ten(tmp_path: Path) -> None:
    args = ["--sizes", "10", "--skip-floor", "--workdir", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = ("extract", "validate", "write", "peak memory", "no-change rerun", "overhead")
    figures += ("/ tokenizer floor", "/ Parquet read", "/ full run", "+ bare flow")
    figures += (
        "ledger (every number token)",
        "the rest (batch keys",
        "libyaml events only",
        "libyaml events alone is",
    )
    page = ("report.html size", "report.html parsed and laid out" if browser.available() else "")
    for figure in (*figures, *page):
        assert figure in done.stdout
    assert "== 10 documents: 9" in done.stdout  # 9xx observations


def test_the_dask_stage_splits_into_parts_that_add_up_to_it() -> None:
    """Two workers: one waits 1 s for its first task and idles 2 s between tasks, the other
    ends 3 s before the last task; one core needs 10 s for the work of 14 s of tasks."""
    spans = [[0.0, 5.0], [1.0, 4.0], [7.0, 10.0], [4.0, 7.0]]  # lanes [0-5, 7-10], [1-4, 4-7]
    split = dict(dask_time.parts(spans, 2, one_core=10.0))
    assert split == {
        "one core's time / workers": 5.0,
        "waiting for a first task": 0.5,
        "between tasks": 1.0,
        "imbalance (idle at the end)": 1.5,
        "tasks beyond one core's share": 2.0,
    }
    assert sum(split.values()) == 10.0  # the stage, first start to last end
    # a worker that got no task idled the whole stage
    assert (
        dict(dask_time.parts([[0.0, 4.0]], 2, one_core=4.0))["imbalance (idle at the end)"] == 2.0
    )
