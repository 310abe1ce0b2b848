"""Shared fixtures: a throwaway copy of the project to release into."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Prefect reads these when first imported: no network, quiet logs.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
REPO = Path(__file__).resolve().parent.parent
# One Prefect database per checkout: parallel checkouts never share a SQLite file.
os.environ.setdefault("PREFECT_HOME", str(REPO / ".cache" / "prefect"))
os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)  # Prefect creates only the last level


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the real raw files, registry and specs, and no release."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "raw", root / "raw")
    shutil.copytree(REPO / "flows" / "specs", root / "flows" / "specs")
    return root
