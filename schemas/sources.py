"""Schema of sources.parquet: the registry of raw documents, as released."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.dtypes import TEXT


def _text(description: str, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(TEXT, nullable=nullable, description=description, **kw)  # type: ignore[arg-type]


SOURCES = pa.DataFrameSchema(
    {
        "source_id": _text("Short stable id of the source.", unique=True),
        "file": _text("File name of the raw snapshot under raw/."),
        "sha256": _text(
            "SHA-256 of the raw file's bytes.", checks=pa.Check.str_matches(r"^[0-9a-f]{64}$")
        ),
        "bytes": pa.Column("int64", pa.Check.gt(0), description="Size of the raw file in bytes."),
        "title": _text("Title of the document."),
        "publisher": _text("Who published it."),
        "url": _text("Original address (null where unknown).", nullable=True),
        "published": _text(
            "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD).", nullable=True
        ),
        "accessed": _text("Date the snapshot was taken."),
        "content_type": _text(
            "Media type the server declared when a refresh downloaded the snapshot "
            "(null for a snapshot captured by hand).",
            nullable=True,
        ),
        "media_type": _text(
            "Media type of the raw file, told by its bytes: text/plain, text/html or "
            "application/pdf (the prepare stage reads it as such; only a PDF has pages)."
        ),
        "kind": _text(
            "primary_statistics, news, press_release or advocacy.",
            checks=pa.Check.isin(["primary_statistics", "news", "press_release", "advocacy"]),
        ),
        "jurisdiction": _text("Default jurisdiction of the source's statistics."),
        "citation": _text("How to cite the source."),
    },
    strict=True,
    ordered=True,
    name="sources",
    description="The raw source documents, with checksums and citations.",
)
