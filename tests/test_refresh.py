"""Refreshing a source over HTTP, against a real server on 127.0.0.1 (no Prefect)."""

from __future__ import annotations

import hashlib
import socket
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from localsite import Page, Site, tree
from typer.testing import CliRunner

from csedata.cli import app
from csedata.errors import CsedataError
from csedata.fetch import Limits
from csedata.publish import release_lock
from csedata.refresh import STATE, refresh_sources
from csedata.registry import load_registry, read_bytes

SID = "advocacy-fact-page"  # registered with no URL: each test gives it one
LIMITS = Limits(max_bytes=10_000, attempts=3, backoff=0.01, timeout=5)


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def point(project: Path, url: str, source_id: str = SID) -> None:
    path = project / "raw" / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    next(s for s in data["sources"] if s["source_id"] == source_id)["url"] = url
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def current(project: Path) -> bytes:
    return read_bytes(project, load_registry(project)[SID])


def refresh(project: Path, limits: Limits = LIMITS) -> tuple[str, str]:
    [result] = refresh_sources(project, [SID], limits)
    return result.status, result.detail


@pytest.mark.parametrize(
    "validators",
    [{"etag": '"v1"'}, {"last_modified": "Wed, 21 Oct 2015 07:28:00 GMT"}],
    ids=["etag", "last-modified"],
)
def test_unchanged_source_changes_nothing(
    project: Path, site: Site, validators: dict[str, str]
) -> None:
    site.pages["/fact"] = Page(current(project), **validators)  # type: ignore[arg-type]
    point(project, site.url("/fact"))
    before = tree(project / "raw")

    assert refresh(project)[0] == "unchanged"  # first time: a full download, same bytes
    assert refresh(project)[0] == "not-modified"  # then a conditional request and a 304
    sent = site.requests[-1][1]
    header = "If-None-Match" if "etag" in validators else "If-Modified-Since"
    assert sent[header] == next(iter(validators.values()))
    assert tree(project / "raw") == before


def test_changed_content_becomes_a_new_snapshot(project: Path, site: Site) -> None:
    old = load_registry(project)[SID]
    old_bytes = current(project)
    others = {k: v for k, v in load_registry(project).items() if k != SID}
    body = b"<html><body>Revised fact page.</body></html>\n"
    site.pages["/fact"] = Page(body, content_type="text/html; charset=utf-8", etag='"v2"')
    point(project, site.url("/fact"))

    status, detail = refresh(project)
    assert status == "changed"
    new = load_registry(project)[SID]
    digest = hashlib.sha256(body).hexdigest()
    today = datetime.now(UTC).date().isoformat()
    assert new.file == f"snapshots/{SID}/{today}-{digest[:12]}.html"
    assert detail == f"new snapshot raw/{new.file} (was raw/{old.file})"
    assert (new.sha256, new.bytes, new.accessed, new.content_type) == (
        digest,
        len(body),
        today,
        "text/html",
    )
    assert current(project) == body  # the registry's checksum verifies the new file
    assert not stat.S_IMODE((project / "raw" / new.file).stat().st_mode) & 0o222  # read-only
    # the old snapshot is kept, on disk and in the entry's history
    assert [(s.file, s.sha256, s.bytes) for s in new.snapshots] == [
        (old.file, old.sha256, old.bytes)
    ]
    assert (project / "raw" / old.file).read_bytes() == old_bytes
    # the rest of the registry is as it was
    assert {k: v for k, v in load_registry(project).items() if k != SID} == others

    # the same content again: nothing new
    before = tree(project / "raw")
    assert refresh(project)[0] == "not-modified"
    assert tree(project / "raw") == before

    # new content again: a second snapshot, the history in order
    site.pages["/fact"] = Page(b"<html><body>Revised twice.</body></html>\n", "text/html")
    assert refresh(project)[0] == "changed"
    history = load_registry(project)[SID].snapshots
    assert [s.file for s in history] == [old.file, new.file]
    assert len(list((project / "raw" / "snapshots" / SID).iterdir())) == 2


