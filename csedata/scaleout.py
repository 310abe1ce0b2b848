"""Where the extraction batches run: threads, a process per core, or a Dask cluster.

All three are Prefect task runners. Extraction is Python-bound, so threads share
one core; a pool of worker processes, one per core, uses them all but costs each
worker a start (a Python with Prefect and pandas imported: several seconds on a
busy 2-core machine). So the pool is used only when there is enough to extract:
at least PROCESSES_FROM sources (about 10 s of one core) in two or more batches.

With ``--dask`` the batches go to a Dask cluster through prefect-dask's
DaskTaskRunner: a running one given its scheduler address (its workers need this
package installed and the project folder at the same path, e.g. on a shared file
system), or else a local cluster of worker processes started for the run.
"""

from __future__ import annotations

import os
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

PROCESSES_FROM = 2_000


def task_runner(
    to_extract: int, batches: int, dask: bool, address: str | None
) -> TaskRunner[Any] | None:
    """The runner for this much work; None keeps the flow's default (threads)."""
    if dask or address:
        from prefect_dask.task_runners import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        # loopback only, and no dashboard port that a parallel run could already hold
        return DaskTaskRunner(
            cluster_kwargs={"processes": True, "host": "127.0.0.1", "dashboard_address": None}
        )
    workers = min(batches, os.cpu_count() or 1)
    if to_extract < PROCESSES_FROM or workers < 2:
        return None
    return ProcessPoolTaskRunner(max_workers=workers)
