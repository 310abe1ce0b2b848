"""The release holds aggregate statistics only: no name of an individual anywhere in it."""

from __future__ import annotations

import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from csedata import validation
from csedata.report import render
from csedata.spec import Declarations

# Every person the real sources name (defendants, victims' relatives, officials quoted).
NAMES = [
    "Parsons", "Nassar", "Biles", "Osorio", "Blanco", "Shehan", "McInerney",
    "Moran", "Antigone", "Davis", "Bush", "Camille", "Cooper", "Halloran", "Jimenez", "Bulla",
]  # fmt: skip


def test_the_names_are_really_in_the_sources(frames: dict[str, pd.DataFrame]) -> None:
    """Guard for the test below: it must look for names the raw texts do hold."""
    from tests.conftest import REPO

    text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "raw").glob("*.txt"))
    assert all(name in text for name in NAMES)


@pytest.mark.parametrize("table", ["observations", "ledger", "sources"])
def test_no_released_text_names_a_person(frames: dict[str, pd.DataFrame], table: str) -> None:
    df = frames[table]
    for column in df.select_dtypes(include="object").columns:
        values = df[column].dropna().astype(str)
        for name in NAMES:
            assert not values.str.contains(name).any(), f"{table}.{column} names {name}"


def test_the_validation_report_names_no_person(
    frames: dict[str, pd.DataFrame], declarations: dict[str, Declarations]
) -> None:
    from tests.conftest import REPO

    files = render(validation.build_report(REPO, frames, declarations))
    for name, data in files.items():
        # the source text around a quote shows only what the release quotes anyway
        text = (
            pq.read_table(io.BytesIO(data)).to_pandas().to_json()
            if name.endswith(".parquet")
            else data.decode()
        )
        assert not [person for person in NAMES if person in text], name
