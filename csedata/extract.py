"""One extraction mechanism for every source: tables and prose figures from a spec.

Each observation keeps its provenance: the quote (``text[char_start:char_end]``)
and the exact value text inside it (``text[value_start:value_end]``). Both are
checked again by the schema, so a release cannot hold a value its quote lacks.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any, NamedTuple

from csedata import periods
from csedata.errors import CsedataError
from csedata.numbers import NumberError, Reading, printed, read_number
from csedata.prepare.document import Prepared
from csedata.registry import Source
from csedata.spec import Context, FigureSpec, Spec, TableSpec
from csedata.text import find_exactly, place, slug
from csedata.textmatch import closest, squeeze

Observation = dict[str, Any]

# A spec may give a read number a more precise unit, never a different one:
# a bare "14" in "average age of entry ... is 14" is years; "422%" of growth
# is a percent change, not a share of a universe.
REFINEMENTS = {
    ("count", "years"),
    ("count", "months"),
    ("count", "percent"),
    ("percent", "percent_change"),
}


class Line(NamedTuple):  # a tuple, not a frozen dataclass: a report has hundreds of lines
    start: int
    text: str  # without the line ending

    def cells(self) -> list[tuple[int, str]]:
        """(offset, text) of each tab-separated cell, offsets into the raw text."""
        out, offset = [], self.start
        for cell in self.text.split("\t"):
            out.append((offset, cell))
            offset += len(cell) + 1
        return out


def _lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        lines.append(Line(offset, raw.rstrip("\r\n")))
        offset += len(raw)
    return lines


def _read(text: str, value_text: str, offset: int, where: str) -> Reading:
    try:
        return read_number(value_text)
    except NumberError as exc:
        raise CsedataError(where, f"{exc} at {place(text, offset)}") from exc


class _Builder:
    """Fills the shared columns of every observation of one source."""

    def __init__(self, source: Source, spec: Spec, prepared: Prepared) -> None:
        self.source, self.spec, self.prepared = source, spec, prepared
        text = self.text = prepared.text
        self.lines = _lines(text)  # split once, searched by every table
        # the lines each table title could be, in normal form (csedata.textmatch): the
        # first cell of a line with a tab, or a caption, a line just above such a line
        self.titles: dict[str, list[int]] = {}
        tabbed = [i for i, ln in enumerate(self.lines) if "\t" in ln.text]
        for i in tabbed:
            self.titles.setdefault(squeeze(self.lines[i].text.split("\t", 1)[0]), []).append(i)
            above = self.lines[i - 1].text if i else ""
            if above.strip() and "\t" not in above:
                self.titles.setdefault(squeeze(above), []).append(i - 1)
        self.where = f"flows/specs/{source.source_id}.yaml"

    def context(self, own: Context, entry: str) -> dict[str, Any]:
        # a key the entry sets, even to null, wins over the spec's defaults
        merged = {
            key: getattr(own if key in own.model_fields_set else self.spec.defaults, key)
            for key in ("measure", "universe", "period", "jurisdiction", "producer", "place")
        }
        merged["jurisdiction"] = merged["jurisdiction"] or self.source.jurisdiction
        for key in ("measure", "producer", "place"):
            if not merged[key]:
                raise CsedataError(
                    f"{self.where}: {entry}", f"no {key} (set it here or in defaults)"
                )
        return merged

    def shared(
        self, context: dict[str, Any], *, table_id: str, table_title: str | None, form: str
    ) -> Observation:
        """The columns every observation of one table or figure shares, in column order
        (``measure`` as the context gives it, one per unit maybe); ``row`` fills the rest
        of a copy, a third of the time a new dict of every column takes."""
        period = periods.parse(context["period"])  # the spec's model has read it once
        return {
            "observation_id": None,
            "source_id": self.source.source_id,
            "table_id": table_id,
            "table_title": table_title,
            "form": form,
            **dict.fromkeys(("label", "title", "category", "parent_category")),
            "measure": context["measure"],
            **dict.fromkeys(("value", "unit", "qualifier")),
            "universe": context["universe"],
            "period": context["period"],
            "period_kind": period.kind,
            "period_start": period.start,
            "period_end": period.end,
            "jurisdiction": context["jurisdiction"],
            "producer_id": context["producer"],
            "place_id": context["place"],
            **dict.fromkeys(("multi_response", "quote", "char_start", "char_end")),
            **dict.fromkeys(("value_text", "value_start", "value_end", "page", "note")),
        }

    def row(
        self,
        shared: Observation,
        *,
        key: str,
        category: str,
        label: str,
        title: str,
        parent: str | None,
        reading: Reading,
        quote: tuple[int, int],
        value: tuple[int, int],
        multi_response: bool,
        entry: str,
        note: str | None = None,
    ) -> Observation:
        unit = reading.unit
        if unit.startswith("percent") and not shared["universe"]:
            raise CsedataError(f"{self.where}: {entry}", "a percent needs a universe (its base)")
        measure = shared["measure"]
        if isinstance(measure, dict):  # one measure per unit
            if unit not in measure:
                raise CsedataError(f"{self.where}: {entry}", f"no measure for {unit}")
            measure = measure[unit]
        row = shared.copy()
        row["observation_id"] = f"{self.source.source_id}/{shared['table_id']}/{key}/{unit}"
        row["label"], row["title"], row["category"] = label, title, category
        row["parent_category"], row["measure"] = parent, measure
        row["value"], row["unit"], row["qualifier"] = reading.value, unit, reading.qualifier
        row["multi_response"] = multi_response
        row["quote"], row["char_start"], row["char_end"] = self.text[quote[0] : quote[1]], *quote
        row["value_text"] = self.text[value[0] : value[1]]
        row["value_start"], row["value_end"] = value
        row["page"], row["note"] = self.prepared.page_at(quote[0]), note
        return row


def _title_line(b: _Builder, table: TableSpec, where: str) -> int:
    """The one line the table's title is on; otherwise where it is, or the closest text."""
    titles = b.titles.get(squeeze(table.title), [])
    if len(titles) == 1:
        return titles[0]
    at = ", ".join(place(b.text, b.lines[i].start) for i in titles[:3])
    if not titles:
        at = _closest_title(b, table.title)
    raise CsedataError(where, f"title {table.title!r} found {len(titles)} times, expected 1; {at}")


