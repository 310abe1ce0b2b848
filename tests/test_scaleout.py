"""Extraction on a Dask cluster of two local worker processes, end to end through Prefect;
the local cluster a run starts beside its Prefect API, and how it fails."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from distributed import Client, LocalCluster, get_task_stream
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_SERVER_DATABASE_CONNECTION_URL, temporary_settings

from benchmarks.corpus import generate
from csedata.cli import run_release
from csedata.errors import CsedataError
from csedata.scaleout import _start, shares


def test_release_on_a_two_worker_dask_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_api: str
) -> None:
    corpus = generate(tmp_path / "dask", 40)
    local = tmp_path / "threads"
    shutil.copytree(corpus / "raw", local / "raw")
    shutil.copytree(corpus / "flows", local / "flows")

    # the workers report to the flow's Prefect API, as a real cluster's workers
    # would to a shared Prefect server (README: pointing it at a real cluster)
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)
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
    # every batch ran on the cluster, in one task per worker (a share of the batches each)
    assert on_dask.release.status == "written"
    assert on_dask.extracted == 40
    assert len(stream.data) == 2
    assert len({task["worker"] for task in stream.data}) == 2

    # the same release as the default (threads) runner gives, byte for byte
    with_threads = run_release(local, None, batch_size=8)
    tables = sorted(
        p.relative_to(on_dask.release.path) for p in on_dask.release.path.rglob("*.parquet")
    )
    assert len(tables) > 3  # observations, sources, ledger and the printed tables
    for name in tables:
        dask_file = on_dask.release.path / name
        assert dask_file.read_bytes() == (with_threads.release.path / name).read_bytes()


@pytest.mark.parametrize(
    "sizes",
    [[250, 14, 500, 28, 300, 480, 60, 500], [5], [3, 9], [100] * 7, [1, 500, 1, 1]],
)
@pytest.mark.parametrize("slots", [1, 2, 3])
def test_shares_deal_every_batch_once_in_order_and_evenly(sizes: list[int], slots: int) -> None:
    dealt = shares(sizes, slots)
    assert len(dealt) == min(slots, len(sizes))
    assert sorted(i for share in dealt for i in share) == list(range(len(sizes)))
    assert all(share == sorted(share) and share for share in dealt)
    loads = [sum(sizes[i] for i in share) for share in dealt]
    assert max(loads) - min(loads) <= max(sizes)


def test_shares_balance_sizes_not_counts() -> None:
    """In order or by turns, these would be 700 and 500 sources."""
    sizes = [400, 300, 200, 100, 100, 100]
    assert [sum(sizes[i] for i in share) for share in shares(sizes, 2)] == [600, 600]


def _group(leader: int) -> list[psutil.Process]:
    """The processes still alive in the process group a command started as its leader."""
    alive = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == leader and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except (psutil.NoSuchProcess, ProcessLookupError):
            pass
    return alive


def _release_on_local_cluster(
    corpus: Path, *options: str, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[psutil.Process]]:
    """``csedata release --dask`` as a user runs it, no PREFECT_API_URL: what it printed,
    and what of it outlived it (its workers and Prefect server are in its process group)."""
    command = [sys.executable, "-m", "csedata", "release", "--root", str(corpus), "--dask"]
    environ = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | env
    run = subprocess.Popen(
        [*command, "--batch-size", "8", *options],
        env=environ,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = run.communicate(timeout=600)
        deadline = time.monotonic() + 30  # workers and server stop as it exits, not after
        while _group(run.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = _group(run.pid)
    finally:
        for process in _group(run.pid):
            process.kill()
    return subprocess.CompletedProcess(run.args, run.returncode, out, err), left


def test_local_cluster_starts_beside_the_api_and_leaves_nothing_running(tmp_path: Path) -> None:
    """One ephemeral API, started with the cluster, serves the flow and both workers."""
    corpus = generate(tmp_path / "corpus", 40)
    done, left = _release_on_local_cluster(corpus, "--verbose")
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "wrote release 1.0.0" in done.stdout
    assert log.count("Starting temporary server on") == 1, log[-3000:]  # not one per worker
    assert "Connecting to an existing Dask cluster at tcp://127.0.0.1:" in log
    assert left == []


def test_a_cluster_that_cannot_start_is_one_line_and_leaves_nothing_running(
    tmp_path: Path,
) -> None:
    corpus = generate(tmp_path / "corpus", 40)
    # Dask's own configuration makes each worker's nanny import a module that is not there
    done, left = _release_on_local_cluster(
        corpus, DASK_DISTRIBUTED__NANNY__PRELOAD='["csedata_no_such_module"]'
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: local Dask cluster: did not start: "
        "ModuleNotFoundError: No module named 'csedata_no_such_module'"
    ]
    assert not (corpus / "processed" / "LATEST").exists()
    assert left == []


@pytest.mark.parametrize("listening", [True, False], ids=["listening", "bound"])
def test_an_api_port_taken_meanwhile_is_one_line_and_stops_the_server(
    tmp_path: Path, listening: bool
) -> None:
    """The workers look for the API on the port chosen for it: taken meanwhile by a
    program that listens (Prefect's health check reaches it and fails) or only binds
    it (Prefect moves to another port), that is an error, and no server is left."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}"  # no other server's
    with (
        socket.socket() as taken,
        temporary_settings({PREFECT_SERVER_DATABASE_CONNECTION_URL: database}),
    ):
        taken.bind(("127.0.0.1", 0))
        if listening:
            taken.listen()
        port = taken.getsockname()[1]
        server = SubprocessASGIServer(port=port)
        with pytest.raises(CsedataError) as raised:
            _start(server)
    assert str(raised.value) == (
        f"http://127.0.0.1:{port}/api: port {port} was taken before Prefect's API could "
        "listen on it; run again"
    )
    assert server.server_process is None and not server.running
