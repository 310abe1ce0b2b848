"""The one sequence of a run: registry -> batches -> extract -> assemble -> validate.

``plan`` (registry and batches), ``extract_batches`` and ``check`` (assemble and validate)
are its stages, written here once and called in this order by the release flow
(whose tasks run them), ``csedata validate`` (check_project), the no-change check
(csedata.uptodate, which only plans and keys) and the benchmarks.

Sources are extracted in batches, each cached on its content key (see
csedata.batches): same content, same key, no work. The raw files are still
checked on every run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import pandas as pd
import pyarrow
import pyarrow.ipc
from pyarrow import feather
from pydantic import TypeAdapter

from csedata import frames, memory, parquet, privacy, statistics, validation
from csedata.batches import BATCH_SIZE, batches, cache_entry, cache_key, inputs_digest, is_cached
from csedata.crosslink import Pinned, linked_across
from csedata.extract import Observation as Row
from csedata.extract import extract
from csedata.ledger import ledger
from csedata.prepare.dispatch import prepare
from csedata.prepare.document import Prepared
from csedata.registry import Source, load_registry, select
from csedata.report import Report
from csedata.spec import Declarations, Patterns, SameFigure, Spec, load_patterns, load_spec
from csedata.threads import beside, collector_paused
from csedata.validation import flags, stored
from csedata.validation.relations import weigh_all
from csedata.vocabularies import Vocabularies, load_vocabularies
from schemas import LEDGER, SOURCES, TABLES, frame
from schemas.observations import EXTRACTED

# In every cache entry, even empty: no entry lacks it, as entries written by code that
# did not write it have other keys (the code digest is part of the key: csedata.batches).
DECLARATIONS = "declarations.json"
# by source id, only the sources that declare something (most declare nothing)
_DECLARED = TypeAdapter(dict[str, Declarations])


T = TypeVar("T")


class Timer(Protocol):
    """How a stage is run: the benchmarks time each (a stage timed within another is
    its own, not the other's); everything else just calls it."""

    def __call__(self, stage: str, step: Callable[[], T]) -> T: ...


def untimed(stage: str, step: Callable[[], T]) -> T:
    return step()


@dataclass(frozen=True)
class Batch:
    """Where a batch's observations, ledger and declarations are, and whether they came
    from cache."""

    path: Path
    key: str
    cached: bool
    sources: int


@collector_paused  # a batch's rows are thousands of new objects, none in a cycle
def extract_batch(root: Path, sources: list[Source], timed: Timer = untimed) -> Batch:
    """Extract the sources into one cache entry (one rename: never half-written).

    ``timed`` runs each stage (the benchmarks split extraction's time by stage)."""
    # verified on every run, cached or not
    prepared = timed("prepare", lambda: [prepare(root, source) for source in sources])
    key = cache_key(root, sources)
    target = cache_entry(root, key)
    if is_cached(target):
        return Batch(target, key, True, len(sources))
    checks = (load_patterns(root), load_vocabularies(root))
    observations: list[Row] = []
    tokens: list[Row] = []
    declared: dict[str, Declarations] = {}
    for source, document in zip(sources, prepared, strict=True):
        found, rows, spec, words = _extract_one(root, source, document, checks, timed)
        observations += found
        tokens += rows
        if spec.checks or spec.inconsistencies or words:
            declared[source.source_id] = spec.declarations(words)
    timed("write", lambda: _write_entry(target, observations, tokens, declared))
    return Batch(target, key, False, len(sources))


def _extract_one(
    root: Path,
    source: Source,
    document: Prepared,
    checks: tuple[Patterns, Vocabularies],
    timed: Timer,
) -> tuple[list[Row], list[Row], Spec, list[str]]:
    """One source's observations, ledger rows, spec and case-story words."""
    text, (patterns, vocabularies) = document.text, checks
    spec = timed("spec", lambda: load_spec(root, source.source_id))
    vocabularies.check_spec(spec, f"flows/specs/{source.source_id}.yaml")
    found = timed("extract", lambda: extract(source, spec, text, document.pages))
    rows = timed(
        "ledger", lambda: ledger(source.source_id, source.file, text, spec, patterns, found)
    )
    words = timed("privacy", lambda: privacy.case_story_words(text, spec))
    return found, rows, spec, words


def _write_entry(
    target: Path, observations: list[Row], tokens: list[Row], declared: dict[str, Declarations]
) -> None:
    """The batch's tables as Arrow IPC (a cache entry is read back whole, at memory
    speed), written aside and renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        feather.write_feather(
            parquet.rows_to_arrow(EXTRACTED, observations),
            tmp / "observations.arrow",
            compression="lz4",
        )
        feather.write_feather(
            parquet.rows_to_arrow(LEDGER, tokens), tmp / "ledger.arrow", compression="lz4"
        )
        (tmp / DECLARATIONS).write_bytes(_DECLARED.dump_json(declared))
        os.rename(tmp, target)
    except OSError:
        if not is_cached(target):
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def declarations(parts: list[Path]) -> dict[str, Declarations]:
    """What the batches' sources declare, by source id, as extraction stored it: validation
    takes it from there rather than parse every source's spec again (most of a second at
    10,000 sources). A source that declares nothing is not in it."""
    declared: dict[str, Declarations] = {}
    for part in parts:
        declared |= _DECLARED.validate_json((part / DECLARATIONS).read_bytes())
    return declared


def watchlist(root: Path, parts: list[Path]) -> privacy.Watchlist:
    """The names no file of this build may hold: those listed beside the specs and the
    case-story words extraction found (kept in the batches, so no spec is read again)."""
    found = {sid: d.case_story_words for sid, d in declarations(parts).items()}
    return privacy.watchlist(root, found)


def small_tables(root: Path, sources: list[Source]) -> dict[str, pd.DataFrame]:
    """The release's tables that do not grow with the corpus: sources and vocabularies."""
    found = frame(SOURCES, [s.model_dump(mode="json") for s in sources])
    return {"sources": found, **load_vocabularies(root).frames()}


