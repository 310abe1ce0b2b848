"""Load a released table for analysis, after checking its bytes against the manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from csedata import store
from csedata.errors import CsedataError


def load(
    version_or_path: str | Path | None = None,
    table: str = "observations",
    root: str | Path = ".",
) -> pd.DataFrame:
    """One table of a release as a DataFrame; its sha256 must match the release's manifest.

    ``version_or_path`` is a version ('1.0.0') under ``root``/processed/, a release
    directory, or None for the latest release. ``table`` is the path of any Parquet
    file the release's manifest lists, without '.parquet' ('observations',
    'statistics', 'producers', 'validation/results', ...; releases 1.x hold
    'tables/<source_id>/<table_id>' instead of 'tables').
    """
    try:
        release = store.resolve(Path(root), version_or_path)
    except CsedataError as exc:  # most often: run from outside the project folder
        looked = f"looked in {(Path(root) / store.PROCESSED).resolve()}"
        if not store.versions(Path(root)):
            looked += "; pass root= the project folder: csedata.load(root='path/to/csedata')"
        raise CsedataError(exc.where, f"{exc.problem} ({looked})") from None
    files = store.read_manifest(release)["files"]
    rel = f"{table}.parquet"
    if rel not in files:
        known = ", ".join(
            sorted(f.removesuffix(".parquet") for f in files if f.endswith(".parquet"))
        )
        raise CsedataError(str(release), f"no table {table!r}; tables: {known}")
    if not (release / rel).is_file():
        raise CsedataError(str(release / rel), "missing; run `csedata verify`")
    data = (release / rel).read_bytes()  # hashed and parsed from the same bytes
    digest = hashlib.sha256(data).hexdigest()
    if digest != files[rel]["sha256"]:
        raise CsedataError(
            str(release / rel),
            f"sha256 {digest[:12]}… does not match manifest.json; run `csedata verify`",
        )
    frame: pd.DataFrame = pq.read_table(pa.BufferReader(data)).to_pandas()
    return frame
