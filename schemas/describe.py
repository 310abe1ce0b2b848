"""The pandera schemas described for readers: Frictionless table schemas and a data dictionary.

Both are generated from the same schema objects the release is validated with,
so the published description can never drift from the checks that ran.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa

from schemas import REFERENCES, schema_for
from schemas.dtypes import dtype_name

TYPES = {
    "str": "string",
    "int64": "integer",
    "Int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "datetime64[ns]": "date",
    "object": "any",  # a list: Table Schema's array is JSON text, Parquet's is a list
}

# pandera's built-in checks that Table Schema can state as constraints:
# check name -> (constraint, statistic it reads)
BOUNDS = {
    "greater_than_or_equal_to": ("minimum", "min_value"),
    "greater_than": ("exclusiveMinimum", "min_value"),
    "less_than_or_equal_to": ("maximum", "max_value"),
    "less_than": ("exclusiveMaximum", "max_value"),
}


def _pattern(regex: str) -> str:
    """pandera matches from the start (re.match); Table Schema anchors both ends."""
    inner = regex.removeprefix("^")
    return inner.removesuffix("$") if inner.endswith("$") else inner + ".*"


def _check_constraints(check: pa.Check) -> dict[str, Any]:
    stats = check.statistics or {}
    if check.name == "isin":
        return {"enum": list(stats["allowed_values"])}
    if check.name == "str_matches":
        return {"pattern": _pattern(str(stats["pattern"]))}
    if check.name in BOUNDS:
        key, stat = BOUNDS[check.name]
        return {key: stats[stat]}
    if check.name == "in_range":
        low = "minimum" if stats["include_min"] else "exclusiveMinimum"
        high = "maximum" if stats["include_max"] else "exclusiveMaximum"
        return {low: stats["min_value"], high: stats["max_value"]}
    return {}


def _custom_checks(checks: list[pa.Check]) -> list[pa.Check]:
    """Checks Table Schema cannot express; the dictionary lists them by name."""
    return [c for c in checks if not _check_constraints(c)]


def constraints(column: pa.Column) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not column.nullable:
        out["required"] = True
    if column.unique:
        out["unique"] = True
    for check in column.checks:
        out.update(_check_constraints(check))
    return out


def primary_key(schema: pa.DataFrameSchema) -> list[str]:
    """The columns that identify a row: the frame's unique set, else its one unique column."""
    if schema.unique:
        return list(schema.unique)
    unique = [name for name, col in schema.columns.items() if col.unique]
    if len(unique) != 1:
        raise ValueError(f"schema {schema.name!r} declares no single identifying column")
    return unique


def foreign_keys(table: str, tables: set[str]) -> list[dict[str, Any]]:
    """The table's references (schemas.REFERENCES) to tables of the package, as Table
    Schema foreign keys (a reference within the table names no resource)."""
    return [
        {
            "fields": [column],
            "reference": {"fields": [key]} | ({} if target == table else {"resource": target}),
        }
        for name, column, target, key in REFERENCES
        if name == table and target in tables
    ]


def table_schema(schema: pa.DataFrameSchema) -> dict[str, Any]:
    """Frictionless Table Schema of a pandera schema, field descriptions included."""
    fields = []
    for name, column in schema.columns.items():
        field: dict[str, Any] = {
            "name": name,
            "type": TYPES[dtype_name(column)],
            "description": column.description,
        }
        if found := constraints(column):
            field["constraints"] = found
        fields.append(field)
    return {"fields": fields, "primaryKey": primary_key(schema)}


SYMBOLS = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}


def _constraint_text(constraint: str, value: Any) -> str:
    if constraint == "enum":
        return "one of " + ", ".join(f"`{v}`" for v in value)
    if constraint == "pattern":
        return f"matches `{value}`"
    if constraint in SYMBOLS:
        return f"{SYMBOLS[constraint]} {value}"
    return constraint  # required, unique


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(schema: pa.DataFrameSchema, tables: dict[str, int]) -> list[str]:
    files = ", ".join(f"`{t}.parquet` ({rows} rows)" for t, rows in sorted(tables.items()))
    lines = [
        f"## {schema.name}",
        "",
        schema.description or "",
        "",
        f"Files: {files}. Row key: {', '.join(f'`{k}`' for k in primary_key(schema))}.",
        "",
        "| column | type | constraints | description |",
        "|---|---|---|---|",
    ]
    for name, column in schema.columns.items():
        found = constraints(column)
        rules = [_constraint_text(k, v) for k, v in found.items() if k != "required"]
        rules.insert(0, "required" if found.get("required") else "may be null")
        rules += [f"check `{c.name}`" for c in _custom_checks(column.checks)]
        lines.append(
            f"| `{name}` | {TYPES[dtype_name(column)]} | {_cell('; '.join(rules))} "
            f"| {_cell(column.description or '')} |"
        )
    custom = _custom_checks(schema.checks)
    if custom:
        lines += ["", "Checks across columns:", ""]
        lines += [f"- `{c.name}`: fails where {c.error}." for c in custom]
    return [*lines, ""]


def data_dictionary(title: str, tables: dict[str, int]) -> str:
    """Markdown describing every released table (name without '.parquet' -> row count)."""
    groups: dict[str, tuple[pa.DataFrameSchema, dict[str, int]]] = {}
    for table, rows in tables.items():
        schema = schema_for(table)
        groups.setdefault(schema.name, (schema, {}))[1][table] = rows
    lines = [
        f"# {title}",
        "",
        "Generated from the pandera schemas the release was validated with (`schemas/`). "
        "Types are Table Schema types; the same descriptions are in `datapackage.json` and "
        "in each Parquet file's field metadata.",
        "",
    ]
    for schema, group in groups.values():
        lines += _section(schema, group)
    return "\n".join(lines)
