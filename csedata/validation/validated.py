"""Tables that passed validation, as a type: only csedata.validation makes one.

Publishing (csedata.publish) takes a ``Validated``, never bare frames, so the order
of the steps cannot be got wrong: a release is written only from tables every
check has passed. The constructors need a key that only this package holds (a
call without it fails to type-check; one with another key raises). The tables are
those validation wrote (csedata.validation.stored): the large ones as files a part
at a time, the small ones as frames, which nothing in csedata changes after validation.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from csedata import memory
from csedata.report import Report
from csedata.spec import Declarations
from csedata.validation.parts import Validation
from csedata.validation.run import crossed, require_valid
from csedata.validation.stored import SPLIT, Tables

_KEY = object()


@dataclass(frozen=True)
class _Sealed:
    """Tables and the report over them, made only here (the key is this module's)."""

    tables: Tables
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

    def valid(self, report_file: Path | None = None) -> Validated:
        """The tables as Validated; raises the report's first error if any check failed
        (naming ``report_file``, where the report was written)."""
        require_valid(self.report, report_file)
        return Validated(self.tables, self.report, _KEY)


# a part: its SPLIT tables (csedata.validation.stored) and the ids of its sources
Part = tuple[Mapping[str, pd.DataFrame], list[str]]


def check_parts(
    root: Path,
    order: list[str],
    small: Mapping[str, pd.DataFrame],
    declarations: Mapping[str, Declarations],
    crossed: pd.DataFrame,
    parts: Iterable[Part],
    elsewhere: pd.Series | None = None,
) -> Checked:
    """Run every check over a release's tables a part at a time (csedata.validation.parts),
    writing each part's, its observations flagged with the warnings that quote them, and
    letting it go before the next. ``order`` names every table in the release's order,
    ``small`` holds those not in SPLIT, whole; ``crossed`` and ``elsewhere``: see
    csedata.validation.parts."""
    tables = Tables(root, order, small)
    validation = Validation(root, order, small, declarations, crossed)
    for part, source_ids in parts:
        flagged = validation.part(part, source_ids, elsewhere)
        tables.add({**part, "observations": flagged})
        del part, flagged  # before the next part is made
        gc.collect()  # pandas' frames sit in reference cycles: a part's, and its Arrow memory
        memory.give_back()
    return Checked(tables, validation.report(tables, elsewhere), _KEY)


def check(
    root: Path, frames: Mapping[str, pd.DataFrame], declarations: Mapping[str, Declarations]
) -> Checked:
    """Run every check over whole tables (one part), each observation flagged with the
    report's warnings that quote it; ``.valid()`` of the result is the one way to tables
    a release can be written from."""
    part = {name: df for name, df in frames.items() if name in SPLIT}
    small = {name: df for name, df in frames.items() if name not in SPLIT}
    ids = [str(s) for s in frames["sources"]["source_id"]]
    found = crossed(root, frames["observations"])
    return check_parts(root, list(frames), small, declarations, found, [(part, ids)])
