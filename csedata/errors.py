"""One exception type for every input problem the user must fix.

Its message is a single line that names the file and the place, so the CLI can
print it as it is and exit non-zero without a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


class CsedataError(Exception):
    """An input problem: a bad raw file, registry entry, spec entry or number."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


def from_os(exc: OSError, where: str | None = None) -> CsedataError:
    """An OSError (disk full, read-only, no permission, timeout) as one line naming its file,
    or ``where`` when the system names none (a failed write to an open file)."""
    name = str(exc.filename) if exc.filename is not None else where or "(no file named)"
    if os.path.isabs(name) and not os.path.relpath(name).startswith(".."):
        name = os.path.relpath(name)
    problem = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
    return CsedataError(name, problem)


@contextmanager
def writing(where: str) -> Iterator[None]:
    """Writes under ``where``: an OSError becomes a CsedataError naming the file or ``where``."""
    try:
        yield
    except OSError as exc:
        raise from_os(exc, where) from exc
