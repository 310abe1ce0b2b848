"""pydantic models held to the field registry: an input obeys its released column's rules.

A model of an input (a registry entry, a vocabulary entry) names the fields of the
table it becomes; ``Registered`` applies each field's rules (pattern, vocabulary,
length, bounds: ``Field.problem``) to the attribute of the same name, so the rules
are written once, in the field, for the input and for the released column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from schemas.field import Field


class Strict(BaseModel):
    """An input read from a file: frozen, and no key the model does not name."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Registered(Strict):
    """Strict, and held to ``FIELDS``: the fields of the table it becomes."""

    FIELDS: ClassVar[Mapping[str, Field]] = {}

    @field_validator("*")
    @classmethod
    def _field_rules(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.FIELDS.get(info.field_name or "")
        if field is not None and value is not None and (problem := field.problem(value)):
            raise PydanticCustomError("field_rule", problem)
        return value


def one_of(allowed: Sequence[str]) -> AfterValidator:
    """A validator for a vocabulary term outside a registered model (a spec's unit)."""

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError("one_of", f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)
