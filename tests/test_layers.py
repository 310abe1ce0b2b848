"""The rooms of the house import downwards only: checking a release needs no extraction."""

from __future__ import annotations

import subprocess
import sys

import pytest

EXTRACTION = ("csedata.extract", "csedata.ledger", "csedata.pipeline", "csedata.numbers")


@pytest.mark.parametrize("module", ["csedata.verify", "csedata.validation", "csedata.report"])
def test_checking_imports_no_extraction(module: str) -> None:
    code = f"import sys, {module}; print(sorted(set(sys.modules) & set({EXTRACTION!r})))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]", f"{module} imports {found}"
