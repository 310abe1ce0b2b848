"""Where the extraction batches run: in the flow's process, or on a Dask cluster.

Both are Prefect task runners. Extraction is Python-bound, so threads would share
one core: a small run extracts its batches one after another in the flow's
process. A large one (at least LOCAL_CLUSTER_FROM sources to extract, in two or
more batches) goes to a local Dask cluster with a worker process per core,
through prefect-dask's DaskTaskRunner; starting the workers (Python with Prefect
and pandas imported) takes several seconds on a busy 2-core machine, about what
extracting 2,000 sources on one core takes, so smaller runs stay in-process.
Prefect's ProcessPoolTaskRunner offers no way to start its workers early or to
point them at the flow's API, hence a local Dask cluster for local parallelism.

Worker processes must report to the flow's Prefect API (on their own each would
start an ephemeral API of its own, seconds each), and read its address from the
environment when they start. They need the address, not an answer: so the port
of this process's ephemeral API is chosen first, and its server and the workers
start together (local_cluster) instead of one after the other.

The flow deals the batches into one task per worker thread (shares): a Prefect task
costs its engine's work on the worker, a submission in the flow's process and calls
to the API, so forty batch tasks on two workers cost more than one task each.

``--dask`` sends the batches to a Dask cluster whatever their number: a running
one given its scheduler address (its workers need this package installed and the
project folder at the same path, e.g. on a shared file system), or else a local
one started for the run.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from csedata.errors import CsedataError
from csedata.threads import beside

if TYPE_CHECKING:
    from prefect.server.api.server import SubprocessASGIServer

LOCAL_CLUSTER_FROM = 2_000
# What a worker does beside its task takes the GIL from it: its statistical profiler
# samples every thread's stack 100 times a second, and its event loop wakes every 20 ms
# to time itself and every 100 ms to read its memory. A worker's CPU beyond its task's
# thread while it extracted half of 10,000 documents (about a minute, busy machine):
# 2.2 s with Dask's defaults, 1.4 s without the profiler, 0.6 s with both timers at 1 s.
# The nannies hand this config to their workers.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@contextmanager
def task_runner(
    to_extract: int, batches: int, dask: bool, address: str | None, tasks_module: str
) -> Iterator[TaskRunner[Any]]:
    """The runner for this much work (sources to extract, in how many batches).

    A local cluster started for it (see local_cluster) is closed on leaving.
    """
    workers = min(batches, os.cpu_count() or 1)
    large = to_extract >= LOCAL_CLUSTER_FROM and workers > 1
    if not (dask or address or large):
        yield ThreadPoolTaskRunner(max_workers=1)
        return
    from prefect_dask.task_runners import DaskTaskRunner

    if address:
        yield DaskTaskRunner(address=address)
        return
    with local_cluster(workers if large else None, tasks_module) as scheduler:
        yield DaskTaskRunner(address=scheduler)


def slots() -> int:
    """How many batches the flow's task runner extracts at once: its Dask workers' threads
    (those connected now), or 1 in the flow's own process."""
    from prefect_dask.task_runners import DaskTaskRunner

    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    if not isinstance(runner, DaskTaskRunner):
        return 1
    threads: dict[str, int] = runner.client.nthreads()  # type: ignore[no-untyped-call]
    return max(1, sum(threads.values()))


def shares(sizes: list[int], slots: int) -> list[list[int]]:
    """The batches (their numbers of sources) dealt into at most ``slots`` shares of about
    equal size, largest batch first to the smallest share; each share in batch order.

    A share is one task: Prefect's engine costs a worker about 0.3 s of its core per task
    (the task's settings and API client built anew, its states sent) and the flow's
    process about 0.17 s to submit it, so 40 batches as 40 tasks cost more than the
    imbalance of one task per worker, whose shares differ by at most a batch. Cached
    batches weigh as much as others: a run that extracts little is short anyway.
    """
    heap = [(0, slot) for slot in range(min(slots, len(sizes)))]
    out: list[list[int]] = [[] for _ in heap]
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        load, slot = heapq.heappop(heap)
        out[slot].append(index)
        heapq.heappush(heap, (load + sizes[index], slot))
    return [sorted(share) for share in out]


@contextmanager
def local_cluster(n_workers: int | None, tasks_module: str) -> Iterator[str]:
    """A local Dask cluster (its scheduler's address), started while the API starts.

    Its workers import ``tasks_module`` as they start, not at their first task, so
    that the imports, seconds of each worker's core, also overlap the API's start.
    ``n_workers`` None leaves the number to Dask. No worker outlives the block.
    """
    import dask
    from distributed import LocalCluster

    server = _prefect_api()
    with beside(lambda: _start(server)) as starting:
        options: dict[str, Any] = {
            "processes": True,
            "host": "127.0.0.1",  # loopback only
            "dashboard_address": ":0",  # a free port rather than one a parallel run may hold
            "preload": [tasks_module],
            "silence_logs": False,  # the levels of Dask's config: csedata.cli sets them
        }
        if n_workers is not None:
            options |= {"n_workers": n_workers, "threads_per_worker": 1}
        try:
            with dask.config.set(WORKER_CONFIG):
                cluster = LocalCluster(**options)  # type: ignore[no-untyped-call]
        except Exception as exc:
            raise CsedataError("local Dask cluster", f"did not start: {_cause(exc)}") from exc
        with cluster:
            starting.result()
            yield cluster.scheduler_address


def _prefect_api() -> SubprocessASGIServer | None:
    """Export the flow's API address for the workers; the server to start for it, if any.

    The address is PREFECT_API_URL's if set; else that of Prefect's ephemeral server
    on a port chosen now. The server is Prefect's process singleton, the one its
    clients fall back to without PREFECT_API_URL: the flow's client finds it.
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    api: str | None = PREFECT_API_URL.value()
    server = None
    if not api:
        server = SubprocessASGIServer()
        if server.port is None:  # one already running (an earlier run here) keeps its port
            server.port = server.find_available_port()
        api = server.api_url
    os.environ["PREFECT_API_URL"] = api
    return server


def _start(server: SubprocessASGIServer | None) -> None:
    """Start the ephemeral API (None: the API runs already); an error if it is not where
    the workers look for it.

    Another program can take the port before the server listens on it: Prefect then
    moves to another port, or its health check reaches that program and fails.
    """
    if server is None:
        return
    port = server.port
    api = server.api_url
    try:
        server.start()
        moved = server.port != port
    except Exception as exc:
        server.stop()
        if port is None or server.is_port_available(port):
            raise CsedataError(api, f"Prefect's API did not start: {_cause(exc)}") from exc
        moved = True
    if moved:
        server.stop()
        raise CsedataError(
            api, f"port {port} was taken before Prefect's API could listen on it; run again"
        )


def _cause(exc: BaseException) -> str:
    """The first line of the innermost cause: "Nanny failed to start" says less."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
