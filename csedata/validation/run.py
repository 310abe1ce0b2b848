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

from csedata import memory
from csedata.codedigest import code_digest
from csedata.errors import CsedataError
from csedata.report import Chart, CheckResult, Report, summarize
from csedata.spec import CrossSource, Declarations, load_cross_source
from csedata.threads import beside, collector_paused
from csedata.validation import arithmetic, relations
from csedata.validation.arithmetic_results import arithmetic_results
from csedata.validation.charts import share_charts
from csedata.validation.context import in_context
from csedata.validation.references import reference_results
from csedata.validation.relation_results import exclusive_ids, relation_results
from csedata.validation.reviews import Reviews
from csedata.validation.schema import schema_results, well_formed

TITLE = "csedata validation report"


@collector_paused
def build_report(
    root: Path, frames: Mapping[str, pd.DataFrame], declarations: Mapping[str, Declarations]
) -> Report:
    """Every check over the assembled tables and what their sources declare (see
    pipeline.declarations: a source not in ``declarations`` declares nothing); raises only
    for a declaration naming a table check or an unreadable cross-source file."""
    source_ids = [str(s) for s in frames["sources"]["source_id"]]
    specs = {sid: declarations[sid] for sid in source_ids if sid in declarations}
    for sid, spec in specs.items():
        taken = sorted({r.id for r in spec.checks} & arithmetic.NAMES)
        if taken:
            raise CsedataError(
                f"flows/specs/{sid}.yaml", f"checks: id {taken[0]!r} names a table check"
            )
    cross = load_cross_source(root)
    reviews = Reviews(specs, cross.inconsistencies)
    if well_formed(frames):
        results, charts = _every_check(frames, specs, cross, reviews)
    else:  # the other checks read the columns as the schemas declare them: they wait
        results, charts = schema_results(frames), []
    obs = frames["observations"]
    sources = frames["sources"]
    files = dict(zip(sources["source_id"], sources["file"], strict=True))
    return Report(
        title=TITLE,
        code_sha256=code_digest(),
        sources=files,
        inputs=dict(zip(sources["source_id"], sources["sha256"], strict=True)),
        observations=len(obs),
        summary=summarize(results),
        checks=in_context(root, files, obs, results),
        charts=charts,
    )


def _every_check(
    frames: Mapping[str, pd.DataFrame],
    specs: Mapping[str, Declarations],
    cross: CrossSource,
    reviews: Reviews,
) -> tuple[list[CheckResult], list[Chart]]:
    """Every check's result over well-formed tables, and the report's charts."""
    declared = [(sid, r) for sid, spec in specs.items() for r in spec.checks]
    declared += [(relations.CROSS, r) for r in cross.checks]
    obs = frames["observations"]
    source_ids = [str(s) for s in frames["sources"]["source_id"]]
    # the tables' checks first, alone: a unique column's hash table (pandera's unique, in
    # Arrow) is the largest transient of validation, and beside the arithmetic's it made
    # the peak of a run (0.3 GiB more at 10,000 documents)
    results = schema_results(frames) + reference_results(frames)
    memory.give_back()
    # the table-wide arithmetic and the declared relations side by side (read-only)
    prepared = arithmetic.prepare(obs)
    checks = arithmetic.CHECKS
    with beside(lambda: [check.run(obs, prepared) for check in checks]) as runs:
        outcomes = relations.weigh_all(obs, declared, source_ids, prepared)
    results += arithmetic_results(obs, list(zip(checks, runs.result(), strict=True)), reviews)
    results += relation_results(obs, outcomes, reviews)
    results += reviews.results()
    return results, share_charts(obs, exclusive_ids(obs, outcomes), prepared)


def failures(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """Schema and reference errors of released tables, one line each (what verify re-runs).

    The arithmetic checks need the specs of the code that built a release, so
    verify leaves them to the release's own validation report.
    """
    results = schema_results(frames)
    results += reference_results(frames) if well_formed(frames) else []
    return [
        f"{check.name}: {failure.where}: {failure.message}"
        for check in results
        for failure in check.failures
        if failure.severity == "error"
    ]


def first_error(report: Report) -> CsedataError | None:
    """The first error as a one-line CsedataError naming the file, table, row and check."""
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
            f" (and {more} more {'error' if more == 1 else 'errors'}; see the report)"
            if more
            else ""
        ),
    )


def require_valid(report: Report) -> None:
    error = first_error(report)
    if error is not None:
        raise error