def order(small: Mapping[str, pd.DataFrame]) -> list[str]:
    """The release's tables in their order."""
    vocabularies = [name for name in small if name != "sources"]
    return ["observations", "sources", "ledger", "tables", "statistics", *vocabularies]


def assemble(root: Path, sources: list[Source], parts: list[Path]) -> dict[str, pd.DataFrame]:
    """The release's tables from the extracted batches as whole frames, in the release's
    order (one part: for tests and small corpora; a release is checked a part at a time)."""
    small = small_tables(root, sources)
    declared = declarations(parts)
    pinned = linked_across(root, parts, declared, small)
    tables = assemble_part([s.source_id for s in sources], parts, declared, small, pinned)
    return {name: tables[name] if name in tables else small[name] for name in order(small)}


def assemble_part(
    ids: list[str],
    parts: list[Path],
    declared: Mapping[str, Declarations],
    small: Mapping[str, pd.DataFrame],
    pinned: Pinned,
) -> dict[str, pd.DataFrame]:
    """A part's tables from its batches (``ids``: its sources, in order): observations
    linked to their statistic (across parts where a cross-source declaration says:
    ``pinned``), ledger, the sources' own tables and the statistics."""

    def read(name: str) -> pd.DataFrame:
        return read_column_by_column([part / f"{name}.arrow" for part in parts])

    # the ledger is read (by Arrow) beside the rest
    with beside(lambda: read("ledger")) as ledger:
        observations = read("observations")
        # a page that may be missing: Arrow's nullable int64 comes to pandas as float
        observations["page"] = observations["page"].astype("Int64")
        local = [sid for sid in ids if sid in declared and sid not in pinned.named]
        same = [(sid, r) for sid in local for r in declared[sid].checks]
        same = [(scope, r) for scope, r in same if isinstance(r, SameFigure)]
        outcomes = weigh_all(observations, same, ids)
        linked, disputed = statistics.link(
            observations, small["sources"], small["producers"], outcomes
        )
        linked = pinned.apply(linked, ids)
        return {
            "observations": linked.assign(flags=flags.empty(len(linked))),  # validation sets
            "ledger": ledger.result(),
            **derived_tables(linked, disputed | pinned.disputed, pinned.counts),
        }


def read_column_by_column(paths: list[Path]) -> pd.DataFrame:
    """The batches' Arrow files as one frame (csedata.frames), read a column at a time from
    the mapped files: Arrow holds one column of the corpus at once, not every batch whole
    (at a million observations, about 80 MB instead of 0.9 GB beside the frame)."""
    names = pyarrow.ipc.open_file(pyarrow.memory_map(str(paths[0]))).schema.names
    columns = {}
    for name in names:
        parts = [feather.read_table(path, columns=[name], memory_map=True) for path in paths]
        columns[name] = frames.from_arrow(pyarrow.concat_tables(parts))[name]
        del parts
    return pd.DataFrame(columns)


