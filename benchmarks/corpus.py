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
import shutil
from pathlib import Path
from typing import Any

import yaml

from benchmarks.corpus_document import Document, document
from benchmarks.corpus_vocabulary import MEASURES, PLACES, PRODUCER_KINDS
from csedata.registry import REGISTRY
from csedata.spec import SPEC_DIR
from csedata.text import slug

REPO = Path(__file__).resolve().parent.parent
GENERATOR_VERSION = 3  # bump when the output changes, so stale corpora are rebuilt


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
