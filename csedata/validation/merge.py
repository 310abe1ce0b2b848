"""One report entry per check from the entries of a corpus's parts.

A check that runs on every part (a table's schema, its references) gives an entry per
part under one id: merged, its counts are summed, its failures listed in part order up
to LISTED, and its status and severity are the worst any part found, as one run over
the whole table would give them.
"""

from __future__ import annotations

from csedata.report import LISTED, CheckResult, Failure


def merged(results: list[CheckResult]) -> list[CheckResult]:
    """One entry per id, in the order the ids first occur."""
    by_id: dict[str, list[CheckResult]] = {}
    for r in results:
        by_id.setdefault(r.id, []).append(r)
    return [_one(entries) for entries in by_id.values()]


def _one(entries: list[CheckResult]) -> CheckResult:
    """The entries as one; a failure another part listed already (a reference to the same
    missing value, a missing column) is listed once, as one run lists it."""
    if len(entries) == 1:
        return entries[0]
    seen: set[tuple[str, str, str]] = set()
    failures = []
    for at, entry in enumerate(entries):
        if at:
            failures += [f for f in entry.failures if _said(f) not in seen]
        seen |= {_said(f) for f in entry.failures}
    return with_failures(
        entries[0].model_copy(update={"checked": sum(e.checked for e in entries)}),
        errors=sum(e.errors for e in entries[1:]),
        warnings=sum(e.warnings for e in entries[1:]),
        failures=failures,
    )


def _said(failure: Failure) -> tuple[str, str, str]:
    return failure.severity, failure.where, failure.message


def with_failures(
    result: CheckResult, errors: int, warnings: int, failures: list[Failure]
) -> CheckResult:
    """``result`` with further failures found elsewhere (another part, a check of keys)."""
    errors, warnings = result.errors + errors, result.warnings + warnings
    failed = errors or warnings
    return result.model_copy(
        update={
            "errors": errors,
            "warnings": warnings,
            "failed": errors + warnings,
            "failures": (result.failures + failures)[:LISTED],
            "severity": "error" if errors else "warning" if warnings else result.severity,
            "status": "failed" if failed else result.status,
        }
    )
