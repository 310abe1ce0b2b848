"""Arithmetic checks over observations: do the numbers a source prints agree?

A printed number stands for an interval, not a point: "47.1%" is anything from
47.05 to 47.15, "21.7 million" from 21.65 to 21.75 million, "more than 5,400"
has no upper end. Two numbers agree when their intervals can meet, so the
tolerance of every check follows from the precision the source printed, never
from a fixed guess. A missing value has no interval and never agrees.

Each check is vectorized over the whole frame (masks, groupby, merge; no loop
over rows) and returns one row per subject it checked: ``row`` (the index label
of the observation it is about), ``ok`` and the values a reviewer needs. The
same checks are pandera checks (``CONSISTENCY``) for use on any observations
frame; the validation report (csedata.validation) calls them directly because it
also lists the checks that passed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc

from schemas.terms import UNIT_MINIMUM

SLACK = 1e-9  # relative: float division must not turn an exact match into a miss
KEY = ["source_id", "table_id"]
_NUMBER = r"(?P<int>\d[\d,]*)(?:\.(?P<dec>\d+))?"
_UPPER_ONLY = ["less_than", "at_most", "nearly"]
_LOWER_ONLY = ["more_than", "at_least"]


def _printed(text: pd.Series) -> pd.DataFrame:
    """The first number printed in each text and its count of decimals (NaN if none),
    read once per distinct text (a figure is printed in many rows) and taken to its rows."""
    codes, distinct = pd.factorize(text)
    found = pc.extract_regex(pa_arrow.array(distinct.array), pattern=_NUMBER)
    digits = pc.replace_substring(pc.struct_field(found, "int"), ",", "")
    decimals = pc.struct_field(found, "dec")
    fraction = pc.if_else(pc.equal(decimals, ""), "0", decimals)
    number = pc.cast(pc.binary_join_element_wise(digits, fraction, "."), pa_arrow.float64())
    each = np.column_stack(
        [
            number.to_numpy(zero_copy_only=False).astype(float),
            pc.utf8_length(decimals).to_numpy(zero_copy_only=False).astype(float),
        ]
    )
    each = np.vstack([each, [np.nan, np.nan]])  # a row without text (code -1) reads nothing
    return pd.DataFrame(each[codes], index=text.index, columns=["number", "decimals"])


def bounds(obs: pd.DataFrame) -> pd.DataFrame:
    """``lo``, ``hi`` and ``half`` (the printed rounding) of every value; NaN if unknown.

    A count printed as a whole number ("512", "eight") is exact; any other
    number is rounded at its last printed digit, scaled like its value
    ("21.7 million": half a digit is 50,000). A value without digits other than
    a count ("one in three", "a decade") and an approximate one ("about 41")
    have no known interval.
    """
    found = _printed(obs["value_text"])
    printed, decimals = found["number"], found["decimals"]
    ratio = (obs["value"] / printed).where(printed > 0, 1.0).abs()
    scale = 10.0 ** np.round(np.log10(ratio.astype(float)))
    half = (0.5 * 10.0 ** (-decimals.fillna(0)) * scale).mask(printed.isna())
    whole_count = (obs["unit"] == "count") & ((decimals == 0) & (scale == 1) | printed.isna())
    half = half.where(~whole_count, 0.0)
    value = obs["value"]
    lo, hi = value - half, value + half
    qualifier = obs["qualifier"]
    lo = lo.where(~qualifier.isin(_UPPER_ONLY), -np.inf)
    hi = hi.where(~qualifier.isin(_LOWER_ONLY), np.inf)
    unknown = qualifier.eq("approximate") | half.isna()
    return pd.DataFrame(
        {"lo": lo.mask(unknown), "hi": hi.mask(unknown), "half": half.mask(unknown)},
        index=obs.index,
    )


def prepare(obs: pd.DataFrame) -> pd.DataFrame:
    """What every check needs per row: the interval, and integer keys to join on.

    ``tab`` numbers the (source, table) pairs, ``cat`` and ``par`` the
    categories and parent categories in one numbering (-1: no parent), so the
    checks group and merge on integers rather than strings. Each row's cell
    (``cell``: table and category) and figure (``fig``: and unit), and its
    parent's (``up_cell``, ``up_fig``), are single integers: a join on one
    integer column costs a fraction of one on three.
    """
    out = bounds(obs)
    out["tab"] = obs.groupby(KEY, sort=False).ngroup()
    cat, par = _codes(obs["category"], obs["parent_category"])
    (unit,) = _codes(obs["unit"])
    out["cat"], out["par"] = cat, par
    names = int(max(cat.max(initial=-1), par.max(initial=-1))) + 2
    units = int(unit.max(initial=-1)) + 2
    tab = out["tab"].to_numpy(dtype=np.int64)
    out["cell"], out["up_cell"] = tab * names + cat + 1, tab * names + par + 1
    out["fig"] = out["cell"].to_numpy() * units + unit + 1
    out["up_fig"] = out["up_cell"].to_numpy() * units + unit + 1
    return out


def _codes(*columns: pd.Series) -> list[np.ndarray]:
    """The columns' values as integers in one numbering (-1 where missing)."""
    codes, _ = pd.factorize(pd.concat(columns, ignore_index=True))
    return np.split(np.asarray(codes), np.cumsum([len(c) for c in columns[:-1]]))


