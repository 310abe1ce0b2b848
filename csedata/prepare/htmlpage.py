"""HTML to prepared text: lxml walks the document; page furniture is left out by rule.

Rules, not guesses: the elements a page uses for furniture (``nav``, ``header``,
``footer``, ``aside`` and their ARIA roles), what is never shown (``head``,
``script``, ``style``, ``template``, ``hidden``) and form controls are skipped
whole. Every block element (paragraph, heading, list item, ...) becomes a block
of text separated by a blank line, its whitespace collapsed as a browser does; a
``<br>`` is a line break. A table becomes its caption on a line, then one line
per row with its cells tab-separated (a cell spanning columns is followed by
empty cells), the form the table parser reads in text captures.
"""

from __future__ import annotations

from importlib import metadata

import lxml.etree
import lxml.html

from csedata.prepare.document import Prepared

NAME = "html-lxml"
VERSION = f"1+lxml{metadata.version('lxml')}"

SKIPPED = frozenset(
    "head nav header footer aside script style noscript template iframe object svg "
    "form button select textarea".split()
)
SKIPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
BLOCKS = frozenset(
    "html body main article section div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote "
    "figure figcaption address details summary hr center".split()
)


def _skipped(el: lxml.html.HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return (
        el.tag in SKIPPED
        or el.get("role") in SKIPPED_ROLES
        or el.get("hidden") is not None
        or el.get("aria-hidden") == "true"
        or "display:none" in style
    )


def _cell(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _table(table: lxml.html.HtmlElement) -> str:
    """Caption, then rows of tab-separated cells; rows of nested tables stay in their cell."""
    lines = [_cell(c) for c in table.findall("caption")]
    rows = [*table.findall("tr"), *table.xpath("thead/tr | tbody/tr | tfoot/tr")]
    rows.sort(key=lambda r: r.sourceline or 0)  # thead, tbody and tfoot in document order
    for row in rows:
        cells: list[str] = []
        for cell in row:
            if cell.tag in ("td", "th") and not _skipped(cell):
                span = cell.get("colspan", "1")
                cells += [_cell(cell)] + [""] * (int(span) - 1 if span.isdigit() else 0)
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(line for line in lines if line)


class _Writer:
    """Collects inline text into the lines of the current block (a ``<br>`` starts a line)
    and ends blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.lines: list[list[str]] = [[]]

    def add(self, text: str | None) -> None:
        if text:
            self.lines[-1].append(text)

    def line_break(self) -> None:
        self.lines.append([])

    def end_block(self) -> None:
        words = ("".join(line).split() for line in self.lines)
        block = "\n".join(" ".join(line) for line in words if line)
        if block:
            self.blocks.append(block)
        self.lines = [[]]

    def block(self, text: str) -> None:
        self.end_block()
        if text:
            self.blocks.append(text)


def _walk(el: lxml.html.HtmlElement, out: _Writer) -> None:
    if not isinstance(el.tag, str) or _skipped(el):  # a comment, or furniture
        out.add(el.tail)
        return
    if el.tag == "table":
        out.block(_table(el))
    elif el.tag == "pre":
        out.block(el.text_content().strip("\n"))
    elif el.tag == "br":
        out.line_break()
    else:
        block = el.tag in BLOCKS
        if block:
            out.end_block()
        out.add("- " if el.tag == "li" else None)
        out.add(el.text)
        for child in el:
            _walk(child, out)
        if block:
            out.end_block()
    out.add(el.tail)


def convert(data: bytes) -> Prepared:
    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"does not parse as HTML ({exc})") from exc
    out = _Writer()
    _walk(root, out)
    out.end_block()
    return Prepared("\n\n".join(out.blocks) + "\n")
