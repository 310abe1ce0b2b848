"""Extraction on a Dask cluster of two local worker processes, end to end through Prefect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from distributed import Client, LocalCluster, get_task_stream

from benchmarks.corpus import generate
from csedata.cli import run_release
from csedata.scaleout import share_ephemeral_api


def test_release_on_a_two_worker_dask_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path / "dask", 40)
    local = tmp_path / "threads"
    shutil.copytree(corpus / "raw", local / "raw")
    shutil.copytree(corpus / "flows", local / "flows")

    # the workers report to this process's Prefect API, as a real cluster's workers
    # would to a shared Prefect server (README: pointing it at a real cluster)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    share_ephemeral_api()
    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
        get_task_stream(client) as stream,
    ):
        on_dask = run_release(corpus, None, batch_size=8, dask_address=cluster.scheduler_address)
    # every batch ran on the cluster, spread over both workers
    assert on_dask["status"] == "written"
    assert on_dask["extracted"] == 40
    assert len(stream.data) >= 3
    assert len({task["worker"] for task in stream.data}) == 2

    # the same release as the default (threads) runner gives, byte for byte
    with_threads = run_release(local, None, batch_size=8)
    tables = sorted(
        p.relative_to(on_dask["path"]) for p in Path(on_dask["path"]).rglob("*.parquet")
    )
    assert len(tables) > 3  # observations, sources, ledger and the printed tables
    for name in tables:
        dask_file = Path(on_dask["path"]) / name
        assert dask_file.read_bytes() == (Path(with_threads["path"]) / name).read_bytes()