def at_most(a: Any, b: Any) -> Any:
    """a <= b allowing for float error; False where either side is missing."""
    return a <= b + SLACK * (1 + np.abs(b))


def meet(lo1: Any, hi1: Any, lo2: Any, hi2: Any) -> Any:
    """The intervals [lo1, hi1] and [lo2, hi2] share a point (missing: they do not)."""
    return at_most(lo1, hi2) & at_most(lo2, hi1)


def fmt(x: float) -> str:
    """A number for a reader: thousands separated, at most four decimals, no trailing zeros."""
    if math.isinf(x):
        return "unbounded" if x > 0 else "-unbounded"
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def span(lo: float, hi: float) -> str:
    return fmt(lo) if lo == hi else f"{fmt(lo)} to {fmt(hi)}"


def _cells(obs: pd.DataFrame, p: pd.DataFrame, mask: Any, columns: list[str]) -> pd.DataFrame:
    """The rows under mask: ``row`` (the observation's label) and only the columns the
    check reads (from ``p``, else ``obs``): a million-row frame costs per column."""
    m = np.asarray(mask, dtype=bool)
    out = {"row": obs.index.to_numpy()[m]}
    out |= {c: (p[c] if c in p else obs[c]).to_numpy()[m] for c in columns}
    return pd.DataFrame(out)


def _join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i, j) with ``left[i] == right[j]``, by i, then j (as pandas' inner merge
    gives them where each key is once on the right): a sort and two binary searches
    over integer keys, without a merge's hashing and its frame of every column."""
    order = np.argsort(right, kind="stable")
    keys = right[order]
    start = np.searchsorted(keys, left, side="left")
    count = np.searchsorted(keys, left, side="right") - start
    i = np.repeat(np.arange(len(left)), count)
    first = np.cumsum(count) - count  # where the pairs of each i begin
    return i, order[start[i] + np.arange(len(i)) - first[i]]


