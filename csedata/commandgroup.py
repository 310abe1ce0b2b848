"""The group that holds csedata's commands: usage errors in one line, help that wraps.

A command line used wrongly (an unknown option or command, a missing argument) is
answered in one line, like every other error, and exit code 2: typer would draw
click's usage error as a boxed panel of five lines; the line keeps click's message
with its "Did you mean" suggestion and says where help is. Docstrings break their
lines for the source; typer would show those breaks mid-sentence in the list of
commands and in a command's paragraphs, so help is reflowed to whole paragraphs
(one that starts with \\b keeps its lines, as in click).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer._click import Context
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup


def one_line(error: UsageError) -> str:
    """'error: No such option: --x (./run release --help lists the options)'."""
    message = " ".join(error.format_message().split())
    if error.ctx is None:
        return f"error: {message}"
    group = isinstance(error.ctx.command, TyperGroup)
    lists = "commands and options" if group else "options"
    return f"error: {message} ({error.ctx.command_path} --help lists the {lists})"


@contextmanager
def _usage_in_one_line() -> Iterator[None]:
    try:
        yield
    except NoArgsIsHelpError:  # a bare group shows its help, as asked
        raise
    except UsageError as exc:
        typer.echo(one_line(exc), err=True)
        raise typer.Exit(exc.exit_code) from None


def reflow(text: str | None) -> str | None:
    """Each paragraph on one line, for the terminal to wrap; \\b paragraphs as they are."""
    if text is None:
        return None
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


class CommandGroup(TyperGroup):
    """The command group: its own and its commands' usage errors are one line, and their
    help is reflowed."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in [self, *self.commands.values()]:
            command.help = reflow(command.help)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with _usage_in_one_line():  # the group's own options: ./run --bogus
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with _usage_in_one_line():  # a command's name and options: ./run release --bogus
            return super().invoke(ctx)
