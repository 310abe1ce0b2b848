"""A command whose reader stops reading (`csedata verify --all | head -1`) ends as a Unix
tool does: no "error: Broken pipe" line, no traceback, exit 141 (128 + SIGPIPE)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_a_reader_that_stops_reading_ends_the_command_quietly() -> None:
    done = subprocess.Popen(
        [sys.executable, "-m", "csedata", "verify", "--all"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert done.stdout is not None and done.stderr is not None
    done.stdout.close()  # before the first line is written
    stderr = done.stderr.read()
    assert done.wait(timeout=300) == 141, stderr
    assert stderr == ""
