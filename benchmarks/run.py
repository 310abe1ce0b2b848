"""The benchmark: the whole pipeline on synthetic corpora, every figure beside its target.

    python -m benchmarks.run --sizes 10,100,1000,10000

Per size: a cold run through the Prefect flow (as ``csedata release`` runs it),
the same work as plain calls without Prefect, a bare one-task flow (what starting
Prefect costs) and a no-change rerun; each in a fresh process, so peaks and
start-up costs are those a user sees. Then the five real sources from a cold
start beside a bare one-task Prefect flow started the same way, alternating,
median of three. Nothing here asserts: it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import dask_time, huge, report_page
from benchmarks.corpus import REPO, generate
from benchmarks.measure import BATCH_SIZE_ENV
from csedata.batches import BATCH_SIZE
from csedata.scaleout import LOCAL_CLUSTER_FROM

GIB = 1024**3
TARGETS = {
    "floor": 1.5,
    "prefect": 1.0,  # the flow end to end / (direct end to end + a bare one-task flow)
    "peak": 1 * GIB,  # peak memory at 10,000 documents
    "rerun": 0.10,
    "tokenizer": 3.0,  # extraction CPU / the tokenizer floor's, one core
    "parquet": 3.0,  # validation / reading the same tables from Parquet
    "dask": 0.6,  # extraction on a worker per core / on one core, wall
    "peak_growth": 1.5,  # peak memory at 10,000 documents / at 1,000
    "huge": 24 * GIB,  # every process of a release of --huge documents together (issue 20)
}


def _env(prefect_home: Path, batch_size: int) -> dict[str, str]:
    env = dict(os.environ)
    prefect_home.mkdir(parents=True, exist_ok=True)
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # an empty database's migrations can outlast the default 20 s on a busy machine
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
        **{BATCH_SIZE_ENV: str(batch_size)},
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of a fresh process, and what it printed."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, cwd=REPO)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{done.stderr[-3000:]}")
    return wall, done.stdout


def _measure(mode: str, root: Path, env: dict[str, str]) -> dict[str, Any]:
    wall, out = _run([sys.executable, "-m", "benchmarks.measure", mode, str(root)], env)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["process"] = wall
    return result


def _release(root: Path, env: dict[str, str]) -> tuple[float, str]:
    """``csedata release`` as a user runs it."""
    batch = ["--batch-size", env[BATCH_SIZE_ENV]]
    return _run([sys.executable, "-m", "csedata", "release", "--root", str(root), *batch], env)


def _clean(root: Path) -> None:
    """Back to a cold start: no extraction cache, no release."""
    for part in ("processed", ".cache"):
        shutil.rmtree(root / part, ignore_errors=True)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.1f}" if n / seconds < 100 else f"{n / seconds:,.0f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _gib(n: float) -> str:
    return f"{n / GIB:.2f} GiB"


def _runs(size: int, root: Path, env: dict[str, str]) -> dict[str, Any]:
    """Every measured run at one size, each in a fresh process, cold where it must be."""
    _clean(root)
    tokenizer = _measure("tokenizer", root, env)
    direct = _measure("direct", root, env)
    direct_rerun = _measure("direct", root, env)
    _clean(root)
    full = _measure("prefect", root, env)
    # Prefect's start (its API, a flow run, one task), with the same settings and database
    bare = _measure("bare", root, env)
    rerun, said = _release(root, env)
    if full["status"] != "written" or not said.startswith("up to date"):
        raise SystemExit(f"unexpected outcome at {size} documents: {full} / {said}")
    parquet = _measure("parquet", root, env)
    return {
        "size": size,
        "full": full,
        "rerun": rerun,
        "direct": direct,
        "direct_rerun": direct_rerun,
        "tokenizer": tokenizer,
        "parquet": parquet,
        "bare": bare,
    }


def _rows(runs: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each stage through the Prefect flow beside the same work without Prefect."""
    size, full, direct = runs["size"], runs["full"], runs["direct"]
    obs = full["observations"]
    return [
        ("refresh", "n/a (no URLs)", "n/a (no URLs)"),
        ("registry, batching, no-change check", "(in flow total)", _s(direct["registry"])),
        ("extract", _s(full["extract"]), _s(direct["extract"])),
        (
            "validate (with assembling the tables)",
            _s(full["validate"]),
            f"{_s(direct['assemble'] + direct['validate'])} "
            f"(validate alone {_s(direct['validate'])})",
        ),
        ("write", _s(full["publish"]), _s(direct["write"])),
        ("pipeline total", f"{_s(full['flow'])} (flow run)", _s(direct["total"])),
        ("process end to end", _s(full["process"]), _s(direct["process"])),
        ("documents/s (process)", _rate(size, full["process"]), _rate(size, direct["process"])),
        ("observations/s (process)", _rate(obs, full["process"]), _rate(obs, direct["process"])),
        ("peak memory", _gib(full["peak_bytes"]), _gib(direct["peak_bytes"])),
        ("CPU time (process)", _s(full["cpu"]), _s(direct["cpu"])),
        ("no-change rerun (fresh process)", _s(runs["rerun"]), _s(runs["direct_rerun"]["process"])),
        ("bare one-task flow (fresh process)", _s(runs["bare"]["process"]), ""),
        ("extraction CPU per document (one core)", "", _ms(direct["extract_cpu"] / size)),
        *_split_rows(direct, size),
        ("  tokenizer floor per document", "", _ms(runs["tokenizer"]["floor_cpu"] / size)),
        ("  spec read, libyaml events only", "", _ms(runs["tokenizer"]["spec_events_cpu"] / size)),
        ("  reading the release's Parquet tables", "", _s(runs["parquet"]["read"])),
    ]


