"""The release flow with --refresh, end to end: Prefect's engine, a real local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import yaml
from localsite import Page, Site, mirror, tree
from typer.testing import CliRunner

from csedata.cli import app, run_release
from csedata.errors import CsedataError
from csedata.registry import load_registry
from csedata.summary import RunResult

MISSING = "alphanews-2016-minnesota"  # its URL answers 404 throughout


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def statuses(outcome: RunResult) -> dict[str, str]:
    return {r.source_id: r.status for r in outcome.refresh or []}


def _refresh_by_the_command(
    project: Path, site: Site, monkeypatch: pytest.MonkeyPatch, released: dict[str, str]
) -> None:
    """Again, by the command: conditional requests, 304s; a warning line, exit 0, and
    the release folder untouched."""
    n_sources = len(load_registry(project))
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", "WARNING")  # the command sets it; restored after
    done = CliRunner().invoke(
        app, ["release", "--refresh", "--batch-size", "1", "--root", str(project)]
    )
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines() == [
        f"warning: {MISSING}: {site.url('/gone')}: HTTP 404; "
        "kept raw/alphanews-2016-11-minnesota-sentencing-practices.txt"
    ]
    assert done.stdout == (
        f"refresh: {n_sources} sources checked: {n_sources - 1} not-modified, 1 failed; "
        f"up to date: release 1.0.0 at {project / 'processed' / '1.0.0'} "
        "(nothing written: same statistics as the latest release; "
        f"0 sources extracted, {n_sources} from cache); "
        # the real sources hold one disagreement no one has reviewed (test_validation_flow)
        "needs a decision: 1 unreviewed warning "
        f"(see {project / 'processed' / '1.0.0' / 'validation' / 'report.html'})\n"
    )
    assert tree(project / "processed") == released


def _unmatched_content_is_refused(project: Path, site: Site, texts: dict[str, bytes]) -> None:
    """New content the spec no longer matches: one-line error, no release, snapshot kept."""
    before = tree(project / "processed")
    sid = "ussc-2021-production"
    site.pages[f"/{sid}"] = Page(texts[sid].replace(b"61.3%", b"62.0%"), etag='"newer"')
    with pytest.raises(CsedataError) as caught:
        run_release(project, None, refresh=True, batch_size=1)
    message = str(caught.value)
    assert "\n" not in message
    assert message.endswith(f"(new content this run: {sid}; check the spec)")
    assert "PREPUBESCENT VICTIMS" in message
    assert tree(project / "processed") == before
    registry = yaml.safe_load((project / "raw" / "sources.yaml").read_text())["sources"]
    entry = next(e for e in registry if e["source_id"] == sid)
    assert entry["file"].startswith(f"snapshots/{sid}/")
    assert len(entry["snapshots"]) == 1


def test_refresh_then_release(
    project: Path, site: Site, monkeypatch: pytest.MonkeyPatch, prefect_api: str
) -> None:
    texts = mirror(project, site, missing=MISSING)
    n_sources = len(load_registry(project))
    first = run_release(project, None, batch_size=1)  # without --refresh: no request at all
    assert site.requests == []
    assert (first.release.status, first.release.version) == ("written", "1.0.0")
    n = first.observations
    released = tree(project / "processed")

    # nothing changed upstream: full downloads equal to the snapshots, nothing written
    second = run_release(project, None, refresh=True, batch_size=1)
    assert statuses(second) == {sid: "unchanged" for sid in texts} | {MISSING: "failed"}
    assert (second.release.status, second.extracted, second.cached) == ("unchanged", 0, n_sources)
    assert second.summary.startswith(
        f"refresh: {n_sources} sources checked: {n_sources - 1} unchanged, 1 failed; "
        "up to date: release 1.0.0 at "
    )
    assert tree(project / "processed") == released

    _refresh_by_the_command(project, site, monkeypatch, released)

    # new content that the spec still reads: one source extracted, a new release
    sid = "advocacy-fact-page"
    site.pages[f"/{sid}"] = Page(b"Reviewed page.\n" + texts[sid], etag='"new"')
    fourth = run_release(project, None, refresh=True, batch_size=1)
    assert statuses(fourth)[sid] == "changed"
    assert (fourth.release.status, fourth.release.previous, fourth.release.version) == (
        "written",
        "1.0.0",
        "1.0.1",
    )
    assert (fourth.extracted, fourth.cached) == (1, 4)
    assert f"(release 1.0.0 -> 1.0.1; observations {n} -> {fourth.observations};" in (
        fourth.summary
    )
    sources = pd.read_parquet(project / "processed" / "1.0.1" / "sources.parquet")
    row = sources.set_index("source_id").loc[sid]
    assert row["file"].startswith(f"snapshots/{sid}/")
    assert row["content_type"] == "text/plain"
    assert {k: v for k, v in tree(project / "processed").items() if k.startswith("1.0.0/")} == {
        k: v for k, v in released.items() if k.startswith("1.0.0/")
    }

    _unmatched_content_is_refused(project, site, texts)


def test_refresh_of_one_source_publishes_every_source(
    project: Path, site: Site, built_frames: dict[str, pd.DataFrame], prefect_api: str
) -> None:
    """--source narrows the download, never the release: a fresh project refreshed for one
    source gets a first release of every registered source, and a later run over another
    source finds it up to date."""
    texts = mirror(project, site)
    sid, other = sorted(texts)[:2]
    first = run_release(project, [sid], refresh=True, batch_size=1)
    assert statuses(first) == {sid: "unchanged"}
    assert [path for path, _ in site.requests] == [f"/{sid}"]
    assert (first.release.status, first.release.version) == ("written", "1.0.0")
    released = project / "processed" / "1.0.0"
    assert sorted(pd.read_parquet(released / "sources.parquet")["source_id"]) == sorted(texts)
    observations = pd.read_parquet(released / "observations.parquet")
    expected = built_frames["observations"]
    assert list(observations["observation_id"]) == list(expected["observation_id"])

    again = run_release(project, [other], refresh=True, batch_size=1)
    assert statuses(again) == {other: "unchanged"}  # first download of it: in full
    assert (again.release.status, again.release.version) == ("unchanged", "1.0.0")
