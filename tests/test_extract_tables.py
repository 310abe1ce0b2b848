"""csedata.extract of a spec's tables: a small table read, and each way it can fail."""

from __future__ import annotations

from typing import Any

import pytest
from extracts import SOURCE, failure, figure, make_spec

from csedata.extract import extract
from csedata.text import place

TABLE_TEXT = (
    "Intro paragraph without figures.\n"
    "\n"
    "Method of Production\tN\t%\n"
    "Total Offenders\t512\t100.0%\n"
    "Smartphone or Tablet\t241\t47.1%\n"
    "Other Camera\t66\t12.9%\n"
    "\n"
    "Closing paragraph.\n"
)

TABLE: dict[str, Any] = {
    "table_id": "method",
    "title": "Method of Production",
    "columns": {"N": "count", "%": "percent"},
    "total": "Total Offenders",
    "responses": "multi",
    "row_titles": {
        "Total Offenders": "Offenders, all",
        "Smartphone or Tablet": "Smartphone or tablet",
        "Other Camera": "Another camera",
    },
}


def test_small_table_extracts() -> None:
    rows = extract(SOURCE, make_spec(tables=[TABLE]), TABLE_TEXT)
    got = [(o["category"], o["unit"], o["value"], o["multi_response"]) for o in rows]
    assert got == [
        ("total", "count", 512.0, False),
        ("total", "percent", 100.0, False),
        ("smartphone-or-tablet", "count", 241.0, True),
        ("smartphone-or-tablet", "percent", 47.1, True),
        ("other-camera", "count", 66.0, True),
        ("other-camera", "percent", 12.9, True),
    ]
    for o in rows:
        assert TABLE_TEXT[o["value_start"] : o["value_end"]] == o["value_text"]
        assert o["jurisdiction"] == "Testland"  # from the source, no default given


def test_small_table_header_under_the_title() -> None:
    text = TABLE_TEXT.replace("Method of Production\tN\t%\n", "Method of Production\t\t\n\tN\t%\n")
    rows = extract(SOURCE, make_spec(tables=[TABLE]), text)
    assert [o["value"] for o in rows] == [512.0, 100.0, 241.0, 47.1, 66.0, 12.9]


def test_table_header_changed() -> None:
    text = TABLE_TEXT.replace("Method of Production\tN\t%", "Method of Production\tCount\t%")
    message = failure(text, make_spec(tables=[TABLE]))
    assert "tables (method)" in message
    assert "header ['Count', '%'] is not ['N', '%']" in message
    assert f"at {place(text, text.index('Method of Production'))}" in message
    assert "line 3, col 1" in message


def test_table_row_with_a_percent_where_n_is_expected() -> None:
    text = TABLE_TEXT.replace(
        "Smartphone or Tablet\t241\t47.1%", "Smartphone or Tablet\t47.1%\t241"
    )
    message = failure(text, make_spec(tables=[TABLE]))
    assert "tables (method)" in message
    assert "row 'Smartphone or Tablet' column 'N'" in message
    assert "'47.1%' as percent, expected count" in message
    assert "columns shifted" in message
    assert f"line 5, col 22 (char {text.index('47.1%')})" in message


def test_table_row_with_a_missing_cell() -> None:
    text = TABLE_TEXT.replace("Smartphone or Tablet\t241\t47.1%", "Smartphone or Tablet\t241")
    message = failure(text, make_spec(tables=[TABLE]))
    assert "tables (method)" in message
    assert "row 'Smartphone or Tablet' has 1 value cells, the header has 2" in message
    assert f"line 5, col 1 (char {text.index('Smartphone')})" in message


def test_table_row_with_an_empty_cell() -> None:
    text = TABLE_TEXT.replace("Other Camera\t66\t12.9%", "Other Camera\t\t12.9%")
    message = failure(text, make_spec(tables=[TABLE]))
    assert "tables (method)" in message
    assert "empty number text" in message
    assert "line 6, " in message


def test_table_row_with_an_extra_cell() -> None:
    text = TABLE_TEXT.replace("Other Camera\t66\t12.9%", "Other Camera\t66\t12.9%\t3")
    message = failure(text, make_spec(tables=[TABLE]))
    assert "row 'Other Camera' has 3 value cells, the header has 2" in message
    assert "line 6, " in message


def test_table_cell_that_is_not_a_number() -> None:
    text = TABLE_TEXT.replace("Other Camera\t66\t12.9%", "Other Camera\t6six\t12.9%")
    message = failure(text, make_spec(tables=[TABLE]))
    assert "tables (method)" in message
    assert "'6six'" in message
    assert f"line 6, col 14 (char {text.index('6six')})" in message


def test_table_title_missing_or_twice() -> None:
    message = failure(TABLE_TEXT, make_spec(tables=[TABLE | {"title": "Method of Payment"}]))
    assert "tables (method)" in message
    assert "title 'Method of Payment' found 0 times, expected 1" in message
    twice = TABLE_TEXT + "\n" + TABLE_TEXT[TABLE_TEXT.index("Method") :]
    assert "found 2 times" in failure(twice, make_spec(tables=[TABLE]))


def test_table_total_or_parent_row_missing() -> None:
    message = failure(TABLE_TEXT, make_spec(tables=[TABLE | {"total": "All Offenders"}]))
    assert "tables (method)" in message
    assert "total row 'All Offenders' is not in the table" in message
    spec = make_spec(tables=[TABLE | {"parents": {"Other Camera": "Cameras"}}])
    assert "row 'Cameras' named in the spec is not in the table" in failure(TABLE_TEXT, spec)


def test_every_row_and_figure_has_a_sentence_case_title() -> None:
    titles = {k: v for k, v in TABLE["row_titles"].items() if k != "Other Camera"}
    message = failure(TABLE_TEXT, make_spec(tables=[TABLE | {"row_titles": titles}]))
    assert "row 'Other Camera' has no title in row_titles" in message
    for title in ("reports received", "REPORTS RECEIVED"):
        with pytest.raises(ValueError, match="not in sentence case"):
            make_spec(figures=[figure(title=title)])


@pytest.mark.parametrize(
    ("title", "hint"),
    [
        ("Method of Prodution", "closest title: 'Method of Production' at line 3, col 1 (char 34)"),
        ("Closing paragraf", "closest text at line 8, col 1 (char "),
    ],
)
def test_a_title_not_found_points_to_the_closest_title(title: str, hint: str) -> None:
    message = failure(TABLE_TEXT, make_spec(tables=[TABLE | {"title": title}]))
    assert f"title {title!r} found 0 times, expected 1; {hint}" in message
