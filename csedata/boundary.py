"""The one place where a command's expected failures become one line on stderr.

Every command runs inside ``guard``: a CsedataError (bad input, named where it
arose) or an OSError (a file that cannot be read or written, a full or read-only
disk, a timeout) is printed as ``error: <file>: <problem>`` with exit code 1; output
whose reader went away (``| head``) ends the command without a line, exit 141.
What was being written is left unpublished by the code that writes it (a release
is staged and moved in one step). The traceback is shown only with ``--verbose``;
any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from csedata.errors import CsedataError, from_os

SIGPIPE_EXIT = 141  # 128 + SIGPIPE, as the shell reports a tool its reader left
P = ParamSpec("P")
R = TypeVar("R")


def guard(command: Callable[P, R]) -> Callable[P, R]:
    """``command`` with every expected failure turned into one line and exit code 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:  # the reader of stdout stopped (`| head`): stop as a Unix tool
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush at exit
            raise typer.Exit(SIGPIPE_EXIT) from None
        except (CsedataError, OSError) as exc:
            if kwargs.get("verbose"):
                traceback.print_exc()
            error = exc if isinstance(exc, CsedataError) else from_os(exc)
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None

    return run
