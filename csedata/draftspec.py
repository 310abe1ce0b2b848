"""A draft spec for a new source: every table and every number token, as comments.

Onboarding a source (csedata add-source) starts here: the maintainer gets each
table the prepared text holds (title, header, rows) as a table entry, and each
number token outside the tables with its sentence as a figure skeleton, all
commented out; turning each into a figure or an exclusion is the review a spec
records. Tokens that the shared patterns already exclude (years, sections,
telephone numbers) are left out of the draft.
"""

from __future__ import annotations

import json
import re
from typing import Any

from csedata.ledger import TOKEN
from csedata.numbers import printed
from csedata.spec import Patterns
from csedata.text import place, slug

# "Table 1." goes on; a sentence stops at a table (before its first line, after its last)
_SENTENCE_END = re.compile(r"(?<!\b\d)[.!?](?=\s)|\n\s*\n|\n(?=[^\n]*\t)|\t[^\n]*\n")


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line indexes of each run of tab-separated lines."""
    runs, start = [], None
    for i, line in enumerate([*lines, ""]):
        if "\t" in line and start is None:
            start = i
        elif "\t" not in line and start is not None:
            runs.append((start, i))
            start = None
    return runs


def table_entries(text: str) -> list[dict[str, Any]]:
    """A table entry per table: title (a caption line or the first cell), header, rows."""
    lines = text.split("\n")
    entries: list[dict[str, Any]] = []
    for first, end in _blocks(lines):
        cells = lines[first].split("\t")
        above = lines[first - 1].strip() if first else ""
        if above:  # a caption line: the header is the first row
            title, header, rows = above, cells[1:], lines[first + 1 : end]
        elif any(c.strip() for c in cells[1:]):
            title, header, rows = cells[0].strip(), cells[1:], lines[first + 1 : end]
        else:  # a title over empty cells, the header below
            title, header = cells[0].strip(), lines[first + 1].split("\t")[1:]
            rows = lines[first + 2 : end]
        labels = [r.split("\t")[0].strip() for r in rows]
        total = next((lab for lab in labels if lab.lower().startswith("total")), labels[0])
        entries.append(
            {
                "table_id": slug(title)[:60].strip("-") or f"table-{len(entries) + 1}",
                "title": title,
                "columns": {h.strip(): "percent" if "%" in h else "count" for h in header},
                "total": total,
                "responses": "exclusive",
                "row_titles": {label: _sentence_case(label) for label in labels},
            }
        )
    return entries


def _sentence_case(label: str) -> str:
    """A first guess at a row's display title: its label, capitalised, not shouted."""
    text = label.capitalize() if label.isupper() else label
    return text[:1].upper() + text[1:]


def context(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], or the table row it is a cell of (cells
    between " | "), its whitespace collapsed."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    line = text[first : last if last != -1 else len(text)]
    if "\t" in line:
        return " | ".join(" ".join(cell.split()) for cell in line.split("\t"))
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after = _SENTENCE_END.search(text, end)
    return " ".join(text[ends[-1] if ends else 0 : after.end() if after else len(text)].split())


def _outside_tables(text: str, patterns: Patterns) -> list[re.Match[str]]:
    """Number tokens not in a table line and not excluded by a shared pattern."""
    covered = [
        (m.start(), m.end())
        for p in patterns.exclude_patterns
        for m in re.finditer(p.pattern, text)
    ]
    tokens = []
    for m in TOKEN.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        in_table = "\t" in text[line_start : line_end if line_end != -1 else len(text)]
        if not in_table and not any(s <= m.start() and m.end() <= e for s, e in covered):
            tokens.append(m)
    return tokens


def _figures(text: str, patterns: Patterns) -> list[tuple[int, int]]:
    """The span of each figure outside the tables as printed, qualifier and unit included
    ("About 45%", not "45": a draft accepted as it is must give the right figure); a token
    inside the figure before it ("three" of "one in three") is that figure."""
    spans: list[tuple[int, int]] = []
    for m in _outside_tables(text, patterns):
        if not spans or m.start() >= spans[-1][1]:
            spans.append(printed(text, *m.span()))
    return spans


def draft(source_id: str, text: str, patterns: Patterns) -> str:
    """The draft spec's YAML: valid as it is (nothing declared), everything as comments."""
    out = [
        f"# Draft spec for {source_id}, written by ./run add-source. Every table and every",
        "# number token of the prepared text is listed below as a comment: uncomment each",
        "# table entry you keep (check its row_titles), and make each token a figure (under",
        "# figures:) or an exclusion (under exclude:); what is left is listed by",
        f"# `./run check-spec {source_id}`.",
        f"source_id: {source_id}",
        "defaults:",
        "  measure: null  # an id of flows/vocabularies/measures.yaml (or one per unit)",
        "  universe: null  # the base of the percentages",
        "  period: null",
        "  producer: null  # who measured: an id of flows/vocabularies/producers.yaml",
        "  place: null  # where: an id of flows/vocabularies/places.yaml",
        "tables: []",
    ]
    entries = table_entries(text)
    for entry in entries:
        units = list(entry["columns"].values())
        if len(set(units)) < len(units):
            out.append("#  # its columns share a unit, and a table has one value per row and unit:")
            out.append("#  # take its cells as figures instead, each quoting its row")
        out.append(f"#  - table_id: {entry['table_id']}")
        for key in ("title", "columns", "total", "responses", "row_titles"):
            out.append(f"#    {key}: {json.dumps(entry[key], ensure_ascii=False)}")
    out.append("figures: []")
    for start, end in _figures(text, patterns):
        sentence = context(text, start, end)
        words = slug(" ".join(text[end : end + 40].split()[:3]))
        out += [
            f"#  # {place(text, start)}: {json.dumps(sentence, ensure_ascii=False)}",
            f"#  - id: {slug(text[start:end])}-{words}".rstrip("-"),
            "#    table_id: TODO",
            f"#    quote: {json.dumps(sentence, ensure_ascii=False)}",
            f"#    value: {json.dumps(text[start:end], ensure_ascii=False)}",
            "#    label: TODO",
            "#    title: TODO",
        ]
    out.append("exclude: []  # - {within: ..., reason: year|non-statistical|..., note: ...}")
    return "\n".join([*out, *_label_numbers(text, entries)]) + "\n"


def _label_numbers(text: str, entries: list[dict[str, Any]]) -> list[str]:
    """An exclusion per row label that holds a number ("District 01"): it names the row."""
    lines = []
    for entry in entries:
        for label in entry["row_titles"]:
            within = label + "\t"
            if TOKEN.search(label) and text.count(within) == 1:
                note = json.dumps(f"part of a row label of {entry['title']}", ensure_ascii=False)
                lines.append(
                    f"#  - {{within: {json.dumps(within, ensure_ascii=False)}, reason: name, "
                    f"note: {note}}}"
                )
    if lines:
        lines.insert(0, "#  # numbers in the row labels of the tables above, for the tables kept")
    return lines
