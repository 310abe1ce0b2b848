"""Validated tables as a release is written from them: the small ones as frames, the
corpus-sized ones (``SPLIT``) as Arrow IPC files, one per part, in a folder of the run.

Validation checks a corpus part by part (csedata.validation.parts) and lets go of each
part's frames once they are written here, so no process holds a corpus-sized table:
publishing streams each table's parts into one Parquet file (csedata.parquet.write_parts),
and the checks that span parts read only their key columns back. The folder goes with the
object (and a folder a killed run left is removed by the next).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow
import pyarrow.ipc
from pyarrow import feather

from csedata import frames, parquet
from schemas import schema_for

# the tables that grow with the corpus, held in parts; every other table is whole
SPLIT = ("observations", "ledger", "tables", "statistics")
# observations a part holds at least (sources are added until it does): a part is
# assembled and checked whole, so memory follows it rather than the corpus
PART_ROWS = 65_536
FOLDER = Path(".cache") / "validated"


class Keys(Protocol):
    """What the checks across parts read (csedata.validation.parts): the tables' order, the
    small ones whole, and a column of each of the ``count`` parts of the others, in part
    order. ``Tables`` holds the parts written; a release read back (csedata.validation.
    released) is another."""

    order: list[str]
    small: dict[str, pd.DataFrame]
    count: int

    def column(self, name: str, column: str) -> Iterator[pyarrow.ChunkedArray]: ...


def _clear_stale(folder: Path) -> None:
    """Remove the folders of runs whose process is gone (killed before it could)."""
    for old in folder.glob("run-*"):
        pid = old.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(old, ignore_errors=True)


class Tables:
    """Every table of a release in its order: ``small`` as frames, the rest added a part
    at a time (``add``) and read back a part (``parts``) or a column (``column``) at a time."""

    def __init__(self, root: Path, order: list[str], small: Mapping[str, pd.DataFrame]) -> None:
        self.order = list(order)
        self.small = dict(small)
        self.count = 0
        self._home(root / FOLDER)

    def _home(self, home: Path) -> None:
        """A new folder of the run, removed with the object."""
        home.mkdir(parents=True, exist_ok=True)
        _clear_stale(home)
        self.folder = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=home))
        weakref.finalize(self, shutil.rmtree, self.folder, True)

    def __getstate__(self) -> dict[str, Any]:
        """A copy for another process (pickled) carries the parts' files: the folder goes
        with the original."""
        files = {path.name: path.read_bytes() for path in sorted(self.folder.iterdir())}
        return {
            "order": self.order,
            "small": self.small,
            "count": self.count,
            "files": files,
            "home": self.folder.parent,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.order, self.small, self.count = state["order"], state["small"], state["count"]
        self._home(state["home"])
        for name, data in state["files"].items():
            (self.folder / name).write_bytes(data)

    def _path(self, name: str, part: int) -> Path:
        return self.folder / f"{part:05d}-{name}.arrow"

    def add(self, part: Mapping[str, pd.DataFrame]) -> None:
        """A part's tables, typed as their Parquet files will be (csedata.parquet.to_arrow)."""
        for name, df in part.items():
            table = parquet.to_arrow(df, schema_for(name))
            feather.write_feather(table, self._path(name, self.count), compression="lz4")
        self.count += 1

    def parts(self, name: str) -> Iterator[pyarrow.Table]:
        """The table a part at a time (a small table: whole, once)."""
        if name in self.small:
            yield parquet.to_arrow(self.small[name], schema_for(name))
            return
        for part in range(self.count):
            yield feather.read_table(self._path(name, part))

    def schema(self, name: str) -> pyarrow.Schema:
        """The table's Arrow schema, its pandas metadata true of every part."""
        if name in self.small:
            return parquet.to_arrow(self.small[name], schema_for(name)).schema
        paths = [self._path(name, part) for part in range(self.count)]
        return frames.one_schema([pyarrow.ipc.open_file(path).schema for path in paths])

    def column(self, name: str, column: str) -> Iterator[pyarrow.ChunkedArray]:
        """One column of each part (of a SPLIT table), nothing else read."""
        for part in range(self.count):
            yield feather.read_table(self._path(name, part), columns=[column])[column]

    def rows(self, name: str) -> int:
        if name in self.small:
            return len(self.small[name])
        paths = [self._path(name, part) for part in range(self.count)]
        return sum(pyarrow.ipc.open_file(path).count_rows() for path in paths)

    def frame(self, name: str) -> pd.DataFrame:
        """The whole table as a frame: for a small table, or a small corpus (tests)."""
        if name in self.small:
            return self.small[name]
        return frames.from_arrow(pyarrow.concat_tables(list(self.parts(name))))
