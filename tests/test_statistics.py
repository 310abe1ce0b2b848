"""csedata.statistics: one row per fact, each observation linked to it, one primary."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from csedata.errors import CsedataError
from csedata.statistics import _groups

USSC_512 = "ussc-2021-production/sexual-contact-during-production/total/count"


def test_chains_of_links_make_one_group() -> None:
    assert list(_groups(6, [[4, 5], [1, 2], [2, 4]])) == [0, 1, 1, 3, 1, 1]
    assert list(_groups(3, [])) == [0, 1, 2]


def test_the_real_corpus(built_frames: dict[str, pd.DataFrame]) -> None:
    obs, stats = built_frames["observations"], built_frames["statistics"]
    assert len(stats) == obs["statistic_id"].nunique() < len(obs)
    assert (obs.groupby("statistic_id", observed=True)["is_primary"].sum() == 1).all()
    printed = obs[obs["statistic_id"] == USSC_512]
    # the prose, both tables' totals and the news article: the Commission's table is primary
    assert sorted(printed["source_id"].unique()) == [
        "itemp-2021-production",
        "ussc-2021-production",
    ]
    assert printed.loc[printed["is_primary"], "observation_id"].tolist() == [USSC_512]
    row = stats.set_index("statistic_id").loc[USSC_512]
    assert (row["value"], row["n_sources"], row["agree"]) == (512.0, 2, True)
    assert row["n_observations"] == len(printed) >= 3
    # 60% (article) against 61.3% (Commission): declared the same, disputed
    disputed = stats.loc[~stats["agree"], "statistic_id"].tolist()
    assert disputed == ["ussc-2021-production/overview/prepubescent-victims/percent"]
    # 99.4% of non-production offenses is not the 61.3% of production offenses
    both = obs[obs["category"] == "prepubescent-victims"]
    assert both["statistic_id"].nunique() == 2


@pytest.mark.parametrize("change", ["second primary", "unknown statistic"])
def test_validation_refuses_broken_links(
    frames: dict[str, pd.DataFrame],
    validate: Callable[[dict[str, pd.DataFrame]], object],
    change: str,
) -> None:
    obs = frames["observations"].copy()
    other = np.flatnonzero((obs["statistic_id"] == USSC_512) & ~obs["is_primary"])[0]
    if change == "second primary":
        obs.loc[obs.index[other], "is_primary"] = True
        message = "primary_names_its_statistic"
    else:
        obs.loc[obs.index[other], "statistic_id"] = "nowhere"
        message = "statistic_id is in statistics: 'nowhere' is not"
    frames["observations"] = obs
    with pytest.raises(CsedataError, match=message):
        validate(frames)
