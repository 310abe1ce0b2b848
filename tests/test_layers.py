"""The shape of the house: rooms import downwards only (checking a release needs no
extraction), and no module or function outgrows the size a reader takes in at once."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import REPO

EXTRACTION = ("csedata.extract", "csedata.ledger", "csedata.pipeline", "csedata.numbers")


@pytest.mark.parametrize("module", ["csedata.verify", "csedata.validation", "csedata.report"])
def test_checking_imports_no_extraction(module: str) -> None:
    code = f"import sys, {module}; print(sorted(set(sys.modules) & set({EXTRACTION!r})))"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == "[]", f"{module} imports {found}"


SIZED = ("csedata/**/*.py", "schemas/*.py", "flows/*.py", "benchmarks/*.py")
MAX_FUNCTION, MAX_MODULE = 60, 400  # lines, as the house rules say


def oversized(name: str, source: str) -> list[str]:
    """Each function (method, nested or async too) over MAX_FUNCTION lines, and the module
    itself if over MAX_MODULE."""
    found = [
        f"{name}: {node.name} is {length} lines"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION
    ]
    if (lines := len(source.splitlines())) > MAX_MODULE:
        found.append(f"{name} is {lines} lines")
    return found


def _function(name: str, lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x = {i}\n" for i in range(lines - 1))
    return f"{indent}def {name}() -> None:\n{body}"


def test_the_size_scan_finds_what_is_too_long() -> None:
    assert oversized("ok.py", _function("fits", MAX_FUNCTION)) == []
    method = "class Planted:\n" + _function("method", MAX_FUNCTION + 1, "    ")
    assert oversized("planted.py", _function("planted", MAX_FUNCTION + 1) + method) == [
        f"planted.py: planted is {MAX_FUNCTION + 1} lines",
        f"planted.py: method is {MAX_FUNCTION + 1} lines",
    ]
    assert oversized("ok.py", "x = 1\n" * MAX_MODULE) == []
    assert oversized("long.py", "x = 1\n" * (MAX_MODULE + 1)) == [
        f"long.py is {MAX_MODULE + 1} lines"
    ]


def test_no_function_over_60_lines_nor_module_over_400() -> None:
    paths = sorted({path for pattern in SIZED for path in REPO.glob(pattern)})
    assert REPO / "csedata" / "extract.py" in paths and REPO / "benchmarks" / "run.py" in paths
    found = [
        problem
        for path in paths
        for problem in oversized(str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
    ]
    assert found == []
