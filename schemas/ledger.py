"""Schema of ledger.parquet: every number token of every source, accounted for."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from schemas.field import Field, table
from schemas.fields import OFFSET, SOURCE_ID
from schemas.terms import LEDGER_STATUSES


def _accounted(df: pd.DataFrame) -> pd.Series:
    """Extracted tokens name an observation; excluded ones a reason; nothing else."""
    extracted = (df["status"] == "extracted") & df["observation_id"].notna() & df["reason"].isna()
    excluded = (df["status"] == "excluded") & df["reason"].notna() & df["observation_id"].isna()
    return extracted | excluded


FIELDS = {
    "source_id": SOURCE_ID,
    "token": Field("string", "The number token as printed (digits or a number word)."),
    "char_start": OFFSET.but(description="Start of the token in the raw text."),
    "char_end": OFFSET.but(description="End (exclusive) of the token."),
    "status": Field("string", "extracted or excluded.", allowed=LEDGER_STATUSES),
    "observation_id": Field("string", "The observation holding it, if extracted.", nullable=True),
    "reason": Field("string", "Why it was left out, if excluded.", nullable=True),
    "note": Field("string", "The reason in words.", nullable=True),
}

LEDGER = table(
    "ledger",
    FIELDS,
    "Coverage ledger: each number token in the sources, extracted or excluded with a reason.",
    checks=[
        pa.Check(
            _accounted,
            name="token_accounted_for",
            error="token neither extracted nor excluded",
            ignore_na=False,  # the check handles nulls itself; ignoring them costs an isna pass
        )
    ],
    unique=["source_id", "char_start"],
)
