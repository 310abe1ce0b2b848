"""csedata.extract: tables and prose figures from a spec, each with its provenance."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from csedata.errors import CsedataError
from csedata.extract import Observation, extract
from csedata.registry import Source, load_registry, read_text
from csedata.spec import Spec, load_spec
from csedata.text import place
from schemas import frame
from schemas.observations import EXTRACTED

ROOT = Path(__file__).resolve().parents[1]
SOURCE_IDS = list(load_registry(ROOT))


@cache
def real(source_id: str) -> tuple[str, tuple[Observation, ...]]:
    source = load_registry(ROOT)[source_id]
    text = read_text(ROOT, source)
    return text, tuple(extract(source, load_spec(ROOT, source_id), text))


def by_id(source_id: str) -> dict[str, Observation]:
    return {o["observation_id"]: o for o in real(source_id)[1]}


# --- the real sources -----------------------------------------------------------------


def test_every_registered_source_has_a_spec_and_observations() -> None:
    assert SOURCE_IDS  # every source the registry lists, however many
    for source_id in SOURCE_IDS:
        observations = real(source_id)[1]
        assert observations, source_id
        assert {o["source_id"] for o in observations} == {source_id}


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_observation_holds_its_quote_and_value(source_id: str) -> None:
    text, observations = real(source_id)
    for o in observations:
        oid = o["observation_id"]
        assert text[o["char_start"] : o["char_end"]] == o["quote"], oid
        assert text[o["value_start"] : o["value_end"]] == o["value_text"], oid
        assert o["char_start"] <= o["value_start"] < o["value_end"] <= o["char_end"], oid
        assert o["value_text"].strip() == o["value_text"] != "", oid


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_observations_fit_the_release_schema(source_id: str) -> None:
    """Every column but those assembled later (statistic_id, is_primary)."""
    EXTRACTED.validate(frame(EXTRACTED, list(real(source_id)[1])))


def test_observation_ids_are_unique_across_sources() -> None:
    ids = [o["observation_id"] for sid in SOURCE_IDS for o in real(sid)[1]]
    assert len(ids) == len(set(ids))
    for oid in ids:
        source_id, _table_id, _category, unit = oid.split("/")
        assert source_id in SOURCE_IDS
        assert unit in {"count", "percent", "percent_change", "months", "years"}


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_observation_id_is_built_from_its_parts(source_id: str) -> None:
    """A table row is named by its category, a figure by its spec id (which, unlike the
    category, may hold a year: the public ids of release 2 stay as they were)."""
    figures = {f.id: f for f in load_spec(ROOT, source_id).figures}
    for o in real(source_id)[1]:
        key = o["category"]
        if o["form"] == "prose":
            (key,) = [i for i in figures if o["observation_id"].split("/")[2] == i]
            assert o["category"] == figures[key].category_slug
        parts = [o["source_id"], o["table_id"], key, o["unit"]]
        assert o["observation_id"] == "/".join(parts)


def test_no_year_in_a_category() -> None:
    """production-offenders in FY2005 and FY2019: one category, told apart by the period."""
    rows = [o for o in real("ussc-2021-production")[1] if o["category"] == "production-offenders"]
    assert [(o["period"], o["period_kind"], str(o["period_start"])) for o in rows] == [
        ("FY2005", "fiscal_year", "2004-10-01"),
        ("FY2019", "fiscal_year", "2018-10-01"),
    ]
    with pytest.raises(ValueError, match="holds a year"):
        make_spec(figures=[figure(id="reports-fy2020")])


def test_ussc_smartphone_or_tablet() -> None:
    obs = by_id("ussc-2021-production")
    count = obs["ussc-2021-production/method-of-production/smartphone-or-tablet/count"]
    share = obs["ussc-2021-production/method-of-production/smartphone-or-tablet/percent"]
    assert (count["value"], count["unit"], count["value_text"]) == (241.0, "count", "241")
    assert (share["value"], share["unit"], share["value_text"]) == (47.1, "percent", "47.1%")
    for o in (count, share):
        assert o["label"] == "Smartphone or Tablet"
        assert o["form"] == "table"
        assert o["multi_response"] is True
        assert o["parent_category"] == "total"
        assert o["quote"] == "Smartphone or Tablet\t241\t47.1%"
        assert o["qualifier"] == "exact"
        assert o["period"] == "FY2019"
        assert o["jurisdiction"] == "US federal"
        assert o["universe"] == "§2G2.1 offenders sentenced in FY2019"


def table_rows(table_id: str) -> list[Observation]:
    return [o for o in real("ussc-2021-production")[1] if o["table_id"] == table_id]


def test_ussc_method_of_production_is_multi_response() -> None:
    rows = table_rows("method-of-production")
    assert len(rows) == 7 * 2
    for o in rows:
        assert o["multi_response"] is (o["category"] != "total"), o["observation_id"]
    counts = {o["category"]: o["value"] for o in rows if o["unit"] == "count"}
    assert counts == {
        "total": 512.0,
        "smartphone-or-tablet": 241.0,
        "victim-produced": 187.0,
        "other-camera": 66.0,
        "live-stream-or-webcam": 61.0,
        "other": 11.0,
        "unknown-method-or-attempted-production": 55.0,
    }
    # overlapping categories: the parts add up to more than the total
    assert sum(v for k, v in counts.items() if k != "total") > counts["total"]


def test_ussc_sexual_contact_hierarchy() -> None:
    rows = table_rows("sexual-contact-during-production")
    assert len(rows) == 6 * 2
    parents = {o["category"]: o["parent_category"] for o in rows}
    assert parents == {
        "total": None,
        "offenses-involving-sexual-contact": "total",
        "offender-sexually-contacted-a-victim": "offenses-involving-sexual-contact",
        "co-participant-sexually-contacted-a-victim": "offenses-involving-sexual-contact",
        "victim-s-engaged-in-sexual-contact": "offenses-involving-sexual-contact",
        "no-sexual-contact-of-a-victim": "total",
    }
    assert all(o["multi_response"] is False for o in rows)
    count = {o["category"]: o["value"] for o in rows if o["unit"] == "count"}
    share = {o["category"]: o["value"] for o in rows if o["unit"] == "percent"}
    # exclusive categories: the top rows add up to the total, the children to their parent
    for values in (count, share):
        top = [k for k, p in parents.items() if p == "total"]
        kids = [k for k, p in parents.items() if p == "offenses-involving-sexual-contact"]
        assert sum(values[k] for k in top) == pytest.approx(values["total"])
        assert sum(values[k] for k in kids) == pytest.approx(
            values["offenses-involving-sexual-contact"], abs=0.15
        )
    assert count["total"] == 512.0
    assert share["total"] == 100.0


def test_ussc_total_row() -> None:
    obs = by_id("ussc-2021-production")
    for table in ("sexual-contact-during-production", "method-of-production"):
        total = obs[f"ussc-2021-production/{table}/total/count"]
        assert total["category"] == "total"
        assert total["label"] == "Total §2G2.1 Offenders"
        assert total["parent_category"] is None
        assert total["multi_response"] is False
        assert total["value"] == 512.0
        pct = obs[f"ussc-2021-production/{table}/total/percent"]
        assert (pct["value"], pct["value_text"]) == (100.0, "100.0%")


def test_ussc_prose_figures() -> None:
    obs = by_id("ussc-2021-production")
    increase = obs["ussc-2021-production/overview/increase-in-cases-over-15-years/percent_change"]
    assert (increase["value"], increase["unit"], increase["form"]) == (
        422.0,
        "percent_change",
        "prose",
    )
    assert increase["universe"] == "§2G2.1 offenders sentenced in FY2005"
    assert increase["period"] == "FY2005-FY2019"
    sentence = obs["ussc-2021-production/sentencing/average-sentence-aggravating-factors/months"]
    assert (sentence["value"], sentence["qualifier"]) == (300.0, "more_than")
    assert sentence["value_text"] == "in excess of 300 months"
    propensity = obs["ussc-2021-production/propensity/additional-conduct/percent"]
    assert propensity["qualifier"] == "more_than"
    assert propensity["value"] == pytest.approx(200 / 3)


def test_itemp_decrease_is_a_negative_percent_change() -> None:
    o = by_id("itemp-2021-production")[
        "itemp-2021-production/ussc-caseload/decrease-since-fy2016/percent_change"
    ]
    assert o["value"] == -35.8
    assert o["unit"] == "percent_change"
    assert o["value_text"] == "35.8%"
    assert o["qualifier"] == "exact"
    assert o["period"] == "FY2016-FY2020"


def test_itemp_scaled_and_qualified_counts() -> None:
    obs = by_id("itemp-2021-production")
    reports = obs["itemp-2021-production/ncmec/cybertipline-reports-2020/count"]
    assert (reports["value"], reports["value_text"]) == (21_700_000.0, "21.7 million")
    facebook = obs["itemp-2021-production/ncmec/facebook-images-2020/count"]
    assert (facebook["value"], facebook["qualifier"]) == (20_000_000.0, "more_than")
    images = obs["itemp-2021-production/ussc-non-production/average-number-of-images/count"]
    assert (images["value"], images["value_text"]) == (4265.0, "4,265")
    detectives = obs["itemp-2021-production/broward-icac/broward-icac-detectives/count"]
    assert (detectives["value"], detectives["value_text"]) == (8.0, "eight")
    part = obs["itemp-2021-production/ussc-non-production/images-and-videos/count"]
    assert part["parent_category"] == "offenders-media-type-total"


def test_entry_context_overrides_defaults_even_with_null() -> None:
    obs = by_id("minneapolis-2013-trafficking")
    charged = obs[
        "minneapolis-2013-trafficking/juvenile-sex-trafficking-charges/defendants-charged/count"
    ]
    assert charged["period"] == "February 2011 to January 2013"  # the spec default
    assert charged["jurisdiction"] == "Minneapolis"
    runaways = obs[
        "minneapolis-2013-trafficking/national-research/trafficked-girls-runaways/percent"
    ]
    assert runaways["period"] is None  # the entry sets period: null
    assert runaways["jurisdiction"] == "national (US)"
    assert (runaways["value"], runaways["value_text"]) == (96.0, "96 percent")
    age = obs["minneapolis-2013-trafficking/national-research/average-age-of-entry/years"]
    assert (age["value"], age["unit"], age["value_text"]) == (14.0, "years", "14")


def test_advocacy_ratio_and_source_jurisdiction() -> None:
    (o,) = real("advocacy-fact-page")[1]
    assert o["unit"] == "percent"
    assert o["qualifier"] == "approximate"
    assert o["value"] == pytest.approx(100 / 3)
    assert o["value_text"] == "Approximately one in three"
    assert o["jurisdiction"] == "US federal"
    assert o["period"] is None


# --- small specs and texts that must fail -------------------------------------------

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

PROSE = (
    "Heading\n"
    "\n"
    "In the last year the office received 21.7 million reports.\n"
    "Of 5 cases, 5 were closed.\n"
    "Nearly half (47.1%) used a phone.\n"
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


def test_small_figure_extracts() -> None:
    (o,) = extract(SOURCE, make_spec(figures=[figure()]), PROSE)
    assert o["observation_id"] == "demo/prose/reports/count"
    assert o["value"] == 21_700_000.0
    assert o["char_start"] == PROSE.index("received 21.7 million reports")
    assert o["value_start"] == PROSE.index("21.7 million")
    assert o["form"] == "prose"


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


def test_quote_not_found() -> None:
    message = failure(PROSE, make_spec(figures=[figure(quote="received 21.8 million reports")]))
    assert "figures (reports)" in message
    assert "quote 'received 21.8 million reports' found 0 times, expected 1" in message


def test_quote_found_twice() -> None:
    text = PROSE + "Later: received 21.7 million reports.\n"
    message = failure(text, make_spec(figures=[figure()]))
    assert "figures (reports)" in message
    assert "found 2 times, expected 1" in message
    first, second = (place(text, i) for i in (37, text.rindex("received")))
    assert text.index("received") == 37
    assert f"at {first}, {second}" in message
    assert "line 3, col 29 (char 37)" in message


def test_value_not_in_quote() -> None:
    spec = make_spec(figures=[figure(value="21.8 million")])
    message = failure(PROSE, spec)
    assert "figures (reports)" in message
    assert "value '21.8 million' found 0 times, expected 1" in message


def test_value_found_twice_in_quote() -> None:
    spec = make_spec(
        figures=[figure(id="closed", quote="Of 5 cases, 5 were closed.", value="5", label="cases")]
    )
    message = failure(PROSE, spec)
    assert "figures (closed)" in message
    assert "value '5' found 2 times, expected 1" in message
    # positions are in the raw file, not in the quote
    start = PROSE.index("Of 5 cases")
    assert f"(char {start + 3})" in message
    assert f"(char {start + 12})" in message


def test_label_not_verbatim() -> None:
    message = failure(PROSE, make_spec(figures=[figure(label="Reports")]))
    assert "figures (reports)" in message
    assert "label 'Reports' is not verbatim in the quote" in message


def test_unreadable_number() -> None:
    text = PROSE.replace("21.7 million", "21.7 zillion")
    spec = make_spec(figures=[figure(quote="received 21.7 zillion reports", value="21.7 zillion")])
    message = failure(text, spec)
    assert "figures (reports)" in message
    assert "'zillion'" in message
    assert f"line 3, col 38 (char {text.index('21.7')})" in message


def test_value_with_a_different_unit() -> None:
    spec = make_spec(
        figures=[
            figure(
                id="phone", quote="(47.1%) used a phone", value="47.1%", label="used", unit="count"
            )
        ]
    )
    message = failure(PROSE, spec)
    assert "figures (phone)" in message
    assert "reads as percent, spec says count" in message
    assert f"(char {PROSE.index('47.1%')})" in message


@pytest.mark.parametrize(
    ("quote", "value", "unit", "expected"),
    [
        ("Of 5 cases", "5", "years", (5.0, "years")),
        ("Of 5 cases", "5", "months", (5.0, "months")),
        ("Of 5 cases", "5", "percent", (5.0, "percent")),
        ("(47.1%) used", "47.1%", "percent_change", (47.1, "percent_change")),
        ("(47.1%) used", "47.1%", "percent", (47.1, "percent")),
    ],
)
def test_unit_refinements(quote: str, value: str, unit: str, expected: tuple[float, str]) -> None:
    spec = make_spec(
        figures=[
            figure(
                id="x",
                quote=quote,
                value=value,
                label="used" if "used" in quote else "cases",
                unit=unit,
            )
        ]
    )
    (o,) = extract(SOURCE, spec, PROSE)
    assert (o["value"], o["unit"]) == expected


@pytest.mark.parametrize(("direction", "sign"), [("increase", 1), ("decrease", -1)])
def test_direction_signs_a_percent_change(direction: str, sign: int) -> None:
    fig = figure(id="x", quote="(47.1%) used", value="47.1%", label="used", unit="percent_change")
    (o,) = extract(SOURCE, make_spec(figures=[fig | {"direction": direction}]), PROSE)
    assert o["value"] == sign * 47.1


def test_direction_on_a_share_is_refused() -> None:
    fig = figure(id="x", quote="(47.1%) used", value="47.1%", label="used", direction="decrease")
    message = failure(PROSE, make_spec(figures=[fig]))
    assert "figures (x)" in message
    assert "direction is only for a percent_change" in message


def test_two_entries_with_the_same_observation_id() -> None:
    message = failure(PROSE, make_spec(figures=[figure(), figure()]))
    assert "observation_id 'demo/prose/reports/count'" in message


def test_percent_without_a_universe() -> None:
    spec = Spec.model_validate(
        {
            "source_id": "demo",
            "defaults": {"measure": "offenders", "producer": "ussc", "place": "us"},
            "figures": [figure(id="x", quote="(47.1%) used", value="47.1%", label="used")],
        }
    )
    message = failure(PROSE, spec)
    assert "figures (x)" in message
    assert "a percent needs a universe" in message


def test_figure_without_a_measure() -> None:
    spec = Spec.model_validate({"source_id": "demo", "figures": [figure()]})
    message = failure(PROSE, spec)
    assert "figures (reports)" in message
    assert "no measure" in message


@pytest.mark.parametrize(
    ("value", "whole"),
    [("45", "About 45%"), ("45%", "About 45%"), ("About 45", "About 45%"), ("5", "About 45%")],
)
def test_value_part_of_a_wider_figure_is_refused(value: str, whole: str) -> None:
    text = PROSE + "About 45% of reports were referred to another agency.\n"
    quote = "About 45% of reports were referred"
    spec = make_spec(figures=[figure(id="referred", quote=quote, value=value, label="referred")])
    message = failure(text, spec)
    assert "figures (referred)" in message
    at = place(text, text.index(quote) + quote.index(value))
    assert f"value {value!r} is part of {whole!r} at {at}: give the whole figure" in message


def test_whole_figure_beside_other_numbers_extracts() -> None:
    text = PROSE + "In 2019, about 45% of 300 reports were referred.\n"
    fig = figure(id="referred", quote="about 45% of 300 reports", value="about 45%", label="rep")
    (o,) = extract(SOURCE, make_spec(figures=[fig]), text)
    assert (o["value"], o["unit"], o["qualifier"]) == (45.0, "percent", "approximate")
