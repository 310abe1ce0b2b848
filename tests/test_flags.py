"""Each observation carries the ids of the report's warnings that involve it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from csedata.validation import Validated

OTHER = "ussc-2021-production/method-of-production/other/percent"


def test_every_warned_observation_is_flagged(
    frames: dict[str, pd.DataFrame], validate: Callable[[dict[str, pd.DataFrame]], Validated]
) -> None:
    validated = validate(frames)
    obs = validated.tables.frame("observations")
    flagged = obs[obs["flags"].map(len) > 0]
    quoted = {
        q.observation_id
        for _, failure in validated.report.failures("warning")
        for q in failure.quotes
    }
    assert set(flagged["observation_id"]) == quoted
    assert len(quoted) >= validated.report.summary.warnings > 0
    flags = dict(zip(obs["observation_id"], obs["flags"].map(tuple), strict=True))
    assert flags[OTHER] == (
        "table:percent-matches-count:ussc-2021-production:method-of-production/other",
    )
    assert flags["itemp-2021-production/ussc-production/victims-12-or-younger/percent"] == (
        "cross:cross-source:young-victims-itemp-ussc",
    )
    assert all(flags[i] == () for i in set(obs["observation_id"]) - quoted)
