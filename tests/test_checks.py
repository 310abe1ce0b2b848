"""The arithmetic checks and declared relations, on small frames and on the real sources."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pe
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csedata.errors import CsedataError
from csedata.spec import Change, Exclusive, SameFigure, Share, load_spec
from csedata.validation import arithmetic as checks
from csedata.validation import relations
from schemas import OBSERVATIONS, frame


def obs_row(
    category: str,
    value_text: str,
    value: float,
    unit: str,
    *,
    table_id: str = "t",
    parent: str | None = None,
    multi: bool = False,
    form: str = "table",
    qualifier: str = "exact",
    source_id: str = "s",
) -> dict[str, Any]:
    """One observation with its quote; only the columns the checks read vary."""
    quote = f"{category}\t{value_text}"
    return {
        "observation_id": f"{source_id}/{table_id}/{category}/{unit}",
        "source_id": source_id,
        "table_id": table_id,
        "table_title": None,
        "form": form,
        "label": category,
        "title": "T",
        "category": category,
        "parent_category": parent,
        "measure": "m",
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "universe": "u",
        "period": None,
        "period_kind": "unknown",
        "period_start": None,
        "period_end": None,
        "jurisdiction": "j",
        "producer_id": "ussc",
        "place_id": "us",
        "multi_response": multi,
        "quote": quote,
        "char_start": 0,
        "char_end": len(quote),
        "value_text": value_text,
        "value_start": len(category) + 1,
        "value_end": len(quote),
        "note": None,
        "statistic_id": f"{source_id}/{table_id}/{category}/{unit}",
        "is_primary": True,
        "flags": (),
    }


def table(
    rows: list[tuple[str, float, str, str | None]], total: float = 512, multi: bool = False
) -> pd.DataFrame:
    """A printed table: total row, then (category, n, printed %, parent) rows."""
    out = [
        obs_row("total", f"{total:,.0f}", total, "count"),
        obs_row("total", "100.0%", 100.0, "percent"),
    ]
    for category, n, pct, parent in rows:
        parent = parent or "total"
        out.append(obs_row(category, f"{n:,.0f}", n, "count", parent=parent, multi=multi))
        out.append(
            obs_row(category, pct, float(pct.rstrip("%")), "percent", parent=parent, multi=multi)
        )
    return frame(OBSERVATIONS, out)


def failing(check: str, obs: pd.DataFrame) -> set[str]:
    """observation_ids the named check fails on."""
    run = next(c for c in checks.CHECKS if c.name == check).run
    d = run(obs, checks.prepare(obs))
    return set(obs.loc[d.loc[~d["ok"], "row"], "observation_id"])


def test_bounds_follow_the_printed_precision() -> None:
    rows = [
        ("a", "47.1%", 47.1, "percent", "exact", (47.05, 47.15)),
        ("b", "47%", 47.0, "percent", "exact", (46.5, 47.5)),
        ("c", "21.7 million", 21.7e6, "count", "exact", (21.65e6, 21.75e6)),
        ("d", "1,340", 1340.0, "count", "exact", (1340.0, 1340.0)),
        ("e", "eight", 8.0, "count", "exact", (8.0, 8.0)),
        ("f", "275 months", 275.0, "months", "exact", (274.5, 275.5)),
        ("g", "more than 5,400", 5400.0, "count", "more_than", (5400.0, math.inf)),
        ("h", "nearly 100", 100.0, "count", "nearly", (-math.inf, 100.0)),
        ("i", "about 41", 41.0, "count", "approximate", (math.nan, math.nan)),
        ("j", "one in three", 100 / 3, "percent", "exact", (math.nan, math.nan)),
    ]
    obs = frame(
        OBSERVATIONS,
        [obs_row(c, t, v, u, qualifier=q, form="prose") for c, t, v, u, q, _ in rows],
    )
    b = checks.bounds(obs)
    for (category, *_, expected), lo, hi in zip(rows, b["lo"], b["hi"], strict=True):
        assert (lo, hi) == pytest.approx(expected, nan_ok=True), category


def test_percent_agrees_with_count_at_printed_precision() -> None:
    obs = table(
        [
            ("smartphone", 241, "47.1%", None),  # 47.07: rounds to 47.1
            ("whole-percent", 241, "47%", None),  # one digit less: 46.5 to 47.5 allowed
            ("other", 11, "2.2%", None),  # 2.148 rounds to 2.1, not 2.2
            ("unknown", 55, "10.7%", None),
        ],
        multi=True,
    )
    assert failing("percent-matches-count", obs) == {"s/t/other/percent"}


def test_exclusive_parts_sum_to_total_and_parent() -> None:
    rows = [
        ("contact", 414, "80.9%", None),
        ("offender", 262, "51.2%", "contact"),
        ("co-participant", 23, "4.5%", "contact"),
        ("victim", 129, "25.2%", "contact"),
        ("no-contact", 98, "19.1%", None),
    ]
    assert failing("parts-sum-to-whole", table(rows)) == set()
    # one count off by one: the parts no longer make their parent
    broken = table([(c, n + (c == "victim"), p, parent) for c, n, p, parent in rows])
    assert failing("parts-sum-to-whole", broken) == {"s/t/contact/count"}

    # shares may miss their parent by the rounding of the four printed shares (0.2), no more
    def victim(printed: str) -> pd.DataFrame:
        return table([(c, n, printed if c == "victim" else p, x) for c, n, p, x in rows])

    assert failing("parts-sum-to-whole", victim("25.4%")) == set()  # 81.1 against 80.9
    assert failing("parts-sum-to-whole", victim("25.5%")) == {"s/t/contact/percent"}


def test_a_missing_part_never_passes_a_sum() -> None:
    obs = table([("a", 300, "58.6%", None), ("b", 212, "41.4%", None)])
    assert failing("parts-sum-to-whole", obs) == set()
    obs.loc[obs["observation_id"] == "s/t/b/count", "value"] = float("nan")
    assert failing("parts-sum-to-whole", obs) == {"s/t/total/count"}
    with pytest.raises(pe.SchemaErrors) as caught:  # pandera's NaN skipping cannot hide it
        checks.CONSISTENCY.validate(obs, lazy=True)
    cases = caught.value.failure_cases
    assert "s/t/total/count" in set(obs.loc[cases["index"].dropna().astype(int), "observation_id"])


def test_multi_response_may_exceed_100_but_no_part_exceeds_the_whole() -> None:
    rows = [("phone", 241, "47.1%", None), ("victim", 187, "36.5%", None)]
    wide = table([*rows, ("camera", 200, "39.1%", None)], multi=True)  # sums to 122.7%
    assert failing("parts-sum-to-whole", wide) == set()
    assert failing("part-within-whole", wide) == set()
    too_many = table([*rows, ("camera", 600, "117.2%", None)], multi=True)
    assert failing("part-within-whole", too_many) == {
        "s/t/camera/count",
        "s/t/camera/percent",
    }
    assert failing("value-in-range", too_many) == {"s/t/camera/percent"}
    # the same rows declared exclusive are an error: they sum past the total
    assert failing("parts-sum-to-whole", table([*rows, ("camera", 200, "39.1%", None)])) == {
        "s/t/total/count",
        "s/t/total/percent",
    }


def test_parent_must_be_a_row_of_the_table() -> None:
    obs = table([("a", 512, "100.0%", "nowhere")])
    assert failing("parent-exists", obs) == {"s/t/a/count", "s/t/a/percent"}


def test_pandera_schema_flags_the_same_rows() -> None:
    obs = table(
        [("a", 300, "58.6%", None), ("b", 213, "41.6%", None), ("c", 11, "2.2%", None)],
        multi=False,
    )
    with pytest.raises(pe.SchemaErrors) as caught:
        checks.CONSISTENCY.validate(obs, lazy=True)
    flagged = set(
        obs.loc[caught.value.failure_cases["index"].dropna().astype(int), "observation_id"]
    )
    expected = set().union(*(failing(c.name, obs) for c in checks.CHECKS))
    assert flagged == expected
    assert expected  # the rows above are inconsistent on purpose


# --- declared relations -----------------------------------------------------------


def prose(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    return frame(
        OBSERVATIONS,
        [
            obs_row(c, t, v, u, form="prose", qualifier="approximate" if "about" in t else "exact")
            for c, t, v, u in rows
        ],
    )


FIGURES = prose(
    ("start", "98", 98, "count"),
    ("end", "512", 512, "count"),
    ("growth", "422%", 422, "percent_change"),
    ("growth-off", "420%", 420, "percent_change"),
    ("months", "275 months", 275, "months"),
    ("years", "23 years", 23, "years"),
    ("years-off", "24 years", 24, "years"),
    ("part", "981", 981, "count"),
    ("whole", "1,340", 1340, "count"),
    ("share", "73.2%", 73.2, "percent"),
    ("share-off", "73.0%", 73.0, "percent"),
    ("trust", "60.3%", 60.3, "percent"),
    ("trust-ok", "60.2%", 60.2, "percent"),
    ("rest", "26.8%", 26.8, "percent"),
    ("about", "about 41", 41, "count"),
)


def weigh(relation: Any, scope: str = "s") -> relations.Weighed:
    return relations.weigh_all(FIGURES, [(scope, relation)], ["s"])[0]


@pytest.mark.parametrize(
    ("relation", "status"),
    [
        (Change(id="x", kind="change", start="start", end="end", change="growth"), "passed"),
        (Change(id="x", kind="change", start="start", end="end", change="growth-off"), "failed"),
        (SameFigure(id="x", kind="same", figures=["months", "years"]), "passed"),
        (SameFigure(id="x", kind="same", figures=["months", "years-off"]), "failed"),
        (Share(id="x", kind="share", part="part", whole="whole", share="share"), "passed"),
        (Share(id="x", kind="share", part="part", whole="whole", share="share-off"), "failed"),
        (Share(id="x", kind="share", whole="end", share="trust"), "failed"),
        (Share(id="x", kind="share", whole="end", share="trust-ok"), "passed"),
        (Exclusive(id="x", kind="exclusive", shares=["share", "rest"]), "passed"),
        (Exclusive(id="x", kind="exclusive", shares=["share-off", "rest"]), "failed"),
        (SameFigure(id="x", kind="same", figures=["about", "part"]), "unusable"),
        (SameFigure(id="x", kind="same", figures=["start", "growth"]), "unusable"),
        (SameFigure(id="x", kind="same", figures=["start", "nope"]), "unusable"),
        (SameFigure(id="x", kind="same", figures=["start", "t/end/count"]), "failed"),
    ],
)
def test_relations(relation: Any, status: str) -> None:
    assert weigh(relation).status == status


def test_cross_source_references_name_their_source() -> None:
    same = SameFigure(id="x", kind="same", figures=["s:start", "s:t/start/count"])
    assert weigh(same, relations.CROSS).status == "passed"
    assert weigh(
        SameFigure(id="x", kind="same", figures=["start", "end"]), relations.CROSS
    ).status == ("unusable")
    other = SameFigure(id="x", kind="same", figures=["s:start", "elsewhere:start"])
    assert weigh(other, relations.CROSS).status == "skipped"


def test_spec_declarations_are_checked_when_loaded(tmp_path: Path) -> None:
    specs = tmp_path / "flows" / "specs"
    specs.mkdir(parents=True)
    body = "source_id: s\nchecks:\n  - {id: a, kind: same, figures: [x, y]}\n"
    (specs / "s.yaml").write_text(body + "  - {id: a, kind: same, figures: [x, z]}\n")
    with pytest.raises(CsedataError, match=r"flows/specs/s.yaml: checks: .*'a' is declared twice"):
        load_spec(tmp_path, "s")
    (specs / "s.yaml").write_text(body.replace("same", "sum"))
    with pytest.raises(CsedataError, match=r"flows/specs/s.yaml: checks\[0\] \(a\)"):
        load_spec(tmp_path, "s")


@given(
    st.lists(st.integers(-3, 3), max_size=15),
    st.lists(st.integers(-3, 3), max_size=15),
)
def test_join_pairs_rows_as_an_inner_merge_does(left: list[int], right: list[int]) -> None:
    i, j = checks._join(np.array(left, dtype=np.int64), np.array(right, dtype=np.int64))
    pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    merged = pd.DataFrame({"k": left, "i": range(len(left))}).merge(
        pd.DataFrame({"k": right, "j": range(len(right))}), on="k"
    )
    assert pairs == sorted(zip(merged["i"], merged["j"], strict=True))  # the same pairs
    if len(set(right)) == len(right):  # each key once on the right: in the merge's order
        assert pairs == list(zip(merged["i"], merged["j"], strict=True))
