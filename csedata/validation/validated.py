"""Tables that passed validation, as a type: only csedata.validation makes one.

Publishing (csedata.publish) takes a ``Validated``, never bare frames, so the order
of the steps cannot be got wrong: a release is written only from tables every
check has passed. The constructors need a key that only this package holds (a
call without it fails to type-check; one with another key raises). The frames
mapping is read-only; the frames themselves are pandas' and can still be changed
in place, which nothing in csedata does after validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from csedata.report import Report
from csedata.spec import Declarations
from csedata.validation.flags import flag
from csedata.validation.run import build_report, require_valid

_KEY = object()


@dataclass(frozen=True)
class _Sealed:
    """Tables and the report over them, made only here (the key is this module's)."""

    frames: Mapping[str, pd.DataFrame]
    report: Report
    _key: object = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._key is not _KEY:
            raise TypeError(
                f"only csedata.validation makes a {type(self).__name__}: run the checks instead"
            )


class Validated(_Sealed):
    """Tables every check has passed: what a release is written from."""


class Checked(_Sealed):
    """Tables and the report of every check over them, passed or not."""

    def valid(self) -> Validated:
        """The tables as Validated; raises the report's first error if any check failed."""
        require_valid(self.report)
        return Validated(self.frames, self.report, _KEY)


def check(
    root: Path, frames: Mapping[str, pd.DataFrame], declarations: Mapping[str, Declarations]
) -> Checked:
    """Run every check over the tables (see build_report), and set each observation's
    flags from the report's warnings; ``.valid()`` of the result is the one way to tables
    a release can be written from."""
    tables = dict(frames)  # later changes to the caller's dict do not reach it
    report = build_report(root, tables, declarations)
    tables["observations"] = flag(tables["observations"], report)  # the warnings, by row
    return Checked(tables, report, _KEY)
