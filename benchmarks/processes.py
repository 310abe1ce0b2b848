"""CPU time of a run's processes, sampled while it runs: the flow's own, Prefect's API
server and each Dask worker, so that ``./run bench`` can say which of them a stage's
time went to (CPU seconds stand when other jobs share the cores; wall times do not).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil

INTERVAL = 0.2  # seconds between samples: a process that ends loses at most this much


def _role(process: psutil.Process) -> str:
    """What a child of the flow's process is, by its command line."""
    command = " ".join(process.cmdline())
    if "uvicorn" in command:
        return "api"
    if "spawn_main" in command:  # a local Dask cluster's worker, started by its nanny
        return "workers"
    return "other"


class Sampler:
    """Samples, every INTERVAL, the CPU seconds each role's processes have used so far."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, dict[str, float]]] = []
        self._roles: dict[int, str] = {}
        self._last: dict[int, float] = {}  # an ended process keeps its last reading
        self._stop = threading.Event()

    def _sample(self, me: psutil.Process) -> None:
        for child in me.children(recursive=True):
            try:
                if child.pid not in self._roles:
                    self._roles[child.pid] = _role(child)
                times = child.cpu_times()
                self._last[child.pid] = times.user + times.system
            except psutil.Error:  # ended between the listing and the reading
                continue
        mine = me.cpu_times()
        totals = {"flow": mine.user + mine.system}
        for pid, cpu in self._last.items():
            role = self._roles[pid]
            totals[role] = totals.get(role, 0.0) + cpu
        self.samples.append((time.time(), totals))

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(INTERVAL):
            self._sample(me)
        self._sample(me)

    def at(self, when: float) -> dict[str, float]:
        """Each role's CPU seconds by the last sample at or before ``when`` (epoch seconds)."""
        before = [totals for at, totals in self.samples if at <= when]
        return before[-1] if before else {}

    def between(self, start: float, end: float) -> dict[str, float]:
        """Each role's CPU seconds from ``start`` to ``end``."""
        first, last = self.at(start), self.at(end)
        return {role: last[role] - first.get(role, 0.0) for role in last}

    def workers(self) -> int:
        return sum(1 for role in self._roles.values() if role == "workers")


@contextmanager
def sampled() -> Iterator[Sampler]:
    """Sample this process and its children on a thread until the block ends."""
    sampler = Sampler()
    thread = threading.Thread(target=sampler.run, name="cpu-sampler", daemon=True)
    thread.start()
    try:
        yield sampler
    finally:
        sampler.stop()
        thread.join()