# extraction's stages (csedata.pipeline.extract_batch), as the direct run times them
SPLIT = {
    "prepare": "raw file read, sha256 checked",
    "spec": "spec read, parsed, validated",
    "extract": "tables and figures found",
    "ledger": "ledger (every number token)",
    "privacy": "case-story words",
    "write": "to Arrow, written",
}


def _split_rows(direct: dict[str, Any], size: int) -> list[tuple[str, str, str]]:
    """Extraction's CPU per document by stage, and the rest (batch keys, vocabularies)."""
    split: dict[str, float] = direct["extract_split"]
    rows = [
        (f"    {label}", "", _ms(split.get(stage, 0.0) / size)) for stage, label in SPLIT.items()
    ]
    rest = direct["extract_cpu"] - sum(split.values())
    return [*rows, ("    the rest (batch keys, vocabularies)", "", _ms(rest / size))]


def _show(runs: dict[str, Any], generated: float) -> None:
    """The table of one size, then what Prefect adds to the same work."""
    size, full, direct = runs["size"], runs["full"], runs["direct"]
    print(
        f"\n== {size:,} documents: {full['observations']:,} observations, "
        f"{full['tasks']} Prefect tasks (corpus generated in {_s(generated)})"
    )
    print(f"{'':40} {'Prefect flow':>24}   {'direct, no Prefect':>24}")
    for label, a, b in _rows(runs):
        print(f"{label:40} {a:>24}   {b:>24}")
    if size >= LOCAL_CLUSTER_FROM:
        print(
            f"{'orchestration overhead (flow - direct)':40} {'n/a':>24}   (the flow extracted on "
            "a local Dask cluster, a worker process per core; direct runs on one core)"
        )
        print("where the flow's extraction on Dask spent its time:")
        print("\n".join(dask_time.lines(full, direct)))
    else:
        overhead = full["flow"] - direct["total"]
        print(
            f"{'orchestration overhead (flow - direct)':40} "
            f"{_s(overhead):>24}   ({overhead / full['flow']:.0%} of the flow run)"
        )
    beyond = full["process"] - direct["process"] - runs["bare"]["process"]
    print(
        f"{'Prefect beyond its start (end to end)':40} {_s(beyond):>24}   "
        "(flow - direct - bare flow, fresh processes)"
    )


def bench_size(size: int, workdir: Path, env: dict[str, str]) -> dict[str, Any]:
    root = workdir / f"corpus-{size}"
    started = time.perf_counter()
    generate(root, size)
    generated = time.perf_counter() - started
    runs = _runs(size, root, env)
    _show(runs, generated)
    latest = (root / "processed" / "LATEST").read_text().strip()
    page = report_page.figures(root / "processed" / latest / "validation")
    report_page.show(f"validation report of release {latest}, {size:,} documents", page)
    return {**runs, "page": page}


def bench_floor(workdir: Path, repeats: int = 3) -> tuple[float, float]:
    """Median process wall time: real-source release vs bare one-task flow, cold, alternating."""
    real, bare = [], []
    for i in range(repeats):
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            project = Path(tmp) / "project"
            shutil.copytree(REPO / "raw", project / "raw")
            shutil.copytree(REPO / "flows" / "specs", project / "flows" / "specs")
            shutil.copytree(REPO / "flows" / "vocabularies", project / "flows" / "vocabularies")
            shutil.copy(REPO / "uv.lock", project / "uv.lock")
            bare_env = _env(Path(tmp) / "home-bare", BATCH_SIZE)
            real_env = _env(Path(tmp) / "home-real", BATCH_SIZE)
            order = ["bare", "real"] if i % 2 == 0 else ["real", "bare"]
            for which in order:
                if which == "bare":
                    wall, _ = _run([sys.executable, "-m", "benchmarks.measure", "bare"], bare_env)
                    bare.append(wall)
                else:
                    args = [sys.executable, "-m", "csedata", "release", "--root", str(project)]
                    wall, _ = _run(args, real_env)
                    real.append(wall)
    return statistics.median(real), statistics.median(bare)


