"""A published release's tables read back a part at a time, and checked as the build checks.

verify re-runs the tables' own checks of a release (csedata.validation.parts without
the checks of what the figures say, which need the specs of the code that built it) on
parts read from its Parquet files a record batch at a time: the small tables whole, the
SPLIT tables cut on source boundaries into parts of at least PART_ROWS observations,
the sources taken in the sources table's order. A row goes with its source: observations,
ledger and tables by source_id, a statistic with its primary observation (whose id it
is: found by the source the id begins with, or, for an id that does not begin with its
observation's source, by the id); a row that names no source of the release stays with
the row before it, whose part checks it (and names what is wrong).

The build writes each source's rows together, in that order, so each table is read once,
front to back. A release whose rows lie otherwise verifies the same: rows read ahead of
their part are held until it comes (memory then follows the disorder, not the part).
What spans parts is checked on keys alone, as in the build: an id's uniqueness (its
column read back a part at a time: ``column``) and the statistics a part's observations
name in another part (``parts`` gives them with the part).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow

from csedata import frames, memory, parquet
from csedata.report import Report
from csedata.validation import stored
from csedata.validation.parts import Validation
from csedata.validation.stored import SPLIT

# the column that names each row's source (a statistic's id begins with it)
_SOURCE = {name: "statistic_id" if name == "statistics" else "source_id" for name in SPLIT}

# a part's SPLIT tables, its sources, and the statistics its observations name elsewhere
ReleasedPart = tuple[dict[str, pd.DataFrame], list[str], pd.Series]


def _sources(name: str, batch: pyarrow.RecordBatch) -> pl.Series:
    """The source each row of a batch names (null where it names none)."""
    column = _SOURCE[name]
    if column not in batch.schema.names:
        return pl.repeat(None, batch.num_rows, dtype=pl.String, eager=True)
    keys = pl.Series(batch.column(column)).cast(pl.String, strict=False)
    if name == "statistics":
        keys = keys.str.split_exact("/", 1).struct.field("field_0")
    return keys


def _counts(path: Path) -> Counter[str | None]:
    """Observations per source, their source column alone read."""
    counts: Counter[str | None] = Counter()
    if _SOURCE["observations"] in parquet.read_schema(path).names:
        for batch in parquet.read_batches(path, [_SOURCE["observations"]])[1]:
            counts.update(dict(_sources("observations", batch).value_counts().iter_rows()))
    return counts


def _cut(ids: list[str], rows: Mapping[str | None, int]) -> list[list[str]]:
    """Consecutive sources as parts of at least PART_ROWS observations (one at least)."""
    groups: list[list[str]] = []
    group: list[str] = []
    held = 0
    for sid in ids:
        group.append(sid)
        held += rows.get(sid, 0)
        if held >= stored.PART_ROWS:
            groups.append(group)
            group, held = [], 0
    if group or not groups:
        groups.append(group)
    return groups


Routed = Iterator[tuple[pyarrow.RecordBatch, np.ndarray]]


def _looked_up(keys: pl.Series, parts: Mapping[str, int]) -> pl.Series:
    """The part of each key (null for one not in ``parts``), looked up once per distinct
    key: a batch names a few sources."""
    distinct = keys.drop_nulls().unique()
    found = pl.Series([parts.get(k) for k in distinct.to_list()], dtype=pl.Int64)
    return keys.replace_strict(distinct, found, default=None, return_dtype=pl.Int64)


class _Stream:
    """A SPLIT table's rows (its ``columns``), a part at a time, in part order."""

    def __init__(self, name: str, path: Path, columns: list[str] | None, release: Released):
        self.schema, batches = parquet.read_batches(path, columns)
        self.batches = release.route(name, batches)
        self.wanted = release.wanted[name]
        self.held: dict[int, list[pyarrow.RecordBatch]] = {}

    def next(self, part: int) -> pyarrow.Table:
        held = self.held.setdefault(part, [])
        while sum(b.num_rows for b in held) < self.wanted[part]:
            batch, at = next(self.batches, (None, None))
            if batch is None or at is None:
                break
            for p in np.unique(at):  # a batch of one part (the rule) is taken as it is
                mine = at == p
                rows = batch if mine.all() else batch.filter(pyarrow.array(mine))
                self.held.setdefault(int(p), []).append(rows)
        return pyarrow.Table.from_batches(self.held.pop(part), self.schema)


