"""What a raw file is, told by its bytes: not by its name, nor by what a server said.

A server may call a PDF ``application/octet-stream`` or a page ``text/plain``; the
prepare stage (csedata.prepare) must read the bytes as what they are, so the
registry records the media type the content shows and every read checks it again.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from schemas.terms import MediaType

# An HTML document opens with its doctype, a comment or an element (after a BOM and
# blanks); anything else, though UTF-8, is text: a captured page copied as text often
# mentions tags in its prose.
_HTML_OPENINGS = ("<!doctype html", "<html", "<!--", "<head", "<body")


class UnknownMedia(ValueError):
    """The bytes are none of MEDIA_TYPES; the message says why, in one line."""


def sniff(data: bytes) -> MediaType:
    """The media type of ``data``; UnknownMedia when it is none the pipeline reads."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnknownMedia(
            f"neither a PDF (no %PDF- header) nor UTF-8 text (byte {exc.start})"
        ) from exc
    opening = text.lstrip("\ufeff \t\r\n")[:20].lower()
    if not opening.startswith(_HTML_OPENINGS):
        return "text/plain"
    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnknownMedia(f"opens like HTML but does not parse as HTML ({exc})") from exc
    if root.tag != "html" or root.find("body") is None:
        raise UnknownMedia("opens like HTML but has no <html> document with a <body>")
    return "text/html"
