"""PDF to prepared text: pdfplumber's words laid out again as lines, paragraphs and tables.

The rules, applied to every page alike:
- furniture: the top and bottom MARGIN of a page (running heads, page numbers) are
  left out; the page each character came from is kept in ``Prepared.pages``;
- lines: words whose tops lie within LINE_TOLERANCE points share a line;
- cells: within a line, a gap wider than COLUMN_GAP times the text height starts a
  new cell; a run of lines of two cells or more is a table, whatever rules are drawn
  (a grid, horizontal rules only, none), and its columns are the gaps in the union
  of its cells' extents, so an empty cell stays a cell;
- captions: a one-line paragraph right above a table is its title line;
- paragraphs: a vertical gap wider than PARAGRAPH_GAP times the text height ends one;
- continued tables: a table that opens a page, with as many columns as the table
  that closed the previous one, continues it; a repeated header row is dropped.
The output is the form the table parser reads in text captures: tab-separated rows
under a title line, blocks separated by a blank line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from importlib import metadata
from itertools import pairwise
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from csedata.prepare.document import Prepared

NAME = "pdf-pdfplumber"
VERSION = f"1+pdfplumber{metadata.version('pdfplumber')}"

MARGIN = 0.06  # of the page height, at top and bottom
LINE_TOLERANCE = 3.0  # points
COLUMN_GAP = 0.8  # times the text height
PARAGRAPH_GAP = 0.5  # times the text height

Word = dict[str, Any]  # pdfplumber's: text, x0, x1, top, bottom


@dataclass
class Block:
    """A paragraph (lines of text) or a table (rows of cells), each line with its page."""

    table: bool
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return self.lines[0][1].count("\t") + 1 if self.table else 1


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cells(line: list[Word]) -> list[list[Word]]:
    height = max(w["bottom"] - w["top"] for w in line)
    cells = [[line[0]]]
    for prev, word in pairwise(line):
        if word["x0"] - prev["x1"] > COLUMN_GAP * height:
            cells.append([word])
        else:
            cells[-1].append(word)
    return cells


def _text(words: list[Word]) -> str:
    return " ".join(w["text"] for w in words)


def _table_rows(rows: list[list[list[Word]]]) -> list[str]:
    """Rows of cells as tab-separated lines, each cell in the column its extent falls in."""
    spans = sorted((c[0]["x0"], c[-1]["x1"]) for row in rows for c in row)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    out = []
    for row in rows:
        cells = [""] * len(columns)
        for cell in row:
            k = next(i for i, (a, b) in enumerate(columns) if a <= cell[0]["x0"] <= b)
            cells[k] = f"{cells[k]} {_text(cell)}".strip()
        out.append("\t".join(cells))
    return out


def _page_blocks(page_no: int, words: list[Word]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[list[list[Word]]] = []
    previous: list[Word] | None = None

    def end_table() -> None:
        if rows:
            blocks.append(Block(True, [(page_no, r) for r in _table_rows(rows)]))
            rows.clear()

    for line in _lines(words):
        cells = _cells(line)
        if len(cells) > 1:
            rows.append(cells)
        else:
            end_table()
            height = max(w["bottom"] - w["top"] for w in line)
            gap = line[0]["top"] - previous[0]["bottom"] if previous else None
            if gap is None or gap > PARAGRAPH_GAP * height or blocks[-1].table:
                blocks.append(Block(False))
            blocks[-1].lines.append((page_no, _text(line)))
        previous = line
    end_table()
    return blocks


def _continue(blocks: list[Block], page: list[Block]) -> list[Block]:
    """Join a table that opens ``page`` to the one that closed ``blocks``."""
    if not (blocks and page and blocks[-1].table and page[0].table):
        return page
    if blocks[-1].columns != page[0].columns:
        return page
    rows = page[0].lines
    if rows[0][1] == blocks[-1].lines[0][1]:  # the header, repeated
        rows = rows[1:]
    blocks[-1].lines += rows
    return page[1:]


def _render(blocks: list[Block], pages: int) -> Prepared:
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for i, block in enumerate(blocks):
        if i:
            caption = block.table and not blocks[i - 1].table and len(blocks[i - 1].lines) == 1
            parts.append("\n" if caption else "\n\n")
            length += len(parts[-1])
        for j, (page_no, line) in enumerate(block.lines):
            if j:
                parts.append("\n")
                length += 1
            while len(starts) < page_no:
                starts.append(length)
            parts.append(line)
            length += len(line)
    while len(starts) < pages:
        starts.append(length)
    return Prepared("".join(parts) + "\n", tuple(starts))


def convert(data: bytes) -> Prepared:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            blocks: list[Block] = []
            for number, page in enumerate(pdf.pages, start=1):
                band = page.height * MARGIN
                body = page.within_bbox((0, band, page.width, page.height - band))
                words = body.extract_words(keep_blank_chars=False, use_text_flow=False)
                blocks += _continue(blocks, _page_blocks(number, words))
            return _render(blocks, len(pdf.pages))
    except (PdfminerException, PDFSyntaxError) as exc:
        raise ValueError(f"does not read as PDF ({exc})") from exc
