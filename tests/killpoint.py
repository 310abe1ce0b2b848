"""Stop a real process at its Nth file-system step under one folder: SIGKILL or pause.

Python's audit hooks report every open for writing, mkdir, rename or replace,
chmod and removal a process makes, before it happens. Counting those under a
folder gives numbered, repeatable kill points with no hook inside csedata.

Run as a script (ROOT is a project folder, FRAMES pickled csedata.validation.Validated):

    killpoint.py sweep BASE FRAMES OUT      every kill point of publish.publish
    killpoint.py publish ROOT FRAMES [DIR]  publish once; with DIR, pause holding the lock
    killpoint.py cli ROOT EVENT N ARGS...   the csedata command, SIGKILLed at its Nth EVENT

The sweep copies BASE to OUT/kill-NNN for N = 1, 2, ..., forks a child that
publishes there and kills itself at step N, and stops at the first N the child
survives, printing one JSON line per run. The parent imports csedata once and
forks (a fresh interpreter per kill point costs seconds); each child is a real
process killed by a real SIGKILL.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WRITE_EVENTS = {
    "os.mkdir",
    "tempfile.mkdtemp",
    "os.rename",  # os.replace too
    "os.remove",
    "os.rmdir",
    "os.chmod",
    "shutil.rmtree",
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _written(event: str, args: tuple[Any, ...]) -> str | None:
    """The path a file-system event changes, or None if it changes nothing."""
    if event == "open":
        path, mode, flags = args
        writing = any(c in mode for c in "wax+") if isinstance(mode, str) else flags & WRITE_FLAGS
        if not writing or isinstance(path, int):
            return None
    elif event in WRITE_EVENTS:
        path = args[0]
    else:
        return None
    return os.path.abspath(os.fsdecode(path))


def kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def pause_until_go(signals: Path) -> Callable[[], None]:
    """An action that says 'paused' in ``signals`` and waits (two minutes at most) for 'go'."""

    def pause() -> None:
        (signals / "paused").touch()
        deadline = time.monotonic() + 120
        while not (signals / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    return pause


def install(
    at: int, under: Path, action: Callable[[], None] = kill_self, event: str | None = None
) -> None:
    """Run ``action`` just before this process's ``at``-th changing step under ``under``
    (counting only ``event`` steps, if given, e.g. "os.rename")."""
    prefix = str(under.resolve())
    seen = 0

    def hook(name: str, args: tuple[Any, ...]) -> None:
        nonlocal seen
        path = _written(name, args)
        if path is None or not path.startswith(prefix) or (event and name != event):
            return
        seen += 1
        if seen == at:
            action()

    sys.addaudithook(hook)


def _child(root: Path, frames: Any, at: int) -> None:
    from csedata import publish

    install(at, root / "processed")
    try:
        publish.publish(root, frames, None)
    except BaseException as exc:  # report, never fall back into the parent's loop
        print(f"child at {at}: {exc!r}", file=sys.stderr)
        os._exit(1)
    os._exit(0)


def sweep(base: Path, frames_file: Path, out: Path, limit: int = 500) -> None:
    import csedata.publish  # noqa: F401  (imported once, before forking)

    frames = pickle.loads(frames_file.read_bytes())
    for at in range(1, limit + 1):
        root = out / f"kill-{at:03d}"
        shutil.copytree(base, root)
        pid = os.fork()
        if pid == 0:
            _child(root, frames, at)
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        print(json.dumps({"at": at, "root": str(root), "killed": killed, "exit": code}))
        if not killed:
            return
    raise SystemExit(f"publish still running after {limit} kill points")


def publish_once(root: Path, frames_file: Path, signals: Path | None) -> None:
    """One publish; with ``signals``, pause once the lock is held (at the staging mkdtemp)."""
    from csedata import publish
    from csedata.errors import CsedataError

    if signals is not None:
        install(1, root / "processed", pause_until_go(signals), event="tempfile.mkdtemp")
    try:
        outcome = publish.publish(root, pickle.loads(frames_file.read_bytes()), None)
    except CsedataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"{outcome.status} {outcome.version}")


def cli(root: Path, event: str, at: int, args: list[str]) -> None:
    from csedata.cli import app

    install(at, root / "processed", event=event)
    app(args)


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "sweep":
        sweep(Path(rest[0]), Path(rest[1]), Path(rest[2]))
    elif mode == "publish":
        publish_once(Path(rest[0]), Path(rest[1]), Path(rest[2]) if len(rest) > 2 else None)
    else:
        cli(Path(rest[0]), rest[1], int(rest[2]), rest[3:])