def percent_matches_count(obs: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """In a printed table, N / total x 100 gives the printed % of each row."""
    table = (obs["form"] == "table").to_numpy()
    count = table & (obs["unit"] == "count").to_numpy()
    pct = np.flatnonzero(table & (obs["unit"] == "percent").to_numpy())
    counts = np.flatnonzero(count)
    totals = np.flatnonzero(count & (obs["category"] == "total").to_numpy())
    cell, tab = p["cell"].to_numpy(), p["tab"].to_numpy()
    i, j = _join(cell[pct], cell[counts])  # each share with the count of its row
    pct, counts = pct[i], counts[j]
    i, j = _join(tab[pct], tab[totals])  # and with its table's total
    pct, counts, totals = pct[i], counts[i], totals[j]
    row, lo, hi = obs.index.to_numpy(), p["lo"].to_numpy(), p["hi"].to_numpy()
    d = pd.DataFrame(
        {
            "row": row[pct],
            "count_row": row[counts],
            "total_row": row[totals],
            "lo": lo[pct],
            "hi": hi[pct],
        }
    )
    d["expected_lo"] = 100 * pd.Series(lo[counts]) / hi[totals]
    d["expected_hi"] = 100 * pd.Series(hi[counts]) / lo[totals]
    d["ok"] = meet(d["lo"], d["hi"], d["expected_lo"], d["expected_hi"])
    return d


def parts_sum_to_whole(obs: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """Parts that exclude one another (not multi-response) sum to their parent.

    A table's top rows are the parts of its total, so an exclusive table's
    counts sum to the total and its shares to 100. Each unit sums on its own;
    a missing part makes the sum missing, so it fails rather than being skipped.
    """
    exclusive = obs["parent_category"].notna().to_numpy() & ~obs["multi_response"].to_numpy()
    kids = _cells(obs, p, exclusive, ["up_fig", "value", "lo", "hi"])
    kids["missing"] = kids["value"].isna() | kids["lo"].isna()
    group = "up_fig"  # the parent: table, category, unit
    sums = kids.groupby(group, sort=False).agg(
        parts=("row", "size"),
        missing=("missing", "sum"),
        sum=("value", "sum"),
        sum_lo=("lo", "sum"),
        sum_hi=("hi", "sum"),
    )
    i, j = _join(sums.index.to_numpy(), p["fig"].to_numpy())  # each sum with its whole
    d = sums.iloc[i].reset_index()
    d["row"], d["value"] = obs.index.to_numpy()[j], obs["value"].to_numpy()[j]
    d["lo"], d["hi"] = p["lo"].to_numpy()[j], p["hi"].to_numpy()[j]
    d["ok"] = (d["missing"] == 0) & meet(d["sum_lo"], d["sum_hi"], d["lo"], d["hi"])
    # the parts of each failing whole, for its explanation (failures are few)
    failed = kids.merge(d.loc[~d["ok"], [group]], on=group)
    return d.merge(
        failed.groupby(group, sort=False)["row"].agg(list).rename("part_rows"),
        left_on=group,
        right_index=True,
        how="left",
    )


def part_within_whole(obs: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """No part exceeds its parent: even in a multi-response table, no count > total."""
    shares = obs["parent_category"].notna() & obs["unit"].isin(["count", "percent"])
    kids = np.flatnonzero(shares.to_numpy())
    i, j = _join(p["up_fig"].to_numpy()[kids], p["fig"].to_numpy())  # each part, its whole
    kids = kids[i]
    row, lo, hi = obs.index.to_numpy(), p["lo"].to_numpy(), p["hi"].to_numpy()
    d = pd.DataFrame({"row": row[kids], "parent_row": row[j], "lo": lo[kids], "hi_parent": hi[j]})
    d["ok"] = at_most(d["lo"], d["hi_parent"])
    return d


def value_in_range(obs: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """No share above 100 or below 0, no negative count or duration, no fall past -100%."""
    d = _cells(obs, p, np.ones(len(obs), dtype=bool), ["value"])
    unit = obs["unit"]
    d["minimum"] = unit.map(UNIT_MINIMUM).to_numpy(dtype=float, na_value=np.nan)
    d["maximum"] = np.where((unit == "percent").to_numpy(), 100.0, np.inf)
    d["ok"] = at_most(d["minimum"], d["value"]) & at_most(d["value"], d["maximum"])
    return d


def parent_exists(obs: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    """A row's parent_category names a row of the same table."""
    d = _cells(obs, p, obs["parent_category"].notna(), ["up_cell"])
    d["ok"] = d["up_cell"].isin(p["cell"])
    return d


Explanation = tuple[str, dict[str, str], list[int]]  # message, values, rows quoted


def _text(obs: pd.DataFrame, row: Any) -> str:
    return str(obs.at[row, "value_text"])


def _explain_percent(d: pd.Series, obs: pd.DataFrame) -> Explanation:
    n, total, pct = _text(obs, d["count_row"]), _text(obs, d["total_row"]), _text(obs, d["row"])
    computed = span(d["expected_lo"], d["expected_hi"])
    return (
        f"{n} of {total} is {computed}%, printed {pct} (allows {span(d['lo'], d['hi'])})",
        {"N": n, "total": total, "printed %": pct, "N / total x 100": computed},
        [int(d["row"]), int(d["count_row"]), int(d["total_row"])],
    )


def _explain_sum(d: pd.Series, obs: pd.DataFrame) -> Explanation:
    parts = obs.loc[d["part_rows"]]
    printed = " + ".join(parts["value_text"].astype(str))
    whole = _text(obs, d["row"])
    if d["missing"]:
        message = f"{int(d['missing'])} of {int(d['parts'])} parts have no value ({printed})"
    else:
        exact = d["sum_lo"] == d["sum_hi"] and d["lo"] == d["hi"]
        allows = "" if exact else f" (rounding allows sums of {span(d['sum_lo'], d['sum_hi'])})"
        message = f"{printed} = {fmt(d['sum'])}, but the whole is {whole}{allows}"
    values = {"parts": printed, "sum": fmt(d["sum"]), "whole": whole}
    return message, values, [int(d["row"]), *map(int, parts.index)]


def _explain_within(d: pd.Series, obs: pd.DataFrame) -> Explanation:
    part, whole = _text(obs, d["row"]), _text(obs, d["parent_row"])
    return (
        f"the part {part} exceeds its whole {whole}",
        {"part": part, "whole": whole},
        [int(d["row"]), int(d["parent_row"])],
    )


def _explain_range(d: pd.Series, obs: pd.DataFrame) -> Explanation:
    allowed, unit = span(d["minimum"], d["maximum"]), str(obs.at[d["row"], "unit"])
    return (
        f"{_text(obs, d['row'])} is outside {allowed} for a {unit}",
        {"value": fmt(d["value"]), "allowed": allowed},
        [int(d["row"])],
    )


def _explain_parent(d: pd.Series, obs: pd.DataFrame) -> Explanation:
    parent, table = obs.at[d["row"], "parent_category"], obs.at[d["row"], "table_id"]
    return (
        f"parent {parent!r} is not a row of table {table!r}",
        {"parent_category": str(parent)},
        [int(d["row"])],
    )


@dataclass(frozen=True)
class FrameCheck:
    """One arithmetic check: its name, what it asserts, how it runs and explains a failure."""

    name: str
    description: str
    run: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
    explain: Callable[[pd.Series, pd.DataFrame], Explanation]

    def pandera(self) -> pa.Check:
        """The check as a pandera frame check, one boolean per observation."""

        def rows_ok(df: pd.DataFrame) -> pd.Series:
            d = self.run(df, prepare(df))
            ok = pd.Series(True, index=df.index)
            ok.loc[d.loc[~d["ok"], "row"]] = False
            return ok

        return pa.Check(rows_ok, name=self.name, error=self.description, ignore_na=False)


CHECKS = (
    FrameCheck(
        "parent-exists",
        "A row's parent category is a row of its table.",
        parent_exists,
        _explain_parent,
    ),
    FrameCheck(
        "value-in-range",
        "Shares lie in 0-100; counts and durations are not negative; no fall exceeds 100%.",
        value_in_range,
        _explain_range,
    ),
    FrameCheck(
        "percent-matches-count",
        "N / total x 100 agrees with the printed % at the printed precision.",
        percent_matches_count,
        _explain_percent,
    ),
    FrameCheck(
        "parts-sum-to-whole",
        "Parts that exclude one another sum to their parent (counts to the total, shares to "
        "100), within the rounding the printed precision allows; a missing part fails.",
        parts_sum_to_whole,
        _explain_sum,
    ),
    FrameCheck(
        "part-within-whole",
        "No part exceeds its parent, multi-response tables included: no count above the total.",
        part_within_whole,
        _explain_within,
    ),
)
NAMES = frozenset(c.name for c in CHECKS)

CONSISTENCY = pa.DataFrameSchema(
    checks=[c.pandera() for c in CHECKS],
    name="observations-consistency",
    description="Arithmetic consistency of the observations (csedata.validation.arithmetic).",
)
