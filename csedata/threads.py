"""Work that runs beside Python's own: a few threads, and the cyclic collector paused.

Every thread of csedata starts here. A thread pays only for work that leaves the
GIL: Arrow reading, encoding and compressing, numpy and pandas' joins and sorts,
waiting on the network or on a server starting. Two such jobs on two threads
overlap; Python-bound work (extraction: the tokenizer, regular expressions over
text) shares one core however many threads run it, so it runs in processes
instead (csedata.scaleout). The callers pass only such work, read-only on what
they share, and two or three threads at a time: more add switching, not speed.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def map_in_threads(function: Callable[[T], R], items: Iterable[T], workers: int) -> list[R]:
    """``function`` of every item, in the items' order, on ``workers`` threads.

    A call that fails raises here once every call has ended: none is left running.
    """
    with ThreadPoolExecutor(workers) as pool:
        calls = [pool.submit(function, item) for item in items]
        return [call.result() for call in calls]


@contextmanager
def beside(function: Callable[[], R]) -> Iterator[Future[R]]:
    """Run ``function`` on a thread of its own while the block runs; take ``.result()``
    of what this yields for its value (or its error). Leaving the block waits for it."""
    with ThreadPoolExecutor(1) as pool:
        yield pool.submit(function)


def collector_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with Python's cyclic garbage collector paused.

    A report on ten thousand sources holds some 50,000 results, each a few new
    objects and none in a cycle: the collector, run every 700 allocations, walks
    them again and again (a third of building the report, a half of rendering it).
    Reference counting still frees everything; the collector resumes after.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused
