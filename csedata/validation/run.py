"""Run every check over the assembled tables and build the validation report.

The checks: the pandera schemas of the released tables (each of their checks
listed, passed or not), the references between them, the arithmetic of
csedata.validation.arithmetic, and the relations the specs declare
(csedata.validation.relations). A source's spec may list, under
``inconsistencies:``, failures a reviewer traced to the source itself: those are
warnings, everything else that fails is an error, and a listed inconsistency that
no longer occurs is an error too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from csedata.errors import CsedataError
from csedata.report import CheckResult, Report
from csedata.spec import Declarations, load_cross_source
from csedata.validation import relations
from csedata.validation.parts import Validation
from csedata.validation.schema import well_formed
from csedata.validation.stored import SPLIT


def crossed(root: Path, obs: pd.DataFrame) -> pd.DataFrame:
    """The observations of the sources flows/specs/_cross_source.yaml names: what its
    relations are weighed on (none if the table lacks the columns to find them)."""
    if not well_formed({"observations": obs}):
        return obs
    named = relations.sources_named([r for r in load_cross_source(root).checks])
    return obs[obs["source_id"].isin(sorted(named))]


def build_report(
    root: Path, frames: Mapping[str, pd.DataFrame], declarations: Mapping[str, Declarations]
) -> Report:
    """Every check over whole tables (one part, csedata.validation.parts) and what their
    sources declare (see pipeline.declarations: a source not in ``declarations`` declares
    nothing); raises only for a declaration naming a table check or an unreadable
    cross-source file."""
    small = {name: df for name, df in frames.items() if name not in SPLIT}
    validation = Validation(
        root, list(frames), small, declarations, crossed(root, frames["observations"])
    )
    part = {name: df for name, df in frames.items() if name in SPLIT}
    validation.part(part, [str(s) for s in frames["sources"]["source_id"]])
    return validation.report()


def error_lines(results: list[CheckResult]) -> list[str]:
    """Each error listed in ``results``, one line: check, where, what."""
    return [
        f"{check.name}: {failure.where}: {failure.message}"
        for check in results
        for failure in check.failures
        if failure.severity == "error"
    ]


def first_error(report: Report, report_file: Path | None = None) -> CsedataError | None:
    """The first error as a one-line CsedataError naming the file, table, row and check,
    and where the report with the others is (``report_file``, when it was written)."""
    errors = report.failures("error")
    if not errors:
        return None
    check, failure = errors[0]
    source = check.source_id or (failure.quotes[0].source_id if failure.quotes else None)
    where = f"raw/{report.sources[source]} ({source})" if source in report.sources else "validation"
    at = f" at char {failure.quotes[0].char_start}" if failure.quotes else ""
    more = report.summary.errors - 1
    return CsedataError(
        where,
        f"{failure.where}{at}: check {check.name} failed: {failure.message}"
        + (
            f" (and {more} more {'error' if more == 1 else 'errors'}; "
            f"see {report_file or 'the report'})"
            if more
            else ""
        ),
    )


def require_valid(report: Report, report_file: Path | None = None) -> None:
    error = first_error(report, report_file)
    if error is not None:
        raise error