def bench_huge(size: int, workdir: Path, env: dict[str, str]) -> Line:
    """One cold release of ``size`` documents: its time and the peak of all its processes."""
    root = workdir / f"corpus-{size}"
    started = time.perf_counter()
    generate(root, size)
    generated = time.perf_counter() - started
    _clean(root)
    result = huge.release_tree_peak(root, env)
    print(
        f"\n== {size:,} documents, one cold release (corpus generated in {_s(generated)})\n"
        f"{result['said']}\nwall {_s(result['wall'])}; peak memory of the flow's process, "
        f"Prefect's API server and the Dask workers together {_gib(result['peak_tree'])}"
    )
    peak = result["peak_tree"]
    label = f"{size:,} docs released cold ({_s(result['wall'])}), peak memory of all processes"
    return (label, _gib(peak), "<= 24 GiB", peak <= TARGETS["huge"])


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


Line = tuple[str, str, str, bool]


def _large_lines(results: dict[int, Any]) -> list[Line]:
    """The memory targets of the 10,000-document size (and its ratio to 1,000)."""
    if 10_000 not in results:
        return []
    peak = results[10_000]["full"]["peak_bytes"]
    lines = [("peak memory, 10,000 docs", _gib(peak), "<= 1 GiB", peak <= TARGETS["peak"])]
    if 1_000 in results:
        small = results[1_000]["full"]["peak_bytes"]
        lines.append(
            (
                f"peak memory, 10,000 docs / 1,000 docs ({_gib(small)})",
                f"{peak / small:.2f}x",
                f"<= {TARGETS['peak_growth']}x",
                peak / small <= TARGETS["peak_growth"],
            )
        )
    return lines


def _floor_lines(result: dict[str, Any]) -> list[Line]:
    """The ratios of one size to floors measured in the same run."""
    size, direct = result["size"], result["direct"]
    extract, floor = direct["extract_cpu"], result["tokenizer"]["floor_cpu"]
    validate, read = direct["validate"], result["parquet"]["read"]
    rerun, full = result["rerun"], result["full"]["process"]
    bare = result["bare"]["process"]
    least = floor + result["tokenizer"]["spec_events_cpu"]  # the floor's regex + the specs' events
    ratios = [
        (
            f"extraction CPU ({_ms(extract / size)}/doc) / tokenizer floor "
            f"({_ms(floor / size)}/doc), {size:,} docs; the floor with the specs' "
            f"libyaml events alone is {least / floor:.2f}x",
            extract / floor,
            "tokenizer",
        ),
        (
            f"validation ({_s(validate)}) / Parquet read ({_s(read)}), "
            f"{result['full']['observations']:,} observations",
            validate / read,
            "parquet",
        ),
        (f"no-change rerun ({_s(rerun)}) / full run ({_s(full)})", rerun / full, "rerun"),
        (
            f"flow end to end ({_s(full)}) / (direct ({_s(direct['process'])}) "
            f"+ bare flow ({_s(bare)}))",
            full / (direct["process"] + bare),
            "prefect",
        ),
    ]
    if size >= LOCAL_CLUSTER_FROM:  # the flow extracted on a local Dask cluster
        dask, one = result["full"]["extract"], direct["extract"]
        ratios.append(
            (f"extraction, Dask workers ({_s(dask)}) / one core ({_s(one)})", dask / one, "dask")
        )
    return [
        (
            label,
            f"{ratio:.1%}" if key == "rerun" else f"{ratio:.2f}x",
            f"<= {TARGETS[key]:.0%}" if key == "rerun" else f"<= {TARGETS[key]:g}x",
            ratio <= TARGETS[key],
        )
        for label, ratio, key in ratios
    ]


def _target_lines(results: dict[int, Any], floor: tuple[float, float] | None) -> list[Line]:
    """Every figure with a target, in the order printed: the ratios to same-run floors
    at the largest size, then memory."""
    lines = _floor_lines(results[max(results)]) + _large_lines(results)
    if floor is not None:
        real, bare = floor
        lines.append(
            (
                f"5 real sources cold ({_s(real)}) / bare flow ({_s(bare)})",
                f"{real / bare:.2f}x",
                f"<= {TARGETS['floor']}x",
                real / bare <= TARGETS["floor"],
            )
        )
    for size, result in results.items():
        lines += [
            (f"{label}, {size:,} docs", measured, target, ok)
            for label, measured, target, ok in result["page"]
            if target
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--skip-floor", action="store_true", help="skip the five-source run")
    parser.add_argument(
        "--huge", type=int, default=0, help="also one cold release of this many documents"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = _env(args.workdir / "prefect-home", args.batch_size)
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; load average at start "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; batch size {args.batch_size}"
    )
    _measure("bare", REPO, env)  # Prefect's database created and migrated before any timing
    results = {size: bench_size(size, args.workdir, env) for size in sizes}
    floor = None if args.skip_floor else bench_floor(args.workdir)
    lines = _target_lines(results, floor)
    if args.huge:
        lines.append(bench_huge(args.huge, args.workdir, env))

    print("\n== targets")
    for label, measured, target, ok in lines:
        print(f"{label:84} {measured:>10}  {target:>10}  {_verdict(ok)}")
        if label.startswith("extraction, Dask workers"):  # and where the rest went
            largest = results[max(results)]
            print("\n".join(dask_time.lines(largest["full"], largest["direct"])))
    print(f"load average at end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
