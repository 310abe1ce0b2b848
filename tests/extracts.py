"""What the test_extract_* modules share: the real sources' extractions, and a small
made-up source and spec to extract from (csedata.extract)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from csedata.errors import CsedataError
from csedata.extract import Observation, extract
from csedata.prepare.dispatch import prepare
from csedata.registry import Source, load_registry
from csedata.spec import Spec, load_spec

ROOT = Path(__file__).resolve().parents[1]
SOURCE_IDS = list(load_registry(ROOT))


@cache
def real(source_id: str) -> tuple[str, tuple[Observation, ...]]:
    source = load_registry(ROOT)[source_id]
    doc = prepare(ROOT, source)  # a web page or PDF is read as the pipeline reads it
    return doc.text, tuple(extract(source, load_spec(ROOT, source_id), doc.text, doc.pages))


def by_id(source_id: str) -> dict[str, Observation]:
    return {o["observation_id"]: o for o in real(source_id)[1]}


WHERE = "flows/specs/demo.yaml"

SOURCE = Source(
    source_id="demo",
    file="demo.txt",
    sha256="0" * 64,
    bytes=1,
    publisher="Test publisher",
    title="Test",
    published=None,
    url=None,
    accessed="2026-01-01",
    kind="news",
    jurisdiction="Testland",
    citation="Test citation",
    media_type="text/plain",
)


def make_spec(
    *, tables: list[dict[str, Any]] | None = None, figures: list[dict[str, Any]] | None = None
) -> Spec:
    return Spec.model_validate(
        {
            "source_id": "demo",
            "defaults": {
                "measure": "offenders",
                "universe": "all offenders",
                "period": "2020",
                "producer": "ussc",
                "place": "us",
            },
            "tables": tables or [],
            "figures": figures or [],
        }
    )


def figure(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "reports",
        "table_id": "prose",
        "quote": "received 21.7 million reports",
        "value": "21.7 million",
        "label": "reports",
        "title": "Reports received",
    }
    return base | fields


def failure(text: str, spec: Spec) -> str:
    with pytest.raises(CsedataError) as exc:
        extract(SOURCE, spec, text)
    message = str(exc.value)
    assert message.splitlines() == [message], f"not one line: {message!r}"
    assert message.startswith(f"{WHERE}: ")
    return message
