"""Freed memory is handed back between stages (csedata.memory)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from csedata import memory


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None,
    reason="malloc_trim is glibc's",
)
def test_malloc_is_trimmed_on_linux() -> None:
    """Without malloc_trim, what numpy frees would stay in malloc's heap for the whole build."""
    assert memory.TRIM is not None
    memory.give_back()
