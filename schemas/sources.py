"""Schema of sources.parquet: the registry of raw documents, as released.

Its fields are also the rules of an entry of raw/sources.yaml (csedata.registry),
so a registered source and its released row are held to the same patterns.
"""

from __future__ import annotations

from schemas.field import Field, table
from schemas.fields import BYTES, SHA256_HEX, SOURCE_ID, WEB_ADDRESS
from schemas.terms import DAY, MEDIA_TYPES, PUBLISHED, SOURCE_KINDS


def _text(description: str) -> Field:
    """Required text that may not be empty."""
    return Field("string", description, min_length=1)


def _maybe(description: str, **rules: object) -> Field:
    return Field("string", description, nullable=True, **rules)  # type: ignore[arg-type]


FIELDS = {
    "source_id": SOURCE_ID.but(description="Short stable id of the source.", unique=True),
    "file": _text("File name of the raw snapshot under raw/."),
    "sha256": SHA256_HEX,
    "bytes": BYTES,
    "title": _text("Title of the document."),
    "publisher": _text("Who published it."),
    "url": WEB_ADDRESS.but(description="Original address (null where unknown)."),
    "published": _maybe(
        "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD).",
        pattern=PUBLISHED,
        calendar=True,
    ),
    "accessed": Field("string", "Date the snapshot was taken.", pattern=DAY, calendar=True),
    "content_type": _maybe(
        "Media type the server declared when a refresh downloaded the snapshot "
        "(null for a snapshot captured by hand)."
    ),
    "media_type": Field(
        "string",
        "Media type of the raw file, told by its bytes: text/plain, text/html or "
        "application/pdf (the prepare stage reads it as such; only a PDF has pages).",
        allowed=MEDIA_TYPES,
    ),
    "kind": Field(
        "string", "primary_statistics, news, press_release or advocacy.", allowed=SOURCE_KINDS
    ),
    "jurisdiction": _text("Default jurisdiction of the source's statistics."),
    "citation": _text("How to cite the source."),
}

SOURCES = table("sources", FIELDS, "The raw source documents, with checksums and citations.")