def derived_tables(
    observations: pd.DataFrame, disputed: set[str], known: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """The tables built from the observations: the sources' own, and one row per fact
    (``disputed``: the statistics whose printings disagree; ``known``: the counts of the
    statistics linked across parts, see statistics.table)."""
    return {
        "tables": source_tables(observations),
        "statistics": statistics.table(observations, disputed, known),
    }


KEY = ["source_id", "table_id", "category"]


def source_tables(observations: pd.DataFrame) -> pd.DataFrame:
    """The sources' tables in their printed shape: label, n, percent per row, in one frame,
    each row numbered in its table's printed order (the observations keep the spec's)."""
    columns = [*KEY, "table_title", "label", "title", "parent_category", "multi_response"]
    # the keys first, the text of each row once: every text column taken copies its strings
    tables = observations.loc[observations["form"] == "table", [*KEY, "unit", "value"]]
    rows = observations.loc[tables.index[~tables.duplicated(KEY)], columns]
    rows["row"] = rows.groupby(["source_id", "table_id"]).cumcount() + 1
    rows = rows.sort_values(["source_id", "table_id", "row"], kind="stable")
    for unit, column in (("count", "n"), ("percent", "percent")):
        values = tables.loc[tables["unit"] == unit, [*KEY, "value"]]
        rows = rows.merge(values.rename(columns={"value": column}), on=KEY, how="left")
    rows["n"] = rows["n"].round().astype("Int64")  # a count; null where none was printed
    return rows[list(TABLES.columns)].reset_index(drop=True)


def plan(root: Path, sources: list[str] | None, batch_size: int = BATCH_SIZE) -> list[list[Source]]:
    """The registered sources (or those named), cut into extraction batches."""
    registry = select(load_registry(root), sources)
    return [[registry[i] for i in ids] for ids in batches(list(registry), batch_size)]


@dataclass(frozen=True)
class Extracted:
    """Every batch of a run, extracted or found in the cache, and its sources in order."""

    sources: list[Source]
    batches: list[Batch]

    @property
    def parts(self) -> list[Path]:
        return [batch.path for batch in self.batches]

    def inputs(self, lock_sha256: str | None) -> str:
        """What the release is made from (csedata.uptodate records it)."""
        return inputs_digest([batch.key for batch in self.batches], lock_sha256)

    def count(self, cached: bool) -> int:
        """Sources taken from the cache (``cached``) or extracted in this run."""
        return sum(batch.sources for batch in self.batches if batch.cached == cached)


RunBatches = Callable[[Path, list[list[Source]]], list[Batch]]


def extract_here(root: Path, groups: list[list[Source]]) -> list[Batch]:
    """Each batch in turn, in this process (the flow submits them to its task runner)."""
    return [extract_batch(root, group) for group in groups]


def extract_batches(
    root: Path, groups: list[list[Source]], run: RunBatches = extract_here
) -> Extracted:
    """Extract every batch, in this process or as ``run`` runs them."""
    return Extracted([source for group in groups for source in group], run(root, groups))


def part_groups(extracted: Extracted) -> Iterator[tuple[list[str], list[Path]]]:
    """Consecutive batches as parts (of stored.PART_ROWS observations at least): each
    part's source ids and batches."""
    ids: list[str] = []
    paths: list[Path] = []
    rows, at = 0, 0
    for batch in extracted.batches:
        ids += [s.source_id for s in extracted.sources[at : at + batch.sources]]
        paths.append(batch.path)
        at += batch.sources
        rows += pyarrow.ipc.open_file(batch.path / "observations.arrow").count_rows()
        if rows >= stored.PART_ROWS:
            yield ids, paths
            ids, paths, rows = [], [], 0
    if paths:
        yield ids, paths


def check(root: Path, extracted: Extracted, timed: Timer = untimed) -> validation.Checked:
    """Assemble the release's tables a part at a time and run every check over them
    (csedata.validation.check_parts; the statistics linked across parts first:
    csedata.crosslink). Each part's assembling is timed within ``validate``."""
    paths = extracted.parts
    declared = declarations(paths)
    small = timed("assemble", lambda: small_tables(root, extracted.sources))
    pinned = timed("assemble", lambda: linked_across(root, paths, declared, small))

    def assembled(ids: list[str], group: list[Path]) -> dict[str, pd.DataFrame]:
        return timed("assemble", lambda: assemble_part(ids, group, declared, small, pinned))

    def parts() -> Iterator[validation.Part]:
        for ids, group in part_groups(extracted):
            yield assembled(ids, group), ids

    checked = timed(
        "validate",
        lambda: validation.check_parts(
            root, order(small), small, declared, pinned.observations, parts(), pinned.primaries()
        ),
    )
    memory.give_back()
    return checked


def check_project(root: Path, sources: list[str] | None) -> Report:
    """Extract (from the cache where it can) and check, without Prefect and without a release."""
    return check(root, extract_batches(root, plan(root, sources))).report
