"""A deterministic synthetic corpus shaped like the real sources, for benchmarks.

Each document reads like a statistical report page: a heading, an intro whose
years, guideline sections, phone number and publication count are excluded
number tokens, four tab-separated tables (N and % columns, a Total row, a
declared hierarchy or multiple responses, both header layouts) and a dozen prose
figures with qualifiers, ratios, scales, number words and signed changes. The
generator writes a whole project folder (raw files, raw/sources.yaml, one spec
per document and the real flows/specs/_patterns.yaml), so the pipeline runs on
it exactly as on the real sources. The same size and seed give the same bytes.

About 100 observations per document: 10,000 documents hold about a million.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from csedata.registry import REGISTRY
from csedata.spec import SPEC_DIR
from csedata.text import slug

REPO = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 3  # bump when the output changes, so stale corpora are rebuilt

AGENCIES = [
    ("Federal Sentencing Office", "US federal", "primary_statistics"),
    ("State Crime Statistics Bureau", "Minnesota", "primary_statistics"),
    ("Regional Task Force Program", "Upper Midwest", "primary_statistics"),
    ("County Attorney's Office", "Hennepin County", "press_release"),
    ("City Police Department", "Minneapolis", "press_release"),
    ("Metro News Desk", "Minnesota", "news"),
    ("Child Safety Coalition", "US federal", "advocacy"),
]
# the vocabularies of the synthetic corpus: each publisher measured its own figures
PRODUCER_KINDS = {
    "Federal Sentencing Office": "federal_agency",
    "State Crime Statistics Bureau": "federal_agency",
    "Regional Task Force Program": "task_force",
    "County Attorney's Office": "city_government",
    "City Police Department": "police_department",
    "Metro News Desk": "unknown",
    "Child Safety Coalition": "nonprofit",
}
MEASURES = {  # measure id -> (unit, definition)
    "offenders-sentenced": ("count", "Number of offenders sentenced."),
    "share-of-offenders": ("percent", "Share of the offenders in the universe."),
    "change-in-offenders-sentenced": ("percent_change", "Change in offenders sentenced."),
    "sentence-months": ("months", "Length of the sentences imposed, in months."),
    "average-sentence-months": ("months", "Average length of the sentences, in months."),
    "reports-received": ("count", "Number of reports received."),
    "task-forces": ("count", "Number of task forces."),
}
PLACES = {  # jurisdiction -> (level, parent jurisdiction)
    "US federal": ("country", None),
    "Minnesota": ("state", "US federal"),
    "Upper Midwest": ("region", "US federal"),
    "Hennepin County": ("county", "Minnesota"),
    "Minneapolis": ("city", "Hennepin County"),
}
TOPICS = [
    "Production Offenses",
    "Non-Production Offenses",
    "Online Enticement",
    "Trafficking of Juveniles",
    "Sentencing Practices",
    "Investigations and Arrests",
]
TABLES = [
    ("Method of Production", ["Smartphone or Tablet", "Victim Produced", "Other Camera"]),
    ("Sexual Contact During Production", ["Offender Contact", "Co-participant Contact"]),
    ("Relationship to the Victim", ["Relative", "Person of Trust", "Internet Stranger"]),
    ("Age of the Victim", ["Infant or Toddler", "Prepubescent", "Pubescent"]),
    ("Platform Used", ["Social Media", "Messaging Application", "Gaming Platform"]),
    ("Type of Disposition", ["Plea Agreement", "Trial Conviction", "Dismissal"]),
    ("Sentence Relative to Guideline Range", ["Within Range", "Below Range", "Above Range"]),
    ("Criminal History", ["No Prior Record", "Prior Sex Offense", "Prior Other Offense"]),
    ("Distribution Conduct", ["Peer-to-Peer Network", "Email", "Cloud Storage"]),
    ("Victim Identification", ["Identified by Police", "Identified by Agency", "Unidentified"]),
]
OTHER_LABELS = [
    "Other",
    "Unknown",
    "Not Reported",
    "Pending Review",
    "Multiple Categories",
    "Referred Elsewhere",
    "Not Applicable",
    "Missing Information",
    "Under Review",
    "Declined to State",
    "Other Known",
    "Insufficient Information",
]
NOUNS = ["offenders", "cases", "reports", "victims", "investigations", "arrests"]
# number words for prose counts: read by csedata.numbers, each a ledger token
WORD_COUNTS = {21: "twenty-one", 34: "thirty-four", 47: "forty-seven", 58: "fifty-eight"}
RATIOS = [("one in three", "three"), ("one in four", "four"), ("one in five", "five")]
FRACTIONS = ["two-thirds", "three-quarters", "half"]


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


def _spec(doc: Document) -> dict[str, Any]:
    return {
        "source_id": doc.source_id,
        "defaults": {
            "producer": slug(doc.publisher),
            "place": slug(doc.jurisdiction),
            "measure": {
                "count": "offenders-sentenced",
                "percent": "share-of-offenders",
                "percent_change": "change-in-offenders-sentenced",
            },
            "universe": f"offenders sentenced in FY{doc.year - 1}",
            "period": f"FY{doc.year - 1}",
        },
        "tables": doc.tables,
        "figures": doc.figures,
        "exclude": doc.exclude,
    }


def _entry(doc: Document, data: bytes) -> dict[str, Any]:
    return {
        "source_id": doc.source_id,
        "file": f"{doc.source_id}.txt",
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "media_type": "text/plain",
        "publisher": doc.publisher,
        "title": doc.title,
        "published": str(doc.year),
        "url": None,  # synthetic: nothing to fetch
        "accessed": "2026-11-23",
        "kind": doc.kind,
        "jurisdiction": doc.jurisdiction,
        "citation": f"{doc.publisher}. {doc.title!r}. {doc.year}. (synthetic benchmark document)",
    }


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1000)


def _vocabularies(root: Path) -> None:
    producers = [
        {"producer_id": slug(name), "name": name, "kind": kind, "url": None}
        for name, kind in PRODUCER_KINDS.items()
    ]
    places = [
        {
            "place_id": slug(name),
            "name": name,
            "level": level,
            "parent_id": slug(parent) if parent else None,
            "iso_3166": None,
            "fips": None,
        }
        for name, (level, parent) in PLACES.items()
    ]
    folder = root / "flows" / "vocabularies"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "producers.yaml").write_text(_dump({"producers": producers}), encoding="utf-8")
    (folder / "places.yaml").write_text(_dump({"places": places}), encoding="utf-8")
    measures = [
        {"measure_id": measure, "unit": unit, "definition": definition}
        for measure, (unit, definition) in MEASURES.items()
    ]
    (folder / "measures.yaml").write_text(_dump({"measures": measures}), encoding="utf-8")


def generate(root: Path, documents: int, seed: int = 7) -> Path:
    """Write a project folder with ``documents`` synthetic sources; reuse a complete one."""
    stamp = json.dumps({"generator": GENERATOR_VERSION, "documents": documents, "seed": seed})
    marker = root / ".corpus.json"
    if marker.is_file() and marker.read_text() == stamp:
        return root
    for part in ("raw", "flows", "processed", ".cache"):
        shutil.rmtree(root / part, ignore_errors=True)
    (root / "raw").mkdir(parents=True)
    (root / SPEC_DIR).mkdir(parents=True)
    shutil.copy(REPO / SPEC_DIR / "_patterns.yaml", root / SPEC_DIR / "_patterns.yaml")
    entries = []
    for index in range(documents):
        doc = document(seed, index)
        data = doc.text.encode("utf-8")
        (root / "raw" / f"{doc.source_id}.txt").write_bytes(data)
        (root / SPEC_DIR / f"{doc.source_id}.yaml").write_text(_dump(_spec(doc)), encoding="utf-8")
        entries.append(_entry(doc, data))
    (root / REGISTRY).write_text(_dump({"sources": entries}), encoding="utf-8")
    _vocabularies(root)
    marker.write_text(stamp)
    return root
