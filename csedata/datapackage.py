"""The release as a Frictionless Data Package: datapackage.json beside the Parquet tables.

Written with the standard library from the pandera schemas (schemas.describe),
so writing a release needs no Frictionless install; the tests check the result
with `frictionless validate`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from csedata import store
from schemas import schema_for
from schemas.describe import foreign_keys, table_schema

FILE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"  # Data Package v2
NAME = "csedata"
TITLE = "Published statistics on child sexual exploitation offenses, sentencing and enforcement"
DESCRIPTION = (
    "Aggregate statistics extracted from published reports, each with the exact quote and "
    "character offsets in the raw source document it came from."
)
# The compiled statistics and their provenance; quotes remain their publishers' text.
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]
MEDIATYPE = "application/vnd.apache.parquet"
# No per-resource "bytes": frictionless 5.21 reads Parquet straight through pyarrow,
# never counts its bytes, and so fails any declared size (byte-count error). The
# sizes are in manifest.json; `csedata verify` checks them with the hashes.


def _source(row: Any) -> dict[str, Any]:
    entry = {
        "title": row.title,
        "path": row.url,
        "publisher": row.publisher,
        "file": f"raw/{row.file}",
        "sha256": row.sha256,
        "bytes": int(row.bytes),
    }
    return {k: v for k, v in entry.items() if pd.notna(v)}


def _resource(release: Path, name: str, path: Path, names: set[str]) -> dict[str, Any]:
    schema = schema_for(name)
    data = path.read_bytes()
    described = table_schema(schema)
    if keys := foreign_keys(name, names):
        described["foreignKeys"] = keys
    return {
        "name": name,
        "path": path.relative_to(release).as_posix(),
        "format": "parquet",
        "mediatype": MEDIATYPE,
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "description": schema.description,
        "schema": described,
    }


def descriptor(
    release: Path, tables: dict[str, Path], version: str, created: str, sources: pd.DataFrame
) -> dict[str, Any]:
    """datapackage.json for the tables (name -> Parquet file inside ``release``)."""
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": LICENSES,
        "sources": [_source(row) for row in sources.itertuples(index=False)],
        "resources": [
            _resource(release, name, path, set(tables)) for name, path in sorted(tables.items())
        ],
    }


def read(release: Path) -> dict[str, Any]:
    return store.read_json(release / FILE, "not a release directory")


def tables(release: Path) -> dict[str, Path]:
    """The release's tables (resource name -> Parquet file), as its datapackage.json lists them."""
    return {r["name"]: release / r["path"] for r in read(release)["resources"]}