class Released:
    """A release's tables (``tables``: name -> Parquet file, in the release's order): the
    small ones whole, the SPLIT ones a part at a time (csedata.validation.stored.Keys)."""

    def __init__(self, tables: Mapping[str, Path]) -> None:
        self.order = list(tables)
        self.paths = {name: path for name, path in tables.items() if name in SPLIT}
        self.small = {n: parquet.read_frame(p) for n, p in tables.items() if n not in SPLIT}
        sources = self.small.get("sources", pd.DataFrame())
        ids = [str(s) for s in sources["source_id"]] if "source_id" in sources else []
        obs = self.paths.get("observations")
        self.groups = _cut(ids, _counts(obs) if obs else Counter())
        self.part_of = {sid: at for at, group in enumerate(self.groups) for sid in group}
        self.count = len(self.groups)
        self.moved = self._moved(obs) if obs else {}
        self.wanted = {name: self._wanted(name, path) for name, path in self.paths.items()}

    def _moved(self, path: Path) -> dict[str, int]:
        """The part of each observation whose id does not begin with its source, by id:
        a statistic goes by its id to its primary observation's part, and the build
        holds to no rule for an id (a test adds one)."""
        columns = ["source_id", "observation_id"]
        if not set(columns) <= set(parquet.read_schema(path).names):
            return {}
        moved: dict[str, int] = {}
        for batch in parquet.read_batches(path, columns)[1]:
            ids = pl.Series(batch.column("observation_id")).cast(pl.String, strict=False)
            own = self._parts(_sources("observations", batch))
            named = self._parts(ids.str.split_exact("/", 1).struct.field("field_0"))
            off = own.is_not_null() & own.ne_missing(named)
            moved |= dict(zip(ids.filter(off).to_list(), own.filter(off).to_list(), strict=True))
        return moved

    def _parts(self, sources: pl.Series) -> pl.Series:
        """The part of each source named (null for one the release does not hold)."""
        return _looked_up(sources, self.part_of)

    def route(self, name: str, batches: Iterator[pyarrow.RecordBatch]) -> Routed:
        """Each batch with the part of each row: its source's; for a row that names no
        source of the release, that of the row before it (the first part's, if none is)."""
        last = 0
        for batch in batches:
            parts = self._parts(_sources(name, batch))
            if name == "statistics" and self.moved and "statistic_id" in batch.schema.names:
                ids = pl.Series(batch.column("statistic_id")).cast(pl.String, strict=False)
                parts = _looked_up(ids, self.moved).fill_null(parts)
            at = parts.fill_null(strategy="forward").fill_null(last).to_numpy()
            last = int(at[-1]) if len(at) else last
            yield batch, at

    def _wanted(self, name: str, path: Path) -> list[int]:
        """Rows per part, the table's source column alone read (or its first, if none)."""
        names = parquet.read_schema(path).names
        columns = [_SOURCE[name]] if _SOURCE[name] in names else names[:1]
        wanted = np.zeros(self.count, dtype=np.int64)
        for _, at in self.route(name, parquet.read_batches(path, columns)[1]):
            wanted += np.bincount(at, minlength=self.count)
        return [int(n) for n in wanted]

    def parts(self) -> Iterator[ReleasedPart]:
        streams = {name: _Stream(name, path, None, self) for name, path in self.paths.items()}
        for at, ids in enumerate(self.groups):
            part = {name: frames.from_arrow(s.next(at)) for name, s in streams.items()}
            yield part, ids, _named_elsewhere(part)
            del part  # before the next is read

    def column(self, name: str, column: str) -> Iterator[pyarrow.ChunkedArray]:
        """One column of each part, only it (and the rows' sources) read."""
        names = parquet.read_schema(self.paths[name]).names
        if column not in names:
            yield from (pyarrow.chunked_array([], pyarrow.string()) for _ in range(self.count))
            return
        wanted = [c for c in dict.fromkeys([column, _SOURCE[name]]) if c in names]
        stream = _Stream(name, self.paths[name], wanted, self)
        for at in range(self.count):
            yield stream.next(at)[column]


def _named_elsewhere(part: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The statistics the part's observations name that are not among its own: another
    part's, found there on keys alone (csedata.validation.parts)."""
    obs, stats = part.get("observations"), part.get("statistics")
    if obs is None or stats is None or "statistic_id" not in obs or "statistic_id" not in stats:
        return pd.Series([], dtype=object)
    named = obs["statistic_id"].dropna()
    return named[~named.isin(stats["statistic_id"])].drop_duplicates()


def check(release: Path, tables: Mapping[str, Path]) -> Report:
    """The tables' own checks of a release, its SPLIT tables a part at a time, each part
    let go before the next is read."""
    released = Released(tables)
    root = release.parent.parent  # the project's (processed/<version>): no file read there
    validation = Validation(root, released.order, released.small, {}, None)
    named: list[pd.Series] = []
    for part, ids, elsewhere in released.parts():
        validation.part(part, ids, elsewhere)
        named.append(elsewhere)
        del part
        gc.collect()  # pandas' frames sit in reference cycles: a part's, and its Arrow memory
        memory.give_back()
    elsewhere = pd.concat(named, ignore_index=True).drop_duplicates()
    return validation.report(released, elsewhere if len(elsewhere) else None)
