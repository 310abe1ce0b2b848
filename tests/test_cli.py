"""The command line used wrongly: a root that is no folder, an unknown option or command.

Each answer is one line on stderr naming what was wrong and where help is, with exit
code 1 for a bad root (like any bad input) and 2 for a usage error (as click has it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from typer.main import get_command
from typer.testing import CliRunner

import csedata
from csedata import store
from csedata.cli import app
from csedata.errors import CsedataError
from schemas import SCHEMA_VERSION

GROUP = get_command(app)
ROOTED = sorted(
    name
    for name, command in getattr(GROUP, "commands", {}).items()
    if any(param.name == "root" for param in command.params)
)


def test_every_command_takes_a_root() -> None:
    assert {"release", "verify", "validate", "add-source"} <= set(ROOTED)


@pytest.mark.parametrize("command", ROOTED)
def test_a_root_that_is_no_folder_is_named(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    done = CliRunner().invoke(app, [command, "--root", str(missing)])
    assert (done.exit_code, done.stdout) == (1, "")
    assert done.stderr == f"error: {missing}: no such folder (--root)\n"


def test_a_root_from_the_environment_is_named_so(tmp_path: Path) -> None:
    afile = tmp_path / "file"
    afile.write_text("")
    done = CliRunner().invoke(app, ["verify", "--all"], env={"CSEDATA_ROOT": str(afile)})
    assert (done.exit_code, done.stderr) == (1, f"error: {afile}: no such folder (CSEDATA_ROOT)\n")


def _tree(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"))


@pytest.mark.parametrize("command", ROOTED)
def test_a_folder_that_is_no_project_is_named(command: str, tmp_path: Path) -> None:
    """A folder with neither raw/sources.yaml nor processed/ stops every command before it
    writes anything, with the absolute folder (a relative raw/sources.yaml names no place)."""
    (tmp_path / "notes.txt").write_text("")
    before = _tree(tmp_path)
    done = CliRunner().invoke(app, [command, "--root", str(tmp_path)])
    assert (done.exit_code, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: {tmp_path.resolve()}: not a csedata project: no raw/sources.yaml or "
        "processed/ (point --root or CSEDATA_ROOT at the project folder)\n"
    )
    assert _tree(tmp_path) == before


def test_releases_without_their_raw_files_need_the_registry_to_build(tmp_path: Path) -> None:
    """A copy of processed/ alone can be verified, but a release needs raw/sources.yaml."""
    (tmp_path / "processed").mkdir()
    done = CliRunner().invoke(app, ["release", "--root", str(tmp_path)])
    assert done.exit_code == 1
    assert done.stderr.startswith(
        f"error: {tmp_path.resolve()}: not a csedata project: no raw/sources.yaml ("
    )


def test_verify_before_the_first_release_names_the_folder(project: Path) -> None:
    done = CliRunner().invoke(app, ["verify", "--root", str(project)])
    assert done.exit_code == 1
    assert done.stderr == f"error: {project.resolve() / 'processed' / 'LATEST'}: no release yet\n"


def test_load_outside_the_project_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(CsedataError) as raised:
        csedata.load(root=tmp_path)
    message = str(raised.value)
    assert str(tmp_path / "processed") in message and "root=" in message


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["release", "--frobnicate"], "No such option: --frobnicate (./run release --help"),
        (["--bogus"], "No such option: --bogus (./run --help"),
        (["relase"], "No such command 'relase'. Did you mean 'release'? (./run --help"),
        (["verify", "--al"], "No such option: --al (Possible options: --all, --help)"),
        (["diff", "1.0.0"], "Missing argument 'new'. (./run diff --help"),
    ],
)
def test_a_usage_error_is_one_line(args: list[str], line: str) -> None:
    done = CliRunner().invoke(app, args, prog_name="./run")
    assert done.exit_code == 2
    assert done.stderr.startswith(f"error: {line}")
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_help_reflows_docstrings() -> None:
    """A docstring's line breaks are not the terminal's: the commands' help is whole
    paragraphs, and the main help gives the order of a new source's commands."""
    done = CliRunner().invoke(app, ["--help"], prog_name="./run", env={"COLUMNS": "300"})
    assert done.exit_code == 0
    assert "listing every table and number token" in done.stdout
    assert "Exit 0 when nothing needs a decision" in done.stdout
    assert "add-source → check-spec (until clean) → release" in done.stdout


def test_verify_all_says_which_releases_had_their_tables_validated(tmp_path: Path) -> None:
    """Only a release written under the current schemas is re-validated; verify says which."""
    shutil.copytree(REPO / "processed", tmp_path / "processed", ignore=shutil.ignore_patterns(".*"))
    done = CliRunner().invoke(app, ["verify", "--all", "--root", str(tmp_path)])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert len(lines) == len(store.versions(tmp_path))
    for line, version in zip(lines, store.versions(tmp_path), strict=True):
        written = store.read_manifest(tmp_path / "processed" / version).get("schema_version")
        current = f"tables re-validated under schema version {SCHEMA_VERSION})"
        assert line.endswith(current) == (written == SCHEMA_VERSION), line
        assert line.endswith("bytes and claims only, tables not re-validated)") != (
            written == SCHEMA_VERSION
        ), line