def _closest_title(b: _Builder, title: str) -> str:
    """Where a title not found probably is: the line of the table title closest to it
    (a typo, "Chanel" for "Channel"), else the closest text anywhere."""
    near = difflib.get_close_matches(squeeze(title), b.titles, n=1)
    if near:
        return f"closest title: {near[0]!r} at {place(b.text, b.lines[b.titles[near[0]][0]].start)}"
    offset, text = closest(b.text, title)
    return f"closest text at {place(b.text, offset)}: {text!r}"


def _header_line(b: _Builder, index: int, table: TableSpec, where: str) -> int:
    """The header is on the title's line or, where that has no other cells, the next one."""
    lines = b.lines
    header = [c.strip() for _, c in lines[index].cells()[1:] if c.strip()]
    if not header:
        index += 1
        header = [c.strip() for _, c in lines[index].cells()[1:]] if index < len(lines) else []
    if header != list(table.columns):
        raise CsedataError(
            where,
            f"header {header} is not {list(table.columns)} at {place(b.text, lines[index].start)}",
        )
    return index


def _body(b: _Builder, index: int, table: TableSpec, where: str) -> tuple[list[Line], list[str]]:
    """The rows under the header (up to the first line without a tab) and their labels,
    checked against the rows the spec names, so a renamed row fails before any value."""
    rows: list[Line] = []
    for line in b.lines[index + 1 :]:
        if "\t" not in line.text:
            break
        rows.append(line)
    labels = [ln.text.split("\t")[0].strip() for ln in rows]
    for pair in [*table.parents.items(), *((n, n) for n in table.row_titles)]:
        for name in pair:
            if name not in labels:
                raise CsedataError(where, f"row {name!r} named in the spec is not in the table")
    untitled = [label for label in labels if label not in table.row_titles]
    if untitled:
        raise CsedataError(where, f"row {untitled[0]!r} has no title in row_titles")
    if table.total not in labels:
        raise CsedataError(where, f"total row {table.total!r} is not in the table")
    return rows, labels


