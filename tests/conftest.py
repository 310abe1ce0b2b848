"""Shared fixtures: a throwaway copy of the project to release into."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

# Prefect reads these when first imported: no network, quiet logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# On a busy 2-core machine the embedded API can take longer than its 20 s default.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
REPO = Path(__file__).resolve().parent.parent
# One Prefect database per checkout: parallel checkouts never share a SQLite file.
os.environ.setdefault("PREFECT_HOME", str(REPO / ".cache" / "prefect"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the real raw files, registry and specs, and no release."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "flows" / "specs", root / "flows" / "specs")
    return root


@pytest.fixture(scope="session")
def built_frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The release's tables from the real raw files, by the plain pipeline (no Prefect)."""
    from csedata import pipeline
    from csedata.registry import load_registry

    root = tmp_path_factory.mktemp("frames")
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "flows" / "specs", root / "flows" / "specs")
    registry = load_registry(root)
    ids = sorted(registry)
    parts = [str(pipeline.extract_source(root, registry[i])[0]) for i in ids]
    return pipeline.assemble(root, ids, parts)


@pytest.fixture
def frames(built_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A copy of the release's tables for one test to change."""
    return {name: df.copy() for name, df in built_frames.items()}
