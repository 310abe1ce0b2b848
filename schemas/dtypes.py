"""The in-memory type of every text column, and the names the schemas' types go by.

Text is held one way in every table, as Arrow strings (``TEXT``, see
csedata.frames), and the schemas declare exactly that, so pandera's own dtype
check refuses a column of Python objects or a categorical. To readers the type is
still plain text: the data dictionary, the Table Schemas and the Parquet writer
follow each field's logical type (schemas.field), and the validation report names
it 'str', as it names every other type by pandas.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow

TEXT = pd.ArrowDtype(pyarrow.string())


def dtype_name(column: pa.Column) -> str:
    """'str' for text, else the pandas name of the column's dtype ('int64', 'bool', ...)."""
    if isinstance(column.dtype.type, pd.ArrowDtype) and column.dtype.type == TEXT:
        return "str"
    return str(column.dtype)
