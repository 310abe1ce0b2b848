"""csedata.extract over the real sources: the figures they print, with their units,
qualifiers, hierarchy and context."""

from __future__ import annotations

import pytest
from extracts import by_id, figure, make_spec, real

from csedata.extract import Observation


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
