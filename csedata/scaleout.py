"""Run the extraction batches on a Dask cluster, through Prefect's DaskTaskRunner.

With an address, the flow connects to a running cluster (its workers need this
package installed and the project folder at the same path, e.g. on a shared
file system); without one, DaskTaskRunner starts a local cluster of worker
processes on this machine for the length of the run.
"""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner
from prefect_dask.task_runners import DaskTaskRunner


def dask_task_runner(address: str | None) -> TaskRunner[Any]:
    if address:
        return DaskTaskRunner(address=address)
    # loopback only, and no dashboard port that a parallel run could already hold
    return DaskTaskRunner(
        cluster_kwargs={"processes": True, "host": "127.0.0.1", "dashboard_address": None}
    )
