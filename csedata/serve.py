"""Run the release flow on a schedule: a Prefect deployment served by this process.

Prefect's ephemeral API cannot run schedules, so serving needs a real server:
the one PREFECT_API_URL names (a shared server), or else a local one started
here with its own SQLite database under .cache/prefect-server/ and stopped on
exit. One run at a time: the deployment has a concurrency limit of 1, a run that
falls due while another is still running is cancelled rather than queued, and
processed/.lock keeps a release started by hand from overlapping a scheduled one.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import httpx

from csedata.errors import CsedataError
from csedata.registry import load_registry

WEEKLY = "0 6 * * 1"  # Mondays at 06:00 UTC
DEPLOYMENT = "scheduled"
SERVER_HOME = Path(".cache") / "prefect-server"
STARTUP_SECONDS = 180.0


def check_cron(cron: str) -> None:
    """A bad schedule is a one-line error before anything starts."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        raise CsedataError("--cron", f"{cron!r} is not a valid cron expression") from exc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _last_line(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else "(no output)"


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            problem = f"prefect server exited ({server.returncode}): {_last_line(log)}"
            raise CsedataError(str(log), problem)
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise CsedataError(str(log), f"prefect server not healthy after {STARTUP_SECONDS:.0f} s")


def _check_shared(api: str) -> None:
    """The server PREFECT_API_URL names must answer before anything is served."""
    try:
        status = httpx.get(f"{api}/health", timeout=10).status_code
    except httpx.HTTPError as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise CsedataError("PREFECT_API_URL", f"no Prefect API answers at {api}: {reason}") from exc
    if status != 200:
        raise CsedataError("PREFECT_API_URL", f"{api}/health answered HTTP {status}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group (it runs uvicorn in children): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def local_server(root: Path, port: int) -> Iterator[str]:
    """A Prefect server on 127.0.0.1:port with its database under the project; its API URL."""
    home = root / SERVER_HOME
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = home / "server.log"
    command = [sys.executable, "-m", "prefect", "server", "start"]
    with open(log, "ab") as out:
        server = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(url, server, log)
        yield url
    finally:
        _stop(server)


def _serve_deployment(root: Path, cron: str, api: str) -> None:
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.types.entrypoint import EntrypointType

    from flows.release import release_flow

    one_at_a_time = ConcurrencyLimitConfig(
        limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
    )
    with temporary_settings({PREFECT_API_URL: api}):
        release_flow.serve(
            name=DEPLOYMENT,
            cron=cron,
            parameters={"root": str(root), "refresh": True},
            global_limit=one_at_a_time,
            limit=1,
            entrypoint_type=EntrypointType.MODULE_PATH,
            print_starting_message=False,
        )


def serve(root: Path, cron: str, port: int | None) -> None:
    """Serve the scheduled deployment until interrupted (Ctrl-C or SIGTERM)."""
    root = root.resolve()
    check_cron(cron)
    load_registry(root)  # a broken project fails now, not at the first scheduled run
    shared = os.environ.get("PREFECT_API_URL")
    if shared:
        _check_shared(shared)
    server = nullcontext(shared) if shared else local_server(root, port or free_port())
    with server as api:
        os.environ["PREFECT_API_URL"] = api  # the runs' processes inherit it
        print(
            f"serving csedata-release/{DEPLOYMENT} on cron {cron!r} (UTC) for {root}; "
            f"Prefect API {api}{'' if shared else ' (local server)'}; Ctrl-C stops",
            flush=True,
        )
        _serve_deployment(root, cron, api)