def _table(b: _Builder, table: TableSpec) -> Iterator[Observation]:
    entry = f"tables ({table.table_id})"
    where = f"{b.where}: {entry}"
    index = _header_line(b, _title_line(b, table, where), table, where)
    rows, labels = _body(b, index, table, where)
    shared = b.shared(
        b.context(table, entry), table_id=table.table_id, table_title=table.title, form="table"
    )
    columns = list(table.columns.items())
    multi = table.responses == "multi"
    for line, label in zip(rows, labels, strict=True):
        cells = line.cells()[1:]
        if len(cells) != len(columns):
            raise CsedataError(
                where,
                f"row {label!r} has {len(cells)} value cells, the header has "
                f"{len(table.columns)} (columns shifted?) at {place(b.text, line.start)}",
            )
        is_total = label == table.total
        category = "total" if is_total else slug(label)
        parent = (
            None if is_total else slug(table.parents[label]) if label in table.parents else "total"
        )
        quote = (line.start, line.start + len(line.text))
        for (offset, cell), (column, unit) in zip(cells, columns, strict=True):
            value_text = cell.strip()
            start = offset + cell.index(value_text) if value_text else offset
            reading = _read(b.text, value_text, start, where)
            if reading.unit != unit:
                raise CsedataError(
                    where,
                    f"row {label!r} column {column!r} reads {value_text!r} as {reading.unit}, "
                    f"expected {unit} (columns shifted?) at {place(b.text, start)}",
                )
            yield b.row(
                shared,
                key=category,
                category=category,
                label=label,
                title=table.row_titles[label],
                parent=parent,
                reading=reading,
                quote=quote,
                value=(start, start + len(value_text)),
                multi_response=multi and not is_total,
                entry=entry,
            )


def _whole(text: str, value: tuple[int, int], reading: Reading, where: str) -> None:
    """Refuse a value that is part of a wider figure ("45" of "About 45%"): its reading
    would drop the qualifier, the unit or the scale, silently."""
    lo, hi = printed(text, *value)
    if (lo, hi) != value and read_number(text[lo:hi]) != reading:
        raise CsedataError(
            where,
            f"value {text[slice(*value)]!r} is part of {text[lo:hi]!r} at "
            f"{place(text, value[0])}: give the whole figure as printed",
        )


def _figure(b: _Builder, fig: FigureSpec) -> Observation:
    entry = f"figures ({fig.id})"
    where = f"{b.where}: {entry}"
    ((start, end),) = find_exactly(b.text, fig.quote, 1, where, "quote")
    quote = b.text[start:end]
    ((at, stop),) = find_exactly(b.text, fig.value, 1, where, "value", (start, end))
    if squeeze(fig.label) not in squeeze(quote):
        raise CsedataError(where, f"label {fig.label!r} is not verbatim in the quote")
    reading = _read(b.text, fig.value, at, where)
    _whole(b.text, (at, stop), reading, where)
    if fig.unit is not None and (reading.unit, fig.unit) in REFINEMENTS:
        reading = Reading(reading.value, fig.unit, reading.qualifier)
    elif fig.unit is not None and fig.unit != reading.unit:
        raise CsedataError(
            where,
            f"value {fig.value!r} reads as {reading.unit}, spec says {fig.unit} "
            f"at {place(b.text, at)}",
        )
    if fig.direction is not None:
        if reading.unit != "percent_change":
            raise CsedataError(where, "direction is only for a percent_change")
        if fig.direction == "decrease":  # "decreased by 35.8%" is a change of -35.8
            reading = Reading(-reading.value, reading.unit, reading.qualifier)
    shared = b.shared(b.context(fig, entry), table_id=fig.table_id, table_title=None, form="prose")
    return b.row(
        shared,
        key=fig.id,
        category=fig.category_slug,
        label=fig.label,
        title=fig.title,
        parent=fig.parent,
        reading=reading,
        quote=(start, end),
        value=(at, stop),
        multi_response=fig.multi_response,
        entry=entry,
        note=fig.note,
    )


def extract(
    source: Source, spec: Spec, text: str, pages: tuple[int, ...] = ()
) -> list[Observation]:
    """Every observation the spec declares, in spec order; the first problem raises.

    ``pages`` are where the prepared text's pages start (csedata.prepare.document.Prepared):
    a PDF's observations name the page their quote starts on.
    """
    b = _Builder(source, spec, Prepared(text, pages))
    rows: list[Observation] = []
    for table in spec.tables:
        rows.extend(_table(b, table))
    rows.extend(_figure(b, fig) for fig in spec.figures)
    seen: dict[str, Observation] = {}
    for row in rows:
        if row["observation_id"] in seen:
            raise CsedataError(
                b.where, f"two entries give observation_id {row['observation_id']!r}"
            )
        seen[row["observation_id"]] = row
    return rows
