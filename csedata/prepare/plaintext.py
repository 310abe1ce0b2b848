"""Text sources pass through unchanged: their offsets are those of the raw file."""

from __future__ import annotations

from csedata.prepare.document import Prepared

NAME = "utf-8-text"
VERSION = "1"


def convert(data: bytes) -> Prepared:
    try:
        return Prepared(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"byte {exc.start} is not UTF-8") from exc
