"""One synthetic report page and the spec entries that extract it, from a seed and an index.

A heading, an intro of excluded number tokens, a dozen prose figures, four
tab-separated tables and a case story the spec excludes (benchmarks.corpus).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.corpus_vocabulary import (
    AGENCIES,
    FRACTIONS,
    NOUNS,
    OTHER_LABELS,
    RATIOS,
    TABLES,
    TOPICS,
    WORD_COUNTS,
)
from csedata.text import slug


@dataclass
class Document:
    """One synthetic report: its text and the spec that extracts it."""

    source_id: str
    publisher: str
    jurisdiction: str
    kind: str
    year: int
    title: str
    lines: list[str] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    exclude: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _count(n: int) -> str:
    return f"{n:,}"


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%"


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` positive counts that add up to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _table(doc: Document, rng: random.Random, index: int, title: str, named: list[str]) -> None:
    """A tab-separated table: exclusive with a parent row, or multi-response."""
    multi = index % 2 == 1
    total = rng.randint(200, 9_000)
    labels = named + rng.sample(OTHER_LABELS, rng.randint(5, 8))
    section = f"§2G2.{1 + index % 2}"
    total_label = f"Total {section} Offenders"
    rows: list[tuple[str, int]] = []
    parents: dict[str, str] = {}
    if multi:
        rows = [(label, rng.randint(1, total)) for label in labels]
    else:
        parent = f"All {title}"
        children = labels[:3]
        counts = _split(rng, total, len(labels))
        parent_n = counts[0] + counts[1] + counts[2]
        rows = [(parent, parent_n)]
        rows += [(c, n) for c, n in zip(children, counts[:3], strict=True)]
        rows += list(zip(labels[3:], counts[3:], strict=True))
        parents = {c: parent for c in children}
    if index % 2 == 0:  # header on the title line
        doc.lines += [f"{title}\tN\t%"]
    else:  # header on the line under the title
        doc.lines += [f"{title}\t\t", "\tN\t%"]
    doc.lines.append(f"{total_label}\t{_count(total)}\t100.0%")
    doc.lines += [f"{label}\t{_count(n)}\t{_pct(n, total)}" for label, n in rows]
    doc.lines += ["", " "]
    doc.tables.append(
        {
            "table_id": slug(title),
            "title": title,
            "columns": {"N": "count", "%": "percent"},
            "total": total_label,
            "responses": "multi" if multi else "exclusive",
            "row_titles": {label: _title(label) for label in [total_label, *(r for r, _ in rows)]},
            **({"parents": parents} if parents else {}),
        }
    )


def _title(label: str) -> str:
    return label[:1].upper() + label[1:]


def _figure(doc: Document, quote: str, value: str, label: str, **extra: Any) -> None:
    doc.figures.append(
        {
            "id": slug(label)[:40].strip("-") + f"-{len(doc.figures) + 1}",
            "table_id": "highlights",
            "quote": quote,
            "value": value,
            "label": label,
            "title": _title(label),
            **extra,
        }
    )


Say = Callable[..., None]


def _prose(doc: Document, rng: random.Random) -> None:
    """Twelve figures in prose, each template once, so every quote is unique."""
    noun = rng.choice(NOUNS)
    y = doc.year - 1
    sentences: list[str] = []

    def say(quote: str, value: str, label: str, before: str = "", **extra: Any) -> None:
        sentences.append(f"{before}{quote}.")
        _figure(doc, quote, value, label, **extra)

    _qualified(say, rng, noun, y)
    _worded(say, rng, noun, y)
    rng.shuffle(sentences)
    doc.lines += [" ".join(sentences[:6]), "", " ".join(sentences[6:]), ""]


def _qualified(say: Say, rng: random.Random, noun: str, y: int) -> None:
    """Counts, shares and months with qualifiers ("approximately", "up to")."""
    n = rng.randint(1_000, 90_000)
    say(
        f"approximately {_count(n)} {noun} were recorded in FY {y}",
        f"approximately {_count(n)}",
        f"{noun} were recorded",
        "In the period studied, ",
    )
    n = rng.randint(100, 999)
    say(f"more than {n} agencies took part", f"more than {n}", "agencies took part", "In all, ")
    p = rng.randint(100, 999) / 10
    say(
        f"nearly {p}% of the {noun} involved an online platform",
        f"nearly {p}%",
        f"of the {noun} involved an online platform",
        "Across the state, ",
    )
    n = rng.randint(10, 400)
    say(
        f"at least {n} victims were identified",
        f"at least {n}",
        "victims were identified",
        "Investigators report that ",
    )
    n = rng.randint(10, 90)
    say(
        f"fewer than {n} prosecutors handled these matters",
        f"fewer than {n}",
        "prosecutors handled these matters",
        "Officials said ",
    )
    n = rng.randint(120, 480)
    say(
        f"sentences of up to {n} months were imposed",
        f"up to {n} months",
        "sentences",
        "In the gravest cases, ",
        measure="sentence-months",
    )
    n = rng.randint(60, 400)
    say(
        f"The average sentence was {n} months",
        f"{n} months",
        "The average sentence",
        measure="average-sentence-months",
    )


def _worded(say: Say, rng: random.Random, noun: str, y: int) -> None:
    """Ratios and fractions in words, a signed change, a scale and a number word."""
    ratio, _ = rng.choice(RATIOS)
    say(
        f"{ratio.capitalize()} {noun} involved a repeat offender",
        ratio.capitalize(),
        f"{noun} involved a repeat offender",
    )
    fraction = rng.choice(FRACTIONS)
    say(
        f"More than {fraction} of defendants pleaded guilty",
        f"More than {fraction}",
        "defendants pleaded guilty",
    )
    p = rng.randint(50, 700) / 10
    direction = rng.choice(["increased", "decreased"])
    say(
        f"The number of referrals {direction} by {p}% from FY {y - 1}",
        f"{p}%",
        "The number of referrals",
        unit="percent_change",
        direction="increase" if direction == "increased" else "decrease",
        period=f"FY{y - 1}-FY{y}",
    )
    m = rng.randint(11, 299) / 10
    say(
        f"The tipline received {m} million reports",
        f"{m} million",
        "The tipline received",
        measure="reports-received",
    )
    _, word = rng.choice(list(WORD_COUNTS.items()))
    say(
        f"{word.capitalize()} task forces submitted data",
        word.capitalize(),
        "task forces submitted data",
        measure="task-forces",
    )


def document(seed: int, index: int) -> Document:
    rng = random.Random(f"{seed}:{index}")
    publisher, jurisdiction, kind = rng.choice(AGENCIES)
    topic = rng.choice(TOPICS)
    year = rng.randint(2008, 2024)
    source_id = f"{slug(publisher)}-{year}-{index:05d}"
    title = f"{topic} ({publisher}, {year})"
    doc = Document(source_id, publisher, jurisdiction, kind, year, title)
    reports = rng.choice(["two", "three", "four"])
    section = f"§2G2.{rng.randint(1, 6)}"
    phone = f"{rng.randint(200, 989)}-555-{rng.randint(1000, 9999)}"
    intro = f"the {publisher} issued {reports} reports"
    doc.lines += [
        f"## {title}",
        "",
        f"In {year}, {intro} analyzing fiscal year {year - 1} data on offenses "
        f"sentenced under {section}. Questions may be directed to {phone}.",
        "",
    ]
    doc.exclude.append(
        {"within": intro, "reason": "non-statistical", "note": "the number of reports issued"}
    )
    _prose(doc, rng)
    for index_in_doc, (title_, named) in enumerate(rng.sample(TABLES, 4)):
        _table(doc, rng, index_in_doc, title_, named)
    age = rng.randint(12, 17)
    story = (
        f"a man charged in case {rng.randint(100, 999)}-CR entered a plea about a {age}-year-old"
    )
    doc.lines += [f"Last week, {story}.", ""]
    doc.exclude.append({"within": story, "reason": "case-story", "note": "a single case"})
    return doc
