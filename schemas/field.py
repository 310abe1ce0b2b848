"""A column's definition as data, and what is generated from it.

A ``Field`` says what a column is (logical type, description) and what its values
obey (set or not, unique, pattern, vocabulary, bounds, length). The pandera column
(``column``), and through it the Table Schema and the data dictionary, and the
rules a pydantic model applies to an attribute of the same name (``problem``,
schemas.models) are all made from it, so an input and the released column that
holds it are checked by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

import pandera.pandas as pa

from schemas.dtypes import TEXT

Type = Literal["string", "integer", "number", "boolean", "date", "list"]

# how pandera holds each logical type ("Int64": an integer that may be missing)
DTYPES: dict[str, object] = {
    "string": TEXT,  # Arrow strings, one representation everywhere (schemas.dtypes)
    "integer": "int64",
    "number": float,
    "boolean": bool,
    "date": "datetime64[ns]",
    "list": object,  # a list: Table Schema's array is JSON text, Parquet's is a list
}


@dataclass(frozen=True)
class Field:
    type: Type
    description: str
    nullable: bool = False
    unique: bool = False
    pattern: str | None = None
    allowed: Sequence[str] | None = None
    min_length: int | None = None
    minimum: float | None = None
    exclusive_minimum: float | None = None
    maximum: float | None = None
    # a date as precise as known (YYYY, YYYY-MM, YYYY-MM-DD) that is on the calendar: the
    # pattern lets "2024-13" and "2024-02-30" through. Checked where an entry is read (the
    # registry), so no such date reaches a release; the released column keeps its pattern
    calendar: bool = False
    # rules pandera has no built-in for: custom checks on the column, by name
    checks: tuple[pa.Check, ...] = field(default=(), compare=False)

    def but(self, **changes: object) -> Field:
        """The same field with some attributes changed (a table's own description)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def problem(self, value: object) -> str | None:
        """What is wrong with one input value under this field's rules, or None."""
        if isinstance(value, str):
            if self.min_length is not None and len(value) < self.min_length:
                return "is empty" if not value else f"is shorter than {self.min_length} characters"
            if self.pattern is not None and re.match(self.pattern, value) is None:
                return f"{value!r} does not match {self.pattern}"
            if self.calendar and not _on_calendar(value):
                return f"{value!r} is not a date"
            if self.allowed is not None and value not in self.allowed:
                return f"{value!r} is not one of {', '.join(self.allowed)}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return f"{value} is less than {self.minimum:g}"
            if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
                return f"{value} is not greater than {self.exclusive_minimum:g}"
            if self.maximum is not None and value > self.maximum:
                return f"{value} is greater than {self.maximum:g}"
        return None


def _on_calendar(value: str) -> bool:
    """Whether a YYYY, YYYY-MM or YYYY-MM-DD date exists (month 1-12, a day of its month)."""
    parts = [*value.split("-"), "01", "01"][:3]
    try:
        date(*(int(part) for part in parts))
    except ValueError:
        return False
    return True


def _checks(f: Field) -> list[pa.Check]:
    """pandera's built-in checks for the field's rules, then its own."""
    checks = []
    if f.min_length is not None:
        checks.append(pa.Check.str_length(min_value=f.min_length))
    if f.pattern is not None:
        checks.append(pa.Check.str_matches(f.pattern))
    if f.allowed is not None:
        checks.append(pa.Check.isin(list(f.allowed)))
    if f.minimum is not None and f.maximum is not None:
        checks.append(pa.Check.in_range(f.minimum, f.maximum))
    elif f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    elif f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.exclusive_minimum is not None:
        checks.append(pa.Check.gt(f.exclusive_minimum))
    return [*checks, *f.checks]


def column(f: Field) -> pa.Column:
    """The pandera column that validates the field."""
    dtype = "Int64" if f.type == "integer" and f.nullable else DTYPES[f.type]
    return pa.Column(
        dtype,
        checks=_checks(f) or None,
        nullable=f.nullable,
        unique=f.unique,
        description=f.description,
        metadata={"type": f.type},
    )


def logical_type(column: pa.Column) -> Type:
    """The field's logical type, which the Table Schema and the Parquet type follow (not
    how pandas holds the values)."""
    found: Type = column.metadata["type"]
    return found


def table(
    name: str,
    fields: dict[str, Field],
    description: str,
    checks: list[pa.Check] | None = None,
    unique: list[str] | None = None,
) -> pa.DataFrameSchema:
    """The pandera schema of a released table: its fields in order, strict."""
    return pa.DataFrameSchema(
        {column_name: column(f) for column_name, f in fields.items()},
        checks=checks,
        unique=unique,
        strict=True,
        ordered=True,
        name=name,
        description=description,
    )
