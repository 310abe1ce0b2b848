"""No name of a person in any file a release publishes: the watch list and the scan.

The sources tell case stories that name defendants, victims' relatives and the
officials they quote; a release holds aggregate statistics only. Two lists of
words are watched for:

- **listed**: the people each document names, declared by hand beside its spec in
  ``flows/specs/people/<source_id>.yaml`` (never published);
- **case-story words**: a generic guard for names nobody listed. A capitalised word
  that occurs in a document only inside paragraphs holding a number the spec
  excludes as a ``case-story`` (and never in lower case, and not a month or day)
  is taken for a name. The people file's ``not_people:`` lists such words that
  are not people (a legal term, a place) and may be published.

Every text of a release is scanned, whatever its form: each text column of each
Parquet file (plain, dictionary or large strings, and lists of them) and its
schema's descriptions, every JSON string (with its path), and every line of
every other file (HTML with its entities decoded). The build refuses a release
with a hit, and ``csedata verify`` refuses a published one.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import BaseModel, ConfigDict, ValidationError

from csedata import yamltext
from csedata.errors import CsedataError
from csedata.prepare.dispatch import prepare
from csedata.registry import REGISTRY, load_registry
from csedata.spec import SPEC_DIR, Spec, load_spec
from csedata.text import find_all

PEOPLE_DIR = SPEC_DIR / "people"
MARKER = "[name removed]"
# Capitalised words ("Blanco", "Bulla-Smith"); a possessive ending is not part of the word.
CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)*\b")
CALENDAR = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
NAME = re.compile(r"^[A-Z][A-Za-z.'\u2019-]*(?: [A-Z][A-Za-z.'\u2019-]*)*$")
# Parts of a listed name too short to watch on their own ("J.", "Mr") are skipped.
MIN_PART = 3
# Problems shown per file; the count of the rest follows.
SHOWN = 3


class PeopleFile(BaseModel):
    """flows/specs/people/<source_id>.yaml: who a document names, and what only looks so."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    people: list[str] = []
    not_people: list[str] = []


@dataclass(frozen=True)
class Watchlist:
    """Words no published file may hold, each with where it was declared or found."""

    words: dict[str, str]

    def pattern(self) -> re.Pattern[str] | None:
        if not self.words:
            return None
        names = sorted(self.words, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in names) + r")\b")


def _people_file(root: Path, path: Path) -> PeopleFile:
    where = path.relative_to(root).as_posix()
    data = yamltext.load(root, path, where)
    try:
        people = PeopleFile.model_validate(data or {})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(part) for part in err["loc"]) or "file"
        raise CsedataError(where, f"{field}: {err['msg']}") from exc
    for name in people.people:
        if not NAME.match(name):
            raise CsedataError(where, f"people: {name!r} is not a capitalised name")
    return people


def declared(root: Path) -> tuple[dict[str, str], set[str]]:
    """Every listed name part (-> its file) and every word declared not a person."""
    listed: dict[str, str] = {}
    allowed: set[str] = set()
    for path in sorted((root / PEOPLE_DIR).glob("*.yaml")):
        people = _people_file(root, path)
        where = f"listed in {path.relative_to(root).as_posix()}"
        for name in people.people:
            listed.setdefault(name, where)
            for part in name.split():
                if len(part) >= MIN_PART and part[-1] != ".":
                    listed.setdefault(part, where)
        allowed.update(people.not_people)
    return listed, allowed


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (a paragraph in the raw texts) around text[start:end]."""
    stop = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop == -1 else stop


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence (where any word is capitalised)."""
    before = text[max(0, at - 4) : at].rstrip(' "\u201c(')
    return not before or before[-1] in ".!?:\n"


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans sorted, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def case_story_words(text: str, spec: Spec) -> list[str]:
    """Capitalised words that the spec's case-story paragraphs hold inside a sentence (a
    sentence's first word is capitalised whatever it is) and the rest of the text never
    holds."""
    spans = [
        _paragraph(text, at, at + len(ex.within))
        for ex in spec.exclude
        if ex.reason == "case-story"
        for at in find_all(text, ex.within)
    ]
    if not spans:
        return []
    # Spans are whole lines and a word never crosses a line break, so the words of the
    # text are those of its pieces, found piece by piece in C rather than tested one by one.
    inside: set[str] = set()
    outside: set[str] = set()
    at = 0
    for a, b in _merged(spans):
        outside.update(CAPITALISED.findall(text, at, a))
        found = CAPITALISED.finditer(text, a, b)
        inside.update(m.group() for m in found if not _starts_sentence(text, m.start()))
        at = b
    outside.update(CAPITALISED.findall(text, at))
    lower = set(re.findall(r"\b[a-z]+(?:-[a-z]+)*\b", text))
    return sorted(
        w for w in inside - outside - CALENDAR if w.lower() not in lower and len(w) >= MIN_PART
    )


def watchlist(root: Path, case_stories: dict[str, list[str]]) -> Watchlist:
    """The listed names and the case-story words (source id -> words) less ``not_people``."""
    listed, allowed = declared(root)
    words = dict(listed)
    for source_id, found in sorted(case_stories.items()):
        where = f"found only in case stories of {source_id} (flows/specs/{source_id}.yaml)"
        for word in found:
            if word not in allowed:
                words.setdefault(word, where)
    return Watchlist(words)


def from_sources(root: Path) -> Watchlist:
    """The watch list from the registered raw files and specs (for verify and redact); the
    listed names alone where there is no registry (releases verified outside a project)."""
    if not (root / REGISTRY).is_file():
        return watchlist(root, {})
    found = {
        source_id: case_story_words(prepare(root, source).text, load_spec(root, source_id))
        for source_id, source in load_registry(root).items()
    }
    return watchlist(root, found)


