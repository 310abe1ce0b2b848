"""The statistics that _cross_source.yaml links across sources, found before the parts.

A release is assembled and checked a part (a few batches) at a time, and a statistic is
found per part: the observations a source's spec declares the same figure are in its
part. A cross-source ``same`` links observations of sources that may sit in different
parts, so the sources it names (a handful) are linked first, on their rows alone, by the
rule of csedata.statistics; each part then takes their statistic_id and is_primary from
here, and the statistics table their counts. A group that touches one of these sources
holds only their rows (a chain runs through declarations), so the answer is the one a
link of the whole corpus gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc
import pyarrow.ipc
from pyarrow import feather

from csedata import frames, statistics
from csedata.spec import Declarations, SameFigure, load_cross_source
from csedata.validation import flags
from csedata.validation.relations import CROSS, sources_named, weigh_all


@dataclass(frozen=True)
class Pinned:
    """The observations of the ``named`` sources, linked (with empty flags: validation's
    ``crossed``), the counts of their statistics, and those that are disputed."""

    named: set[str]
    observations: pd.DataFrame
    counts: pd.DataFrame
    disputed: set[str]

    def apply(self, linked: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
        """A part's linked observations (its sources: ``ids``), the named sources' rows
        with the statistic found here (their rows are in the same order in both)."""
        mine = [sid for sid in ids if sid in self.named]
        if not mine:
            return linked
        rows = self.observations[self.observations["source_id"].isin(mine)]
        at = np.flatnonzero(linked["source_id"].isin(mine).to_numpy())
        for column in ("statistic_id", "is_primary"):
            values = linked[column].copy()
            values.iloc[at] = rows[column].to_numpy()
            linked[column] = values
        return linked

    def primaries(self) -> pd.Series:
        """The statistics of these sources: a part may name one in another part."""
        obs = self.observations
        primaries: pd.Series = obs.loc[obs["is_primary"].to_numpy(dtype=bool), "statistic_id"]
        return primaries


def _rows_of(parts: list[Path], named: set[str]) -> pd.DataFrame:
    """The observations of the named sources, read only from the batches that hold them."""
    wanted = pyarrow.array(sorted(named), pyarrow.string())
    found = []
    for part in parts:
        path = part / "observations.arrow"
        ids = feather.read_table(path, columns=["source_id"])["source_id"]
        if pc.any(pc.is_in(ids, wanted)).as_py():
            table = feather.read_table(path)
            found.append(table.filter(pc.is_in(table["source_id"], wanted)))
    schema = pyarrow.ipc.open_file(parts[0] / "observations.arrow").schema
    table = pyarrow.concat_tables(found) if found else schema.empty_table()
    obs = frames.from_arrow(table)
    obs["page"] = obs["page"].astype("Int64")
    return obs


def linked_across(
    root: Path,
    parts: list[Path],
    declared: Mapping[str, Declarations],
    small: Mapping[str, pd.DataFrame],
) -> Pinned:
    """Link the sources _cross_source.yaml names, by their own and the cross declarations."""
    declarations = load_cross_source(root).checks
    cross = [r for r in declarations if isinstance(r, SameFigure)]
    ids = [str(s) for s in small["sources"]["source_id"]]
    named = sources_named(declarations) & set(ids)
    obs = _rows_of(parts, named)
    same = [
        (sid, r) for sid in ids if sid in named and sid in declared for r in declared[sid].checks
    ]
    same = [(scope, r) for scope, r in same if isinstance(r, SameFigure)]
    outcomes = weigh_all(obs, same + [(CROSS, r) for r in cross], ids)
    linked, disputed = statistics.link(obs, small["sources"], small["producers"], outcomes)
    linked = linked.assign(flags=flags.empty(len(linked)))
    return Pinned(named, linked, statistics.counts(linked), disputed)
