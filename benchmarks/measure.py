"""One measured run, in a process of its own: ``python -m benchmarks.measure MODE ROOT``.

Modes: ``prefect`` runs the release flow as ``csedata release`` does, reads
each task's start and end back from Prefect's API and samples the CPU of its
processes (the flow's, the API's, each Dask worker's: benchmarks.processes);
``direct`` calls the same plain functions in the same order without Prefect
(the orchestration floor's complement); ``bare`` runs a one-task Prefect flow and nothing else (the
orchestration floor); ``tokenizer`` reads, hashes and decodes every raw file and
finds its number tokens with the ledger's one regex, nothing else (extraction's
floor); ``parquet`` reads the tables of the latest release from their Parquet
files (validation's floor). Each prints one JSON line: timings in seconds and the
process's peak resident memory. A process per run keeps peaks apart.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.processes import Sampler, sampled

BATCH_SIZE_ENV = "CSEDATA_BENCH_BATCH_SIZE"
T = TypeVar("T")


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _stages_from_api() -> dict[str, Any]:
    """Wall time of each stage of the latest flow run, from Prefect's own records."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        task_runs = []
        while True:
            page = client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])),
                offset=len(task_runs),
                limit=200,
            )
            task_runs += page
            if len(page) < 200:
                break
    stages: dict[str, list[Any]] = {}
    for run in task_runs:
        stage = run.name.split("-")[0]  # extract-<batch>, validate-<id>, publish-<id>
        stages.setdefault(stage, []).append(run)
    assert flow_run.start_time and flow_run.end_time
    out: dict[str, Any] = {
        "flow": (flow_run.end_time - flow_run.start_time).total_seconds(),
        "tasks": len(task_runs),
    }
    for stage, runs in stages.items():
        start = min(r.start_time for r in runs if r.start_time)
        end = max(r.end_time for r in runs if r.end_time)
        out[stage] = (end - start).total_seconds()
    flow_start = flow_run.start_time.timestamp()
    out["flow_start"] = flow_start
    out["extract_spans"] = sorted(
        [r.start_time.timestamp() - flow_start, r.end_time.timestamp() - flow_start]
        for r in stages.get("extract", [])
        if r.start_time and r.end_time
    )
    return out


def _cpu_by_process(sampler: Sampler, stages: dict[str, Any]) -> dict[str, Any]:
    """Which processes used the CPU: before the flow run began (the API's and the Dask
    workers' start) and while it extracted (from its first task's start to its last's end)."""
    flow_start, spans = stages["flow_start"], stages["extract_spans"]
    out: dict[str, Any] = {"workers": sampler.workers(), "cpu_start": sampler.at(flow_start)}
    if spans:
        start, end = spans[0][0] + flow_start, max(e for _, e in spans) + flow_start
        out["cpu_extract"] = sampler.between(start, end)
    return out


def _prefect(root: Path, batch_size: int) -> dict[str, Any]:
    from csedata.cli import _quiet_prefect, run_release

    _quiet_prefect(False)
    started = time.perf_counter()
    with sampled() as sampler:
        outcome = run_release(root, None, batch_size=batch_size)
    called = time.perf_counter() - started
    stages = _stages_from_api()
    return {
        "status": outcome.release.status,
        "observations": outcome.observations,
        "extracted": outcome.extracted,
        "call": called,
        **stages,
        **_cpu_by_process(sampler, stages),
    }


class _Timer:
    """Runs a stage and adds its wall time to the stage's total (a csedata.pipeline.Timer):
    a stage run within another (each part assembled while validating) counts as its own
    and not the other's, so the stages add up to the run."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._within = [0.0]  # the time of the stages inside each stage running

    def __call__(self, stage: str, step: Callable[[], T]) -> T:
        started = time.perf_counter()
        self._within.append(0.0)
        result = step()
        took = time.perf_counter() - started
        self.times[stage] = self.times.get(stage, 0.0) + took - self._within.pop()
        self._within[-1] += took
        return result


class _Split:
    """Adds the CPU time of each extraction stage (csedata.pipeline.extract_batch)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    def __call__(self, stage: str, step: Callable[[], T]) -> T:
        started = time.process_time()
        result = step()
        self.times[stage] = self.times.get(stage, 0.0) + time.process_time() - started
        return result


