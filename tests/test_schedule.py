"""`csedata serve`: scheduled runs really fire, on the local Prefect server it starts.

One test, about a minute: it waits for two runs of a schedule that fires every
20 seconds (Prefect's cron takes seconds as an optional sixth field).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from localsite import Site, mirror, tree
from typer.testing import CliRunner

from csedata.cli import app
from csedata.registry import load_registry
from csedata.serve import SERVER_HOME, free_port

CRON = "* * * * * */20"
DEADLINE = 170.0  # seconds: server start, then two runs


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def _post(api: str, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(f"{api}{path}", json=body, timeout=10)
    response.raise_for_status()
    result: list[dict[str, Any]] = response.json()
    return result


def _runs(api: str) -> list[dict[str, Any]]:
    return _post(api, "/flow_runs/filter", {"sort": "EXPECTED_START_TIME_ASC"})


def _summary(api: str, run_id: str) -> str:
    artifacts = _post(
        api,
        "/artifacts/filter",
        {"artifacts": {"flow_run_id": {"any_": [run_id]}, "key": {"any_": ["csedata-run"]}}},
    )
    assert len(artifacts) == 1
    description: str = artifacts[0]["description"]
    return description


def test_serve_runs_on_schedule_and_stops_its_server(
    project: Path, site: Site, tmp_path: Path
) -> None:
    mirror(project, site)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "csedata", "serve", "--root", str(project)]
    started = time.monotonic()
    with open(log, "wb") as out:
        serve = subprocess.Popen(
            [*command, "--cron", CRON, "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        first_done: dict[str, str] | None = None
        completed: list[dict[str, Any]] = []
        while len(completed) < 2:
            assert time.monotonic() - started < DEADLINE, log.read_text()[-3000:]
            assert serve.poll() is None, log.read_text()[-3000:]
            time.sleep(2)
            try:
                runs = _runs(api)
            except httpx.TransportError:
                continue  # the server is still starting
            states = [r["state_type"] for r in runs]
            assert not {"FAILED", "CRASHED"} & set(states), log.read_text()[-3000:]
            completed = [r for r in runs if r["state_type"] == "COMPLETED"]
            if completed and first_done is None:
                first_done = tree(project / "processed")
        deployment = httpx.get(f"{api}/deployments/name/csedata-release/scheduled").json()
        summaries = [_summary(api, r["id"]) for r in completed[:2]]
        tasks = _post(
            api, "/task_runs/filter", {"flow_runs": {"id": {"any_": [completed[1]["id"]]}}}
        )
    finally:
        serve.send_signal(signal.SIGINT)  # Ctrl-C
        serve.wait(90)
    elapsed = time.monotonic() - started

    # both runs came from the schedule of the served deployment, one at a time (a run
    # due while another one runs is cancelled)
    assert all(r["auto_scheduled"] for r in completed)
    assert {r["deployment_id"] for r in completed} == {deployment["id"]}
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == [CRON]
    assert deployment["parameters"] == {"root": str(project), "refresh": True}
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"

    # the first run refreshed (nothing new) and wrote the first release; the second,
    # with nothing changed, extracted nothing and wrote nothing
    n = len(load_registry(project))
    assert summaries[0].startswith(
        f"refresh: {n} sources checked: {n} unchanged; wrote release 1.0.0"
    )
    assert summaries[1].startswith(f"refresh: {n} sources checked: {n} not-modified; up to date:")
    assert f"0 sources extracted, {n} from cache" in summaries[1]
    # the real sources hold a warning no one has reviewed: every run's summary says so
    assert all("needs a decision: 1 unreviewed warning" in s for s in summaries)
    assert tree(project / "processed") == first_done

    # the command stopped, and the local server it started went with it
    assert serve.returncode == 0, log.read_text()[-3000:]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{api}/health", timeout=2)

    extract_seconds = sum(t["total_run_time"] for t in tasks if t["name"].startswith("extract-"))
    print(
        f"\nserve test: {elapsed:.0f} s in all; second run {completed[1]['total_run_time']:.1f} s "
        f"in Prefect, of which {extract_seconds:.2f} s in the extract tasks"
    )


def test_bad_schedule_is_one_line(project: Path) -> None:
    done = CliRunner().invoke(app, ["serve", "--root", str(project), "--cron", "every monday"])
    assert done.exit_code == 1
    assert done.stderr == "error: --cron: 'every monday' is not a valid cron expression\n"
    assert not (project / SERVER_HOME).exists()  # nothing started


def test_unreachable_shared_server_is_one_line(project: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api"  # nothing listens there
    done = CliRunner().invoke(app, ["serve", "--root", str(project)], env={"PREFECT_API_URL": api})
    assert done.exit_code == 1
    assert done.stderr.startswith(f"error: PREFECT_API_URL: no Prefect API answers at {api}: ")
    assert done.stderr.count("\n") == 1
