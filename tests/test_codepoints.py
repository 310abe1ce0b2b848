"""The quote check's code points (schemas.observations) on Arrow-backed text columns."""

from __future__ import annotations

import pandas as pd
import pyarrow

from schemas.observations import _arrow, _codepoints


def test_codepoints_of_a_slice_across_chunks() -> None:
    # an analyst's frame read with Arrow-backed strings: a slice crossing a chunk boundary
    # is combined and read from its own offset (it failed the whole table before)
    table = pyarrow.concat_tables(
        [pyarrow.table({"q": ["ab", "c"]}), pyarrow.table({"q": ["dé", None, "f"]})]
    )
    column = table.to_pandas(types_mapper=pd.ArrowDtype)["q"].iloc[1:4]
    got, expected = _codepoints(_arrow(column)), _codepoints(_arrow(column.astype(object)))
    assert all((g == e).all() for g, e in zip(got, expected, strict=True))
    assert list(got[2]) == [1, 2, 0]