def test_server_error_then_success_is_retried(project: Path, site: Site) -> None:
    site.pages["/fact"] = Page(b"Fact page, new edition.\n", failures=[503, 500])
    point(project, site.url("/fact"))
    assert refresh(project)[0] == "changed"
    assert len(site.requests) == 3


@pytest.mark.parametrize(
    ("page", "limits", "reason", "requests"),
    [
        (Page(b"x", failures=[503] * 5), LIMITS, "HTTP 503 (after 3 attempts)", 3),
        (Page(b"x" * 20_000), LIMITS, "20000 bytes exceed the limit of 10000", 1),
        (Page(b"x" * 20_000, length=False), LIMITS, "response exceeds the limit of 10000", 1),
        (Page(b"\x89PNG\r\n", "image/png"), LIMITS, "content type image/png", 1),
        (Page(b"x", content_type=None), LIMITS, "content type (none)", 1),
        (Page(b""), LIMITS, "empty response", 1),
        (Page(b"x", delay=1.0), Limits(timeout=0.2, attempts=2, backoff=0.01), "timed out", 2),
    ],
    ids=["server-error", "oversized", "oversized-no-length", "image", "no-type", "empty", "slow"],
)
def test_refused_response_is_a_warning_and_changes_nothing(
    project: Path, site: Site, page: Page, limits: Limits, reason: str, requests: int
) -> None:
    site.pages["/fact"] = page
    point(project, site.url("/fact"))
    before = tree(project / "raw")
    status, detail = refresh(project, limits)
    assert status == "failed"
    assert reason in detail
    assert detail.endswith("; kept raw/advocacy-child-pornography-fact-page.txt")
    assert len(site.requests) == requests
    assert tree(project / "raw") == before


def test_client_error_is_not_retried(project: Path, site: Site) -> None:
    point(project, site.url("/gone"))
    assert refresh(project) == (
        "failed",
        f"{site.url('/gone')}: HTTP 404; kept raw/advocacy-child-pornography-fact-page.txt",
    )
    assert len(site.requests) == 1


def test_connection_refused(project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    point(project, f"http://127.0.0.1:{port}/fact")  # nothing listens there now
    before = tree(project / "raw")
    status, detail = refresh(project)
    assert status == "failed"
    assert "Connection refused (after 3 attempts)" in detail
    assert tree(project / "raw") == before


def test_lost_state_means_a_full_download_not_a_change(project: Path, site: Site) -> None:
    site.pages["/fact"] = Page(current(project), etag='"v1"')
    point(project, site.url("/fact"))
    assert refresh(project)[0] == "unchanged"
    (project / STATE).write_text("not json")
    assert refresh(project)[0] == "unchanged"
    assert "If-None-Match" not in site.requests[-1][1]


def test_source_without_url_is_skipped(project: Path) -> None:
    assert refresh(project) == ("no-url", "no URL registered")


def test_refresh_during_a_release_stops(project: Path, site: Site) -> None:
    """A refresh while a release runs stops at once: it would change the registry."""
    point(project, site.url("/fact"))
    with release_lock(project), pytest.raises(CsedataError, match="another release is running"):
        refresh(project)
    assert site.requests == []


def test_refresh_command(project: Path, site: Site) -> None:
    site.pages["/fact"] = Page(b"Fact page, new edition.\n")
    point(project, site.url("/fact"))
    runner = CliRunner()
    done = runner.invoke(app, ["refresh", "--root", str(project), "--source", SID])
    assert done.exit_code == 0, done.output
    new = load_registry(project)[SID]
    assert done.stdout.splitlines() == [
        f"{SID}: changed: new snapshot raw/{new.file} "
        "(was raw/advocacy-child-pornography-fact-page.txt)",
        "refresh: 1 source checked: 1 changed",
    ]
    done = runner.invoke(app, ["refresh", "--root", str(project), "--source", "nope"])
    assert done.exit_code == 1
    assert done.stderr == "error: raw/sources.yaml: unknown source id 'nope'\n"
