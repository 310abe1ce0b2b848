"""Schema of ledger.parquet: every number token of every source, accounted for."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.dtypes import TEXT


def _accounted(df: pd.DataFrame) -> pd.Series:
    """Extracted tokens name an observation; excluded ones a reason; nothing else."""
    extracted = (df["status"] == "extracted") & df["observation_id"].notna() & df["reason"].isna()
    excluded = (df["status"] == "excluded") & df["reason"].notna() & df["observation_id"].isna()
    return extracted | excluded


LEDGER = pa.DataFrameSchema(
    {
        "source_id": pa.Column(TEXT, description="The raw source."),
        "token": pa.Column(
            TEXT, description="The number token as printed (digits or a number word)."
        ),
        "char_start": pa.Column(
            "int64", pa.Check.ge(0), description="Start of the token in the raw text."
        ),
        "char_end": pa.Column("int64", pa.Check.ge(0), description="End (exclusive) of the token."),
        "status": pa.Column(
            TEXT, pa.Check.isin(["extracted", "excluded"]), description="extracted or excluded."
        ),
        "observation_id": pa.Column(
            TEXT, nullable=True, description="The observation holding it, if extracted."
        ),
        "reason": pa.Column(TEXT, nullable=True, description="Why it was left out, if excluded."),
        "note": pa.Column(TEXT, nullable=True, description="The reason in words."),
    },
    checks=[
        pa.Check(
            _accounted,
            name="token_accounted_for",
            error="token neither extracted nor excluded",
            ignore_na=False,  # the check handles nulls itself; ignoring them costs an isna pass
        )
    ],
    unique=["source_id", "char_start"],
    strict=True,
    ordered=True,
    name="ledger",
    description="Coverage ledger: each number token in the sources, extracted or excluded "
    "with a reason.",
)
