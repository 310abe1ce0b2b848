"""Every check over a release's tables, given a part at a time, into one report.

A part is a few extraction batches: its observations, ledger, source tables and
statistics (the tables that grow with the corpus), checked beside the whole small
tables (sources, vocabularies). What a source's rows must satisfy is local to the
source and so to its part: the schemas, the references, the arithmetic, the relations
its spec declares. What spans parts is checked on keys alone: the uniqueness of an id
across parts (read back a column at a time from the parts written), and the relations
flows/specs/_cross_source.yaml declares, weighed once on the rows of the sources they
name (``crossed``). Each part's tables are written (csedata.validation.stored) and let
go before the next, so memory follows the part, not the corpus.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import polars as pl

from csedata import memory
from csedata.codedigest import code_digest
from csedata.errors import CsedataError
from csedata.report import LISTED, Chart, CheckResult, Failure, Report, summarize
from csedata.spec import Declarations, load_cross_source
from csedata.threads import beside, collector_paused
from csedata.validation import arithmetic, relations
from csedata.validation.arithmetic_results import arithmetic_results
from csedata.validation.charts import CHARTS, share_charts
from csedata.validation.context import in_context
from csedata.validation.flags import flag
from csedata.validation.merge import merged, with_failures
from csedata.validation.references import joined, reference_results, uses
from csedata.validation.relation_results import exclusive_ids, relation_results
from csedata.validation.reviews import Reviews
from csedata.validation.schema import schema_results, well_formed
from csedata.validation.stored import Keys
from schemas import schema_for

TITLE = "csedata validation report"
_ORDER = {c.name: i for i, c in enumerate(arithmetic.CHECKS)}


class Validation:
    """The checks of one release: ``part`` for each part in corpus order, then ``report``.

    ``order`` is the tables' order in the release, ``small`` the whole small tables,
    ``crossed`` the observations of the sources _cross_source.yaml names (with their
    statistic). Without ``crossed``, only the tables' own checks run (their schemas and
    references: what verify re-runs of a release, csedata.validation.released); the rest
    weighs what the figures say, by the specs of the code that built them.
    """

    def __init__(
        self,
        root: Path,
        order: list[str],
        small: Mapping[str, pd.DataFrame],
        declarations: Mapping[str, Declarations],
        crossed: pd.DataFrame | None,
    ) -> None:
        sources = small["sources"]
        self.files, self.inputs = _by_source(sources, "file"), _by_source(sources, "sha256")
        ids = list(self.files)
        self.specs = {sid: declarations[sid] for sid in ids if sid in declarations}
        for sid, spec in self.specs.items():
            taken = sorted({r.id for r in spec.checks} & arithmetic.NAMES)
            if taken:
                raise CsedataError(
                    f"flows/specs/{sid}.yaml", f"checks: id {taken[0]!r} names a table check"
                )
        cross = load_cross_source(root) if crossed is not None else None
        self.root, self.order, self.small = root, order, dict(small)
        self.reviews = Reviews(self.specs, cross.inconsistencies if cross else [])
        self.sections: dict[str, list[CheckResult]] = {
            k: [] for k in ("schema", "reference", "table", "declared")
        }
        self.charts: list[Chart] = []
        self.used: list[pd.DataFrame] = []
        self.observations, self.first = 0, True
        self.content = crossed is not None
        self.formed = crossed is None or well_formed({"observations": crossed})
        self.cross: list[CheckResult] = []
        self.exclusive: set[str] = set()
        if cross is not None and crossed is not None and self.formed:
            declared = [(relations.CROSS, r) for r in cross.checks]
            outcomes = relations.weigh_all(crossed, declared, ids)
            found = relation_results(crossed, outcomes, self.reviews)
            self.cross = in_context(root, self.files, crossed, found)
            self.exclusive = exclusive_ids(crossed, outcomes)

    @collector_paused
    def part(
        self,
        tables: Mapping[str, pd.DataFrame],
        source_ids: list[str],
        elsewhere: pd.Series | None = None,
    ) -> pd.DataFrame:
        """Check a part (its SPLIT tables; ``source_ids``: its sources; ``elsewhere``: the
        statistics its observations may name in another part) and return its
        observations flagged with the warnings that quote them (as they were, if only the
        tables' own checks run)."""
        frames = {n: tables[n] if n in tables else self.small[n] for n in self.order}
        owners = set(frames) if self.first else set(tables)
        checked = {n: frames[n] for n in frames if n in owners}
        self.first = False
        self.observations += len(frames["observations"])
        formed = well_formed(checked)
        self.formed &= formed
        self.sections["schema"] += schema_results(checked)
        found: list[CheckResult] = []
        if formed:
            memory.give_back()
            found = self._checks(frames, owners, source_ids, elsewhere)
        obs = frames["observations"]
        found = in_context(self.root, self.files, obs, found)
        for result in found:
            self.sections[result.id.split(":")[0]].append(result)
        return flag(obs, found + self.cross) if self.content else obs

    def _checks(
        self,
        frames: dict[str, pd.DataFrame],
        owners: set[str],
        source_ids: list[str],
        elsewhere: pd.Series | None,
    ) -> list[CheckResult]:
        """The checks that read the columns as the schemas declare them."""
        obs = frames["observations"]
        found = reference_results(frames, owners, elsewhere, used=[])
        self.used = joined(self.used, uses(obs))  # checked once, in report
        if not self.content:
            return found
        declared = [
            (sid, r) for sid in source_ids if sid in self.specs for r in self.specs[sid].checks
        ]
        prepared = arithmetic.prepare(obs)
        checks = arithmetic.CHECKS
        with beside(lambda: [check.run(obs, prepared) for check in checks]) as runs:
            outcomes = relations.weigh_all(obs, declared, source_ids, prepared)
        found += arithmetic_results(
            obs, list(zip(checks, runs.result(), strict=True)), self.reviews
        )
        found += relation_results(obs, outcomes, self.reviews)
        if len(self.charts) < CHARTS:
            self.charts += share_charts(
                obs, exclusive_ids(obs, outcomes) | self.exclusive, prepared
            )
        return found

    def report(self, stored: Keys | None = None, elsewhere: pd.Series | None = None) -> Report:
        """The report over every part checked (``stored``: the parts' keys, whose ids are
        checked for repeats across parts, and ``elsewhere`` among their statistics)."""
        results = merged(self.sections["schema"])
        if stored is not None and stored.count > 1:
            results = _unique_across(stored, results)
        if self.formed:
            references = merged(self.sections["reference"])
            references += reference_results(self.small, set(), used=self.used)
            if stored is not None and elsewhere is not None:
                references = _statistics_there(stored, elsewhere, references)
            table = sorted(self.sections["table"], key=lambda r: _ORDER[r.name])
            results += references + table + self.sections["declared"] + self.cross
            results += self.reviews.results()
        return Report(
            title=TITLE,
            code_sha256=code_digest(),
            sources=self.files,
            inputs=self.inputs,
            observations=self.observations,
            summary=summarize(results),
            checks=results,
            charts=self.charts[:CHARTS] if self.formed else [],
        )


def _by_source(sources: pd.DataFrame, column: str) -> dict[str, str]:
    """Each source's ``column`` by its id (none from a sources table without them: its
    schema check names what is missing)."""
    if {"source_id", column} - set(sources.columns):
        return {}
    return dict(zip(sources["source_id"], sources[column], strict=True))


def _unique_across(stored: Keys, results: list[CheckResult]) -> list[CheckResult]:
    """The unique columns of the parted tables, each value in one part only: a repeat
    within a part its own check found; one across parts only the keys show."""
    by_id = {r.id: r for r in results}
    for name in stored.order:
        if name in stored.small:
            continue
        for column in [c for c, spec in schema_for(name).columns.items() if spec.unique]:
            # each part's values as 64-bit hashes (8 bytes a value, not its text); only a
            # repeated hash (a repeat, or a collision) reads the text again
            hashes = pl.concat([pl.Series(c).hash() for c in stored.column(name, column)])
            if hashes.n_unique() == len(hashes):
                continue
            values = [pl.Series("key", c) for c in stored.column(name, column)]
            parted = pl.DataFrame({"key": pl.concat(values), "part": _part_numbers(values)})
            repeated = parted.filter(pl.len().over("key") > 1, pl.len().over(["part", "key"]) == 1)[
                "key"
            ]
            entry = f"schema:{name}:{column}:field_uniqueness"
            if len(repeated) and entry in by_id:
                failures = [
                    Failure(
                        severity="error",
                        where=f"row {value!r}",
                        message=f"Expected: {column} is unique. Found {value!r} (in two parts).",
                        values={"found": str(value)},
                        quotes=[],
                    )
                    for value in repeated.head(LISTED).to_list()
                ]
                by_id[entry] = with_failures(by_id[entry], len(repeated), 0, failures)
    return list(by_id.values())


def _part_numbers(values: list[pl.Series]) -> pl.Series:
    return pl.Series("part", [part for part, v in enumerate(values) for _ in range(len(v))])


def _statistics_there(
    stored: Keys, elsewhere: pd.Series, references: list[CheckResult]
) -> list[CheckResult]:
    """The statistics parts were allowed to name in another part are in one."""
    wanted = pl.DataFrame({"id": sorted(set(elsewhere.astype(str)))}, schema={"id": pl.String})
    for ids in stored.column("statistics", "statistic_id"):  # a part at a time
        wanted = wanted.join(pl.Series("id", ids).to_frame(), on="id", how="anti")
    missing = wanted["id"].to_list()
    entry = "reference:observations:statistic_id"
    if not missing:
        return references
    failures = [
        Failure(
            severity="error",
            where="table observations",
            message=f"statistic_id is in statistics: {value!r} is not",
            values={"found": value},
            quotes=[],
        )
        for value in missing[:LISTED]
    ]
    return [with_failures(r, len(missing), 0, failures) if r.id == entry else r for r in references]
