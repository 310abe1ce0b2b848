"""The pure functions behind batching and fast checks, against their plain definitions."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from csedata.batches import batches
from csedata.frames import from_arrow
from csedata.ledger import _first_cover
from schemas.observations import _quote_holds_value


def test_batches_cover_every_id_once_in_order() -> None:
    ids = [f"source-{i:04d}" for i in range(1000)]
    groups = batches(list(reversed(ids)), 50)
    assert [i for g in groups for i in g] == ids
    assert max(len(g) for g in groups) <= 100
    assert 5 < len(groups) < 60


def test_one_more_source_changes_one_batch() -> None:
    ids = [f"source-{i:04d}" for i in range(0, 1000, 2)]
    before = batches(ids, 20)
    after = batches([*ids, "source-0501"], 20)
    changed = [g for g in after if g not in before]
    assert len(changed) == 1 and "source-0501" in changed[0]


@st.composite
def tokens_and_spans(draw: st.DrawFn) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    cuts = sorted(draw(st.sets(st.integers(0, 200), max_size=40)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))  # sorted, non-overlapping tokens
    spans = draw(st.lists(st.tuples(st.integers(0, 210), st.integers(0, 210)), max_size=30))
    return [s for s, _ in pairs], [e for _, e in pairs], spans


@given(tokens_and_spans())
def test_first_cover_is_the_first_containing_span(case: tuple[list[int], list[int], list]) -> None:
    starts, ends, spans = case
    naive = [
        next((i for i, (s, e) in enumerate(spans) if s <= start and end <= e), None)
        for start, end in zip(starts, ends, strict=True)
    ]
    assert _first_cover(starts, ends, spans) == naive


# with a character beyond Latin-1 (U+2019), as in the real sources
TEXT = st.text(alphabet=st.sampled_from("ab1 %§\u2019\n"), max_size=12)


@st.composite
def provenance_row(draw: st.DrawFn) -> tuple[str, str, int, int, int, int]:
    """A row whose value is usually the slice its offsets name, sometimes not."""
    quote = draw(TEXT)
    char_start = draw(st.integers(0, 5))
    char_end = char_start + len(quote) + draw(st.sampled_from([0, 0, 0, 1, -1]))
    rel_start, rel_end = draw(st.integers(-3, 15)), draw(st.integers(-3, 15))
    value = quote[rel_start:rel_end] if draw(st.booleans()) else draw(TEXT)
    return quote, value, char_start, char_end, char_start + rel_start, char_start + rel_end


@settings(max_examples=300)
@given(st.lists(provenance_row(), min_size=1, max_size=20))
def test_vectorized_provenance_check_equals_python_slicing(rows: list[tuple]) -> None:
    """The vectorized check answers what ``quote[s:e] == value_text`` answers where the
    value's offsets are in order inside the quote's (on text in two Arrow chunks)."""
    names = ["quote", "value_text", "char_start", "char_end", "value_start", "value_end"]
    schema = pa.schema([(n, pa.string() if n in names[:2] else pa.int64()) for n in names])
    parts = (rows[: len(rows) // 2], rows[len(rows) // 2 :])
    df = from_arrow(
        pa.concat_tables(
            pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in part], schema)
            for part in parts
        )
    )
    s, e = df["value_start"] - df["char_start"], df["value_end"] - df["char_start"]
    inside = (s >= 0) & (s <= e) & (df["value_end"] <= df["char_end"])
    same = [q[a:b] == v for q, a, b, v in zip(df["quote"], s, e, df["value_text"], strict=True)]
    expected = (inside & pd.Series(same)).tolist()
    assert _quote_holds_value(df).tolist() == expected
