"""Where extraction on Dask spends the time beyond one core's share, from the Prefect
task records of the flow run, the one-core (direct) time and the CPU of each process.

The stage (first extraction task's start to last one's end) on W workers is, exactly:
one core's time / W, plus what the workers spent waiting for their first task
(scheduling, the arguments serialised and sent), between tasks, and idle at the end
while another worker finished (imbalance), plus how much longer the tasks took than
one core's share (Prefect's engine in each task, and a core shared with the other
processes: the API, the scheduler, other jobs). Each is in seconds of the stage
(summed over the workers, divided by W).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any


def _lanes(spans: list[list[float]]) -> list[list[list[float]]]:
    """The task spans laid out one after another per worker (Prefect does not record
    which worker ran a task): each to the first lane free by its start."""
    lanes: list[list[list[float]]] = []
    for span in sorted(spans):
        free = [lane for lane in lanes if lane[-1][1] <= span[0]]
        if free:
            free[0].append(span)
        else:
            lanes.append([span])
    return lanes


def parts(spans: list[list[float]], workers: int, one_core: float) -> list[tuple[str, float]]:
    """The stage's wall time in parts (seconds) that add up to it."""
    lanes = _lanes(spans)
    workers = max(workers, len(lanes))
    start, end = spans[0][0], max(e for _, e in spans)
    first = sum(lane[0][0] - start for lane in lanes)
    between = sum(b[0] - a[1] for lane in lanes for a, b in pairwise(lane))
    idle = sum(end - lane[-1][1] for lane in lanes) + (workers - len(lanes)) * (end - start)
    busy = sum(e - s for s, e in spans)
    return [
        ("one core's time / workers", one_core / workers),
        ("waiting for a first task", first / workers),
        ("between tasks", between / workers),
        ("imbalance (idle at the end)", idle / workers),
        ("tasks beyond one core's share", (busy - one_core) / workers),
    ]


def lines(full: dict[str, Any], direct: dict[str, Any]) -> list[str]:
    """What ``./run bench`` prints under the Dask ratio: the parts, then the CPU."""
    spans, workers = full.get("extract_spans"), full.get("workers", 0)
    if not spans or not workers:
        return []
    stage = max(e for _, e in spans) - spans[0][0]
    out = [
        f"  {stage:.2f} s on {workers} workers in {len(spans)} tasks, the first "
        f"{spans[0][0]:.2f} s after the flow run began ="
    ]
    for name, seconds in parts(spans, workers, direct["extract"]):
        out.append(f"    {name:40} {seconds:7.2f} s  {seconds / stage:4.0%}")
    cpu, start = full.get("cpu_extract", {}), full.get("cpu_start", {})
    work, used = direct["extract_cpu"], cpu.get("workers", 0.0)
    out += [
        f"  CPU in the stage: workers {used:.2f} s (one core's extraction {work:.2f} s, "
        f"{used - work:+.2f} s), the flow's process (scheduler, client) "
        f"{cpu.get('flow', 0.0):.2f} s, Prefect's API {cpu.get('api', 0.0):.2f} s; "
        f"the workers had {used / (workers * stage):.0%} of {workers} cores",
        f"  start-up before the flow run (overlapping Prefect's API start): workers "
        f"{start.get('workers', 0.0):.2f} s of CPU (imports), API {start.get('api', 0.0):.2f} s",
    ]
    return out
