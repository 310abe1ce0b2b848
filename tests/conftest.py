"""Shared fixtures: a throwaway copy of the project to release into."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

if TYPE_CHECKING:  # csedata is imported in the fixtures: after the settings below
    from csedata.registry import Source
    from csedata.spec import Declarations
    from csedata.validation import Validated

# Prefect reads these when first imported: no network, quiet logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# a busy 2-core machine can take longer than Prefect's default 20 s to start its API
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
REPO = Path(__file__).resolve().parent.parent
# One Prefect database per checkout: parallel checkouts never share a SQLite file.
os.environ.setdefault("PREFECT_HOME", str(REPO / ".cache" / "prefect"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
# The first start migrates a new database; 20 s (the default) is too short on 2 busy cores.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def copy_project(root: Path) -> Path:
    """``root`` made a project with the real raw files, registry, specs and vocabularies."""
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "flows" / "specs", root / "flows" / "specs")
    shutil.copytree(REPO / "flows" / "vocabularies", root / "flows" / "vocabularies")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the real raw files, registry and specs, and no release."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """One Prefect API server (temporary database) for every flow test of the session.

    Subprocesses (the CLI as a user runs it) get its address in PREFECT_API_URL, so
    no second server ever writes to the same SQLite file.
    """
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Source], Path]:
    """The real sources and their batch, extracted by the plain pipeline (no Prefect)."""
    from csedata import pipeline
    from csedata.registry import load_registry

    root = copy_project(tmp_path_factory.mktemp("frames"))
    sources = [source for _, source in sorted(load_registry(root).items())]
    return sources, pipeline.extract_batch(root, sources).path


@pytest.fixture(scope="session")
def built_frames(built: tuple[list[Source], Path]) -> dict[str, pd.DataFrame]:
    """The release's tables from the real raw files."""
    from csedata import pipeline

    sources, part = built
    return pipeline.assemble(REPO, sources, [part])


@pytest.fixture(scope="session")
def declarations(built: tuple[list[Source], Path]) -> dict[str, Declarations]:
    """What the real specs declare, as validation reads it: from the extracted batch."""
    from csedata import pipeline

    return pipeline.declarations([built[1]])


@pytest.fixture
def frames(built_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A copy of the release's tables for one test to change."""
    return {name: df.copy() for name, df in built_frames.items()}


@pytest.fixture(scope="session")
def validate(
    declarations: dict[str, Declarations],
) -> Callable[[dict[str, pd.DataFrame]], Validated]:
    """Run every check over tables a test built, as publishing needs (raises on an error)."""
    from csedata import validation

    def run(frames: dict[str, pd.DataFrame]) -> Validated:
        return validation.check(REPO, frames, declarations).valid()

    return run


# a copy of the project, its extracted tables and what its specs declare
Checked = tuple[Path, dict[str, pd.DataFrame], "dict[str, Declarations]"]


@pytest.fixture(scope="session")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    """A copy of the project and its extraction, shared by the tests of its report."""
    from csedata import pipeline
    from csedata.registry import load_registry

    root = copy_project(tmp_path_factory.mktemp("checked"))
    report = pipeline.check_project(root, None)  # extracts into root/.cache
    assert report.summary.errors == 0
    sources = [source for _, source in sorted(load_registry(root).items())]
    batch = pipeline.extract_batch(root, sources)
    assert batch.cached  # check_project extracted the same batch
    return root, pipeline.assemble(root, sources, [batch.path]), pipeline.declarations([batch.path])
