"""csedata.threads: every thread of the package starts there, none outlives its call, and
the collector is paused only while a report is built."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from csedata.errors import CsedataError
from csedata.threads import beside, collector_paused, map_in_threads


def test_map_in_threads_keeps_the_order_of_the_items() -> None:
    def slow_first(n: int) -> int:
        time.sleep(0.05 if n == 0 else 0)
        return n * n

    assert map_in_threads(slow_first, range(5), 2) == [0, 1, 4, 9, 16]


def test_a_failure_is_raised_once_every_call_has_ended() -> None:
    ended = threading.Event()

    def call(n: int) -> None:
        if n == 0:
            raise ValueError("first call fails")
        time.sleep(0.2)
        ended.set()

    with pytest.raises(ValueError, match="first call fails"):
        map_in_threads(call, [0, 1], 2)
    assert ended.is_set()  # the other call was not left running


def test_beside_runs_while_the_block_runs_and_is_waited_for() -> None:
    started, release = threading.Event(), threading.Event()

    def job() -> str:
        started.set()
        release.wait(5)
        return "done"

    with beside(job) as running:
        assert started.wait(5)  # runs while the block runs
        release.set()
    assert running.done() and running.result() == "done"


def test_the_collector_is_paused_only_while_a_report_is_built() -> None:
    seen: list[bool] = []

    @collector_paused
    def build(fail: bool) -> None:
        seen.append(gc.isenabled())
        if fail:
            raise CsedataError("x", "failed")

    build(False)
    with pytest.raises(CsedataError):
        build(True)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()  # a caller that paused it itself keeps it paused
    try:
        build(False)
        assert not gc.isenabled()
    finally:
        gc.enable()
