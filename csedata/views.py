"""views.sql: the release's tables as DuckDB views whose columns carry their descriptions.

Parquet keeps a column's description in field metadata, which pyarrow shows and pandas,
polars and DuckDB do not. Read from the release's folder (``duckdb -init views.sql``, or
``.read views.sql``), this file makes each table a view over its Parquet file and puts
every description where DuckDB shows it (``duckdb_columns().comment``, ``DESCRIBE``).
Generated from the same schemas as the data dictionary, so the two cannot disagree; the
same tables give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from schemas import schema_for

FILE = "views.sql"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def views_sql(tables: dict[str, Path], release: Path) -> str:
    """CREATE VIEW and COMMENT ON for each table (name -> Parquet file inside ``release``)."""
    lines = [
        "-- csedata release tables as DuckDB views; run from the release's folder:",
        "--   duckdb -init views.sql",
        "",
    ]
    for name, path in sorted(tables.items()):
        schema = schema_for(name)
        view = name.replace("/", "_").replace("-", "_")
        lines.append(
            f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM "
            f"read_parquet({_literal(path.relative_to(release).as_posix())});"
        )
        lines.append(f"COMMENT ON VIEW {view} IS {_literal(schema.description or '')};")
        for column, spec in schema.columns.items():
            lines.append(
                f"COMMENT ON COLUMN {view}.{column} IS {_literal(spec.description or '')};"
            )
        lines.append("")
    return "\n".join(lines)
