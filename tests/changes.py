"""How tests change the real tables and keep them valid: a release is written only
from tables every check has passed (csedata.validation.Validated)."""

from __future__ import annotations

import pandas as pd

from csedata import pipeline

SMARTPHONE = "ussc-2021-production/method-of-production/smartphone-or-tablet/count"
SMARTPHONE_SHARE = SMARTPHONE.removesuffix("/count") + "/percent"
PRODUCTION_CASES = 512  # the cases the smartphone count is a part of
Frames = dict[str, pd.DataFrame]


def recount(frames: Frames, count: float) -> Frames:
    """Another smartphone count, with its share to match and the tables rebuilt."""
    obs = frames["observations"]
    obs.loc[obs["observation_id"] == SMARTPHONE, "value"] = count
    share = round(count / PRODUCTION_CASES * 100, 1)
    obs.loc[obs["observation_id"] == SMARTPHONE_SHARE, "value"] = share
    return rederive(frames)


def rederive(frames: Frames) -> Frames:
    """The tables built from the observations, again after a test changed them (the
    statistics found to disagree stay so)."""
    stats = frames["statistics"]
    disputed = set(stats.loc[~stats["agree"], "statistic_id"])
    frames.update(pipeline.derived_tables(frames["observations"], disputed))
    return frames
