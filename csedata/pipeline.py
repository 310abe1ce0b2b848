"""The plain functions the release flow calls, one per stage.

Sources are extracted in batches, each cached on its content key (see
csedata.batches): same content, same key, no work. The raw files are still
checked on every run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow
from pyarrow import feather
from pydantic import TypeAdapter

from csedata import frames, parquet
from csedata.batches import cache_entry, cache_key, is_cached
from csedata.extract import extract
from csedata.ledger import ledger
from csedata.prepare.dispatch import prepare
from csedata.registry import Source
from csedata.spec import Declarations, load_patterns, load_spec
from schemas import LEDGER, OBSERVATIONS, SOURCES, TABLES, frame

# In every cache entry, even empty: no entry lacks it, as entries written by code that
# did not write it have other keys (the code digest is part of the key: csedata.batches).
DECLARATIONS = "declarations.json"
# by source id, only the sources that declare something (most declare nothing)
_DECLARED = TypeAdapter(dict[str, Declarations])


@dataclass(frozen=True)
class Batch:
    """Where a batch's observations, ledger and declarations are, and whether they came
    from cache."""

    path: Path
    key: str
    cached: bool
    sources: int


def extract_batch(root: Path, sources: list[Source]) -> Batch:
    """Extract the sources into one cache entry (one rename: never half-written)."""
    texts = [prepare(root, source).text for source in sources]  # verified on every run
    key = cache_key(root, sources)
    target = cache_entry(root, key)
    if is_cached(target):
        return Batch(target, key, True, len(sources))
    patterns = load_patterns(root)
    observations, tokens = [], []
    declared: dict[str, Declarations] = {}
    for source, text in zip(sources, texts, strict=True):
        spec = load_spec(root, source.source_id)
        found = extract(source, spec, text)
        tokens += ledger(source.source_id, source.file, text, spec, patterns, found)
        observations += found
        if spec.checks or spec.inconsistencies:
            declared[source.source_id] = spec.declarations()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=target.parent))
    try:
        # Arrow IPC, not Parquet: a cache entry is read back whole, at memory speed
        feather.write_feather(
            parquet.rows_to_arrow(OBSERVATIONS, observations),
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
    return Batch(target, key, False, len(sources))


def declarations(parts: list[Path]) -> dict[str, Declarations]:
    """What the batches' sources declare, by source id, as extraction stored it: validation
    takes it from there rather than parse every source's spec again (most of a second at
    10,000 sources). A source that declares nothing is not in it."""
    declared: dict[str, Declarations] = {}
    for part in parts:
        declared |= _DECLARED.validate_json((part / DECLARATIONS).read_bytes())
    return declared


def assemble(sources: list[Source], parts: list[Path]) -> dict[str, pd.DataFrame]:
    """The release's tables from the extracted batches, in source order, and the sources'
    own tables built from them (validated with the rest before anything is written)."""

    def read(name: str) -> pd.DataFrame:
        table = pyarrow.concat_tables(feather.read_table(part / f"{name}.arrow") for part in parts)
        return frames.from_arrow(table)

    # Arrow reads and encodes without the GIL: the ledger is read beside the rest
    with ThreadPoolExecutor(1) as pool:
        ledger = pool.submit(read, "ledger")
        observations = read("observations")
        return {
            "observations": observations,
            "sources": frame(SOURCES, [s.model_dump(mode="json") for s in sources]),
            "ledger": ledger.result(),
            "tables": source_tables(observations),
        }


KEY = ["source_id", "table_id", "category"]


def source_tables(observations: pd.DataFrame) -> pd.DataFrame:
    """The sources' tables in their printed shape: label, n, percent per row, in one frame."""
    tables = observations[observations["form"] == "table"]
    rows = tables.drop_duplicates(KEY)[[*KEY, "label", "parent_category", "multi_response"]]
    rows = rows.sort_values(["source_id", "table_id"], kind="stable")
    for unit, column in (("count", "n"), ("percent", "percent")):
        values = tables.loc[tables["unit"] == unit, [*KEY, "value"]]
        rows = rows.merge(values.rename(columns={"value": column}), on=KEY, how="left")
    return rows[list(TABLES.columns)].reset_index(drop=True)