def _direct(root: Path, batch_size: int) -> dict[str, Any]:
    """The flow's stages, in its order, as plain calls (csedata.pipeline; flows/release.py)."""
    from csedata import pipeline, publish, uptodate
    from csedata.registry import Source
    from csedata.report import release_files

    timed = _Timer()
    times = timed.times
    groups = timed("registry", lambda: pipeline.plan(root, None, batch_size))
    split = _Split()

    def each(root: Path, groups: list[list[Source]]) -> list[pipeline.Batch]:
        return [pipeline.extract_batch(root, group, split) for group in groups]

    cpu = time.process_time()
    extracted = timed("extract", lambda: pipeline.extract_batches(root, groups, each))
    extract_cpu = time.process_time() - cpu
    lock_sha256 = uptodate.lock_sha256(root)
    inputs = extracted.inputs(lock_sha256)
    status, rows = "unchanged", None
    if timed("check", lambda: uptodate.current(root, inputs)) is None:
        validated = pipeline.check(root, extracted, timed).valid()
        report = validated.report

        def extras(version: str, created: str) -> dict[str, bytes]:
            return release_files(report, version, created)  # timed with the write

        outcome = timed("write", lambda: publish.publish(root, validated, lock_sha256, extras))
        uptodate.record(root, inputs, outcome.version)
        status, rows = outcome.status, validated.tables.rows("observations")
    total = sum(times.values())
    return {
        "status": status,
        "observations": rows,
        **times,
        "total": total,
        "extract_cpu": extract_cpu,
        "extract_split": split.times,
    }


def _tokenizer(root: Path) -> dict[str, Any]:
    """Extraction's floor, on one core: each registered raw file read, hashed with
    sha256, decoded and scanned for every number token by the ledger's compiled regex
    (csedata.ledger.TOKEN). CPU seconds, so other work on the machine counts less.

    Beside it, what reading the specs costs at least with the YAML parser csedata uses:
    each spec read and run through libyaml's parser, its events made and dropped (no
    object built from them; csedata.yamltext builds its data from the same events)."""
    import hashlib

    import yaml

    from csedata.ledger import TOKEN
    from csedata.registry import load_registry
    from csedata.spec import spec_path
    from csedata.yamltext import LOADER

    sources = list(load_registry(root).values())
    paths = [root / "raw" / source.file for source in sources]
    cpu, tokens = time.process_time(), 0
    for path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        tokens += sum(1 for _ in TOKEN.finditer(data.decode("utf-8")))
    floor = time.process_time() - cpu
    cpu, events = time.process_time(), 0
    for source in sources:
        events += sum(1 for _ in yaml.parse(spec_path(root, source.source_id).read_bytes(), LOADER))
    return {
        "documents": len(paths),
        "tokens": tokens,
        "floor_cpu": floor,
        "spec_events": events,
        "spec_events_cpu": time.process_time() - cpu,
    }


def _parquet(root: Path) -> dict[str, Any]:
    """Validation's floor: the latest release's tables read from their Parquet files into
    pandas, as ``csedata verify`` reads them before validating (wall seconds)."""
    from csedata import parquet

    release = root / "processed" / (root / "processed" / "LATEST").read_text().strip()
    started = time.perf_counter()
    rows = sum(len(parquet.read_frame(path)) for path in sorted(release.glob("*.parquet")))
    return {"rows": rows, "read": time.perf_counter() - started}


def _bare() -> dict[str, Any]:
    """A one-task flow started as csedata starts its own: the orchestration floor."""
    from csedata.cli import _quiet_prefect

    _quiet_prefect(False)  # before Prefect is imported, as the csedata command does

    from prefect import flow, task
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    @task
    def one() -> int:
        return 1

    @flow
    def bare() -> int:
        return one()

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return {"result": bare()}


def main() -> None:
    mode, root = sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    batch_size = int(os.environ.get(BATCH_SIZE_ENV, "250"))
    started = time.perf_counter()
    if mode == "prefect":
        result = _prefect(root, batch_size)
    elif mode == "direct":
        result = _direct(root, batch_size)
    elif mode == "bare":
        result = _bare()
    elif mode == "tokenizer":
        result = _tokenizer(root)
    elif mode == "parquet":
        result = _parquet(root)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    result["in_process"] = time.perf_counter() - started
    result["peak_bytes"] = _peak_bytes()
    result["cpu"] = time.process_time()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
