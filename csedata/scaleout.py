"""Where the extraction batches run: in the flow's process, or on a Dask cluster.

Both are Prefect task runners. Extraction is Python-bound, so threads would share
one core: a small run extracts its batches one after another in the flow's
process. A large one (at least LOCAL_CLUSTER_FROM sources to extract, in two or
more batches) goes to a local Dask cluster with a worker process per core,
through prefect-dask's DaskTaskRunner; starting the workers (Python with Prefect
and pandas imported) takes several seconds on a busy 2-core machine, about what
extracting 2,000 sources on one core takes, so smaller runs stay in-process.
Worker processes must report to the flow's Prefect API: a local cluster's
workers inherit its address (share_ephemeral_api), where on their own each would
start an ephemeral API of its own (seconds each). Prefect's ProcessPoolTaskRunner
offers no such hook, hence a local Dask cluster for local parallelism.

``--dask`` sends the batches to a Dask cluster whatever their number: a running
one given its scheduler address (its workers need this package installed and the
project folder at the same path, e.g. on a shared file system), or else a local
one started for the run.
"""

from __future__ import annotations

import os
from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

LOCAL_CLUSTER_FROM = 2_000


def share_ephemeral_api() -> None:
    """Start this process's ephemeral Prefect API now and export its address, so the
    worker processes started after this point use it (they inherit the environment).

    The server is Prefect's own singleton: the flow's client finds the same one.
    """
    if os.environ.get("PREFECT_API_URL"):
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url


def task_runner(to_extract: int, batches: int, dask: bool, address: str | None) -> TaskRunner[Any]:
    """The runner for this much work (sources to extract, in how many batches)."""
    workers = min(batches, os.cpu_count() or 1)
    large = to_extract >= LOCAL_CLUSTER_FROM and workers > 1
    if not (dask or address or large):
        return ThreadPoolTaskRunner(max_workers=1)
    from prefect_dask.task_runners import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    share_ephemeral_api()
    # loopback only, and a free dashboard port rather than one a parallel run may hold
    cluster: dict[str, Any] = {"host": "127.0.0.1", "dashboard_address": ":0", "processes": True}
    if large:
        cluster |= {"n_workers": workers, "threads_per_worker": 1}
    return DaskTaskRunner(cluster_kwargs=cluster)
