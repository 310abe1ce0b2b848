"""One row per fact: which observations print the same statistic, and which is primary.

Policy for restatements, the same in every source: each printing of a number as a
figure is an observation (a table total, the prose that repeats it, a headline and its
paragraph, a news article quoting the Commission); a paraphrase beside the figure
("nearly half (47.1%)") or a repeated sentence is left out in the ledger as restated.
Observations print the same fact when a spec declares them the same figure (a ``same``
check, in a source's spec or in _cross_source.yaml); every other observation is a fact
of its own. A declaration whose figures disagree still links them: the statistic is
then marked ``agree = False``, as the validation report warns.

The primary observation, whose id and value the statistic takes, is the producer's own
publication where the corpus has it (the source's publisher is the producer), then a
table cell before prose (a table is the fuller record), then the earliest in source
and spec order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csedata.validation.relations import Weighed
from schemas.statistics import SHARED, STATISTICS


def _groups(n: int, linked: list[list[int]]) -> np.ndarray:
    """Each row's group: the smallest position it is linked to, through any chain."""
    group = np.arange(n)

    def top(i: int) -> int:
        while group[i] != i:
            i = int(group[i])
        return i

    for rows in linked:
        tops = sorted({top(r) for r in rows})
        for t in tops[1:]:
            group[t] = tops[0]
    while (group[group] != group).any():  # every row straight to its top, all at once
        group = group[group]
    return group


def link(
    obs: pd.DataFrame, sources: pd.DataFrame, producers: pd.DataFrame, outcomes: list[Weighed]
) -> tuple[pd.DataFrame, set[str]]:
    """The observations with ``statistic_id`` and ``is_primary``, and the statistics whose
    printings disagree.

    ``outcomes`` are the weighed ``same`` declarations (csedata.validation.relations).
    """
    at = pd.Series(np.arange(len(obs)), index=obs.index)
    weighed = [o for o in outcomes if o.status in ("passed", "failed")]
    group = _groups(len(obs), [[int(at[r]) for r in o.rows] for o in weighed])
    publisher = sources.set_index("source_id")["publisher"]
    name = producers.set_index("producer_id")["name"]
    own = obs["source_id"].map(publisher) == obs["producer_id"].map(name)
    rank = pd.DataFrame(
        {
            "group": group,
            "own": ~own.fillna(False).to_numpy(dtype=bool),
            "prose": (obs["form"] != "table").to_numpy(),
            "at": np.arange(len(obs)),
        }
    )
    first = rank.sort_values(["group", "own", "prose", "at"], kind="stable").drop_duplicates(
        "group"
    )
    primary_at = np.empty(len(obs), dtype=np.int64)
    primary_at[first["group"].to_numpy()] = first["at"].to_numpy()
    ids = obs["observation_id"].array
    out = obs.assign(
        statistic_id=ids.take(primary_at[group]),
        is_primary=primary_at[group] == np.arange(len(obs)),
    )
    disputed = {
        str(ids[primary_at[group[int(at[o.rows[0]])]]]) for o in weighed if o.status == "failed"
    }
    return out, disputed


def counts(obs: pd.DataFrame) -> pd.DataFrame:
    """``n_observations`` and ``n_sources`` of the statistics that a second observation
    names, by statistic_id (most facts are printed once: a million observations are not
    grouped to find ones)."""
    again = obs.loc[~obs["is_primary"].to_numpy(dtype=bool), "statistic_id"].unique()
    printed = obs[obs["statistic_id"].isin(again)]
    return printed.groupby("statistic_id").agg(
        n_observations=("observation_id", "size"), n_sources=("source_id", "nunique")
    )


def table(obs: pd.DataFrame, disputed: set[str], known: pd.DataFrame | None = None) -> pd.DataFrame:
    """statistics.parquet from observations that carry their statistic (``link``); the
    ``known`` counts (``counts`` of the statistics linked across parts) replace those these
    rows alone give."""
    primary = obs["is_primary"].to_numpy(dtype=bool)
    rows = obs.loc[primary, ["statistic_id", *SHARED]].reset_index(drop=True)
    rows["n_observations"], rows["n_sources"] = 1, 1
    ids = rows["statistic_id"]
    found = counts(obs)
    if known is not None and len(known):
        found = pd.concat([found[~found.index.isin(known.index)], known])
    if len(found):
        hit = ids.isin(found.index).to_numpy()
        for column in ("n_observations", "n_sources"):
            rows.loc[hit, column] = ids[hit].map(found[column]).to_numpy()
    rows["agree"] = ~ids.isin(list(disputed))
    return rows[list(STATISTICS.columns)]
