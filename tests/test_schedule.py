"""`csedata serve`: scheduled runs really fire, on the local Prefect server it starts.

One test, about a minute and a half: it waits for three runs of a schedule that fires
every 20 seconds (Prefect's cron takes seconds as an optional sixth field), which
refresh the sources' HTML pages from a local site; one page changes after the first.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from htmlfixtures import CHANGED, as_html, change_value
from localsite import Page, Site, serve_html, tree
from typer.testing import CliRunner

from csedata.cli import app
from csedata.registry import load_registry
from csedata.serve import SERVER_HOME, free_port

CRON = "* * * * * */20"
DEADLINE = 230.0  # seconds: server start, then three runs


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


def _wait_for_runs(
    api: str, serve: subprocess.Popen[bytes], log: Path, on_first: Callable[[], None]
) -> list[dict[str, Any]]:
    """The completed runs, once one wrote release 1.0.1 and another completed after it;
    ``on_first`` is called when the first run has completed."""
    started, first_done = time.monotonic(), False
    while True:
        assert time.monotonic() - started < DEADLINE, log.read_text()[-3000:]
        assert serve.poll() is None, log.read_text()[-3000:]
        time.sleep(2)
        try:
            runs = _runs(api)
        except httpx.TransportError:
            continue  # the server is still starting
        assert not {"FAILED", "CRASHED"} & {r["state_type"] for r in runs}, log.read_text()
        completed = [r for r in runs if r["state_type"] == "COMPLETED"]
        if completed and not first_done:
            on_first()
            first_done = True
        patched = [i for i, r in enumerate(completed) if "1.0.1" in _summary(api, r["id"])]
        if patched and patched[0] < len(completed) - 1:
            return completed


def _each_run_summarized(project: Path, summaries: list[str], first_done: dict[str, str]) -> None:
    """The first run refreshed the HTML pages (nothing new) and wrote the first release;
    a run after the page changed downloaded it as a new snapshot and wrote a patch
    release; the last, with nothing changed, extracted nothing and wrote nothing."""
    n = len(load_registry(project))
    assert summaries[0].startswith(
        f"refresh: {n} sources checked: {n} unchanged; wrote release 1.0.0"
    )
    [patch] = [s for s in summaries if "wrote release 1.0.1" in s]
    assert patch.startswith(f"refresh: {n} sources checked: 1 changed, {n - 1} not-modified;")
    assert "(release 1.0.0 -> 1.0.1;" in patch
    assert summaries[-1].startswith(f"refresh: {n} sources checked: {n} not-modified; up to date:")
    assert f"0 sources extracted, {n} from cache" in summaries[-1]
    assert load_registry(project)[CHANGED].file.startswith(f"snapshots/{CHANGED}/")
    changes = json.loads((project / "processed" / "1.0.1" / "diff.json").read_text())
    assert changes["change"] == "patch"
    # the real sources hold a warning no one has reviewed: every run's summary says so
    assert all("needs a decision: 1 unreviewed warning" in s for s in summaries)
    first = {k: v for k, v in first_done.items() if k.startswith("1.0.0/")}
    assert first and {k: v for k, v in tree(project / "processed").items() if k in first} == first


def test_serve_runs_on_schedule_and_stops_its_server(
    project: Path, site: Site, tmp_path: Path
) -> None:
    pages = as_html(project, site.url(""))
    serve_html(site, pages)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "csedata", "serve", "--root", str(project)]
    first_done: dict[str, str] = {}

    def change_a_statistic() -> None:  # after the first release: the publisher edits a page
        first_done.update(tree(project / "processed"))
        site.pages[f"/{CHANGED}"] = Page(change_value(pages[CHANGED]), "text/html", etag='"2"')

    started = time.monotonic()
    with open(log, "wb") as out:
        serve = subprocess.Popen(
            [*command, "--cron", CRON, "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        completed = _wait_for_runs(api, serve, log, change_a_statistic)
        deployment = httpx.get(f"{api}/deployments/name/csedata-release/scheduled").json()
        summaries = [_summary(api, r["id"]) for r in completed]
        tasks = _post(
            api, "/task_runs/filter", {"flow_runs": {"id": {"any_": [completed[-1]["id"]]}}}
        )
    finally:
        serve.send_signal(signal.SIGINT)  # Ctrl-C
        serve.wait(90)
    elapsed = time.monotonic() - started

    # every run came from the schedule of the served deployment, one at a time (a run
    # due while another one runs is cancelled)
    assert all(r["auto_scheduled"] for r in completed)
    assert {r["deployment_id"] for r in completed} == {deployment["id"]}
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == [CRON]
    assert deployment["parameters"] == {"root": str(project), "refresh": True}
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"

    _each_run_summarized(project, summaries, first_done)

    # the command stopped, and the local server it started went with it
    assert serve.returncode == 0, log.read_text()[-3000:]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{api}/health", timeout=2)

    extract_seconds = sum(t["total_run_time"] for t in tasks if t["name"].startswith("extract-"))
    print(
        f"\nserve test: {elapsed:.0f} s in all; last run {completed[-1]['total_run_time']:.1f} s "
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
