"""Columns are defined once: the field registry makes the pandera schemas and the rules of
the input models, and no vocabulary or pattern is written again elsewhere."""

from __future__ import annotations

import ast
import types
import typing
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors as pe
import pytest
from pydantic import BaseModel, ValidationError

from csedata.registry import Snapshot, Source, load_registry
from csedata.vocabularies import Measure, Place, Producer, load_vocabularies
from schemas import terms
from schemas.field import Field, column
from schemas.models import Registered

ROOT = Path(__file__).resolve().parents[1]
MODELS: list[type[Registered]] = [Source, Snapshot, Producer, Place, Measure]


def _valid(model: type[Registered]) -> dict[str, Any]:
    """A valid instance of the model, from the committed registry and vocabularies."""
    source = next(iter(load_registry(ROOT).values()))
    vocabularies = load_vocabularies(ROOT)
    found: dict[type[Registered], BaseModel] = {
        Source: source,
        Snapshot: Snapshot.model_validate(
            {k: v for k, v in source.model_dump().items() if k in Snapshot.model_fields}
        ),
        Producer: next(iter(vocabularies.producers.values())),
        Place: next(iter(vocabularies.places.values())),
        Measure: next(iter(vocabularies.measures.values())),
    }
    return found[model].model_dump()


def _bad_values(field: Field) -> list[object]:
    """One value breaking each of the field's rules."""
    bad: list[object] = []
    if field.min_length is not None:
        bad.append("")
    if field.pattern is not None:
        bad.append("Not A Match!")
    if field.allowed is not None:
        bad.append("not-in-the-vocabulary")
    for bound in (field.minimum, field.exclusive_minimum):
        if bound is not None:
            bad.append(int(bound) - 1)
    if field.maximum is not None:
        bad.append(field.maximum + 1)
    return bad


def _cases() -> list[tuple[type[Registered], str, object]]:
    return [
        (model, name, value)
        for model in MODELS
        for name, field in model.FIELDS.items()
        if name in model.model_fields
        for value in _bad_values(field)
    ]


def test_every_model_is_held_to_rules() -> None:
    """Every model has attributes the registry rules: a model whose names drifted from the
    table's columns would check nothing."""
    for model in MODELS:
        ruled = [name for name, _, _ in ((m, n, v) for m, n, v in _cases() if m is model)]
        assert ruled, f"{model.__name__} has no attribute with a field rule"


@pytest.mark.parametrize(("model", "name", "value"), _cases())
def test_an_input_and_its_column_refuse_the_same_value(
    model: type[Registered], name: str, value: object
) -> None:
    """The pydantic model and the pandera column made from one field both refuse it."""
    valid = _valid(model)
    with pytest.raises(ValidationError, match=name):
        model.model_validate(valid | {name: value})
    checked = column(model.FIELDS[name]).set_name(name)

    def frame(cell: object) -> pd.DataFrame:
        return pd.Series([cell], name=name, dtype=checked.dtype.type).to_frame()

    checked.validate(frame(valid[name]))  # held as the schema holds it, the valid value passes
    with pytest.raises(pe.SchemaError):
        checked.validate(frame(value))


def _python_type(field: Field) -> object:
    return {"string": str, "integer": int, "number": float, "boolean": bool}[field.type]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_model_types_follow_the_fields(model: type[Registered]) -> None:
    """Each attribute named like a field has the field's type, optional exactly when the
    column may be null."""
    hints = typing.get_type_hints(model, include_extras=True)
    named = [name for name in model.model_fields if name in model.FIELDS]
    assert named
    for name in named:
        field, hint = model.FIELDS[name], hints[name]
        while typing.get_origin(hint) is typing.Annotated:
            hint = typing.get_args(hint)[0]
        args = set(typing.get_args(hint)) if isinstance(hint, types.UnionType) else {hint}
        assert (type(None) in args) == field.nullable, name
        kinds = {typing.get_origin(a) or a for a in args - {type(None)}}
        assert kinds <= {_python_type(field), typing.Literal}, name


def _vocabularies() -> dict[str, set[str]]:
    return {
        name: set(value)
        for name, value in vars(terms).items()
        if name.isupper() and isinstance(value, list | dict) and len(value) >= 3
    }


def _patterns() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(terms).items()
        if name.isupper() and isinstance(value, str)
    }


def _restated(tree: ast.AST) -> list[str]:
    """Literal lists of all of a vocabulary's terms, and copies of its patterns (a mapping
    from each term to something, such as a converter per media type, is not a copy)."""
    vocabularies, patterns = _vocabularies(), _patterns()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            words = {i.value for i in node.elts if isinstance(i, ast.Constant)}
            found += [
                f"line {node.lineno}: terms.{name}"
                for name, vocabulary in vocabularies.items()
                if words == vocabulary
            ]
        if isinstance(node, ast.Constant) and node.value in patterns.values():
            found.append(f"line {node.lineno}: a pattern of schemas.terms")
    return found


def _production_files() -> list[Path]:
    files = [*ROOT.glob("csedata/**/*.py"), *ROOT.glob("schemas/*.py"), *ROOT.glob("flows/*.py")]
    return [f for f in files if f.name != "terms.py"]


def test_no_vocabulary_or_pattern_is_written_twice() -> None:
    files = _production_files()
    assert len(files) > 20 and _vocabularies() and _patterns()
    restated = {
        str(f.relative_to(ROOT)): found
        for f in files
        if (found := _restated(ast.parse(f.read_text())))
    }
    assert restated == {}


def test_the_restatement_scan_finds_a_planted_copy() -> None:
    planted = ast.parse(
        'KINDS = ["news", "advocacy", "press_release", "primary_statistics"]\nP = '
        + repr(terms.SHA256)
        + "\n"
    )
    assert _restated(planted) == [
        "line 1: terms.SOURCE_KINDS",
        "line 2: a pattern of schemas.terms",
    ]