def holds_text(kind: pa.DataType) -> bool:
    """Whether an Arrow type holds strings: plain, large, dictionary-encoded or in lists."""
    if pa.types.is_dictionary(kind):
        return holds_text(kind.value_type)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return holds_text(kind.value_type)
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _strings(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A column's text as plain strings, whatever its Arrow type; None if it holds none."""
    kind = column.type
    if not holds_text(kind):
        return None
    if pa.types.is_dictionary(kind):
        return _strings(column.cast(kind.value_type))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return _strings(pc.list_flatten(column))
    return column


def text_columns(table: pa.Table) -> list[str]:
    """The columns of a table that hold text (what the scan reads)."""
    return [name for name in table.column_names if holds_text(table[name].type)]


# The columns that name a row of a release's tables, most telling first.
KEYS = ("observation_id", "source_id", "table_id", "category", "char_start")


class _Rows:
    """The key columns of a Parquet file's rows, read only when a hit needs naming one."""

    def __init__(self, file: pq.ParquetFile) -> None:
        self.file = file
        self.keys: pa.Table | None = None

    def name(self, row: int) -> str:
        if self.keys is None:
            present = [k for k in KEYS if k in self.file.schema_arrow.names]
            self.keys = self.file.read(columns=present)
        values = [(k, self.keys[k][row].as_py()) for k in self.keys.column_names]
        shown = ", ".join(f"{k} {v}" for k, v in values if v is not None)
        return f"row {row}" + (f" ({shown})" if shown else "")


def _column_hits(
    file: pq.ParquetFile, name: str, pattern: re.Pattern[str], rows: _Rows
) -> Iterator[tuple[str, str]]:
    """One text column, a row group at a time: memory for a row group's column, not a file."""
    kind = file.schema_arrow.field(name).type
    listed = pa.types.is_list(kind) or pa.types.is_large_list(kind)  # hits name an item
    row = item = 0
    for group in range(file.num_row_groups):
        column = file.read_row_group(group, columns=[name]).column(name)
        strings = _strings(column)
        assert strings is not None  # a text column (holds_text)
        hits = pc.match_substring_regex(strings, pattern.pattern).fill_null(False)
        for index in pc.indices_nonzero(hits).to_pylist():
            found = pattern.search(strings[index].as_py())
            at = f"item {item + index}" if listed else rows.name(row + index)
            yield f"column {name}, {at}", found.group() if found else "?"
        row, item = row + len(column), item + len(strings)


def _parquet_hits(path: Path, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    with pq.ParquetFile(path) as file:
        yield from _file_hits(file, pattern)


def _file_hits(file: pq.ParquetFile, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    schema = file.schema_arrow
    schema_text = schema.to_string(show_field_metadata=True, show_schema_metadata=True)
    for line_no, line in enumerate(schema_text.splitlines(), 1):
        for m in pattern.finditer(line):
            yield f"schema line {line_no}", m.group()
    rows = _Rows(file)
    for field in schema:
        if holds_text(field.type):
            yield from _column_hits(file, field.name, pattern, rows)


def _json_hits(value: Any, path: str, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        for m in pattern.finditer(value):
            yield path or "$", m.group()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _json_hits(key, f"{path}.{key} (key)", pattern)
            yield from _json_hits(item, f"{path}.{key}", pattern)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_hits(item, f"{path}[{index}]", pattern)


def _text_hits(path: Path, pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            yield from _json_hits(json.loads(text), "", pattern)
        except json.JSONDecodeError:
            pass
        else:
            return
    if path.suffix in (".html", ".htm", ".svg"):
        text = html.unescape(text)
    for line_no, line in enumerate(text.splitlines(), 1):
        for m in pattern.finditer(line):
            yield f"line {line_no}", m.group()


def file_hits(path: Path, watch: Watchlist) -> list[tuple[str, str]]:
    """(place, word) for every watched word in one file."""
    pattern = watch.pattern()
    if pattern is None:
        return []
    reader = _parquet_hits if path.suffix == ".parquet" else _text_hits
    return list(reader(path, pattern))


def scan(release: Path, watch: Watchlist) -> dict[str, list[tuple[str, str]]]:
    """The watched words in every file of ``release``: relative path -> [(place, word)]."""
    found = {}
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        hits = file_hits(path, watch)
        if hits:
            found[path.relative_to(release).as_posix()] = hits
    return found


def describe(hits: list[tuple[str, str]], watch: Watchlist) -> str:
    """The first places a file names a watched word, each with why the word is watched."""
    shown = "; ".join(f"{place}: {word!r} ({watch.words[word]})" for place, word in hits[:SHOWN])
    return shown + (f"; and {len(hits) - SHOWN} more" if len(hits) > SHOWN else "")


def problems(release: Path, watch: Watchlist) -> list[str]:
    """One line per file of a release that names a person (verify's form)."""
    return [
        f"{release / rel}: names a person: {describe(hits, watch)}"
        for rel, hits in scan(release, watch).items()
    ]


def refuse(staging: Path, watch: Watchlist, where: str) -> None:
    """One line, and nothing released, if any file about to be released names a person."""
    found = scan(staging, watch)
    if found:
        rel, hits = next(iter(found.items()))
        raise CsedataError(
            where,
            f"not released: {rel} names a person: {describe(hits, watch)} "
            f"(files that do: {', '.join(found)})",
        )
