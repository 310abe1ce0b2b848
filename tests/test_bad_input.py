"""Bad input and faults, planted in a copy of the project as a hostile but fair tester would.

Each case runs the real command line in a subprocess and expects the promise of
the README: exit code 1, exactly one line on stderr that names the file, no
traceback, and processed/ byte for byte as it was. Disk faults are real: a
read-only or full file system is a tmpfs mounted over processed/ (as root), or,
for a user who cannot mount, a folder without write permission.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from localsite import Page, Site, tree

from csedata.publish import release_lock
from csedata.refresh import refresh_sources
from csedata.registry import load_registry

SPEC = "flows/specs/ussc-2021-production.yaml"
REGISTRY = "raw/sources.yaml"
SID = "advocacy-fact-page"  # registered without a URL: the network cases give it one
ROOT = os.geteuid() == 0
# ~700 bytes that would expand into 9**9 strings: refused before anything expands
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture
def released(project: Path) -> Path:
    """The project copy with the committed releases, so there is something to lose."""
    shutil.copytree(REPO / "processed", project / "processed", ignore=shutil.ignore_patterns(".*"))
    return project


def cli(
    root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csedata", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def assert_refused(done: subprocess.CompletedProcess[str], names: str) -> str:
    """Exit 1, one line on stderr naming ``names``, no traceback; returns the line."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ") and names in lines[0], lines[0]
    return lines[0]


def _edit(root: Path, rel: str, change: Callable[[bytes], bytes]) -> None:
    path = root / rel
    path.write_bytes(change(path.read_bytes()))


def _point(root: Path, source_id: str, **fields: object) -> None:
    """Change a registry entry's fields (the file is rewritten as plain YAML)."""
    path = root / REGISTRY
    data = yaml.safe_load(path.read_text())
    next(s for s in data["sources"] if s["source_id"] == source_id).update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _escape_by_symlink(root: Path) -> None:
    """A raw file that is a link to a file outside raw/, whose checksum the registry has."""
    source = load_registry(root)[SID]
    outside = root / "outside.txt"
    shutil.copy(root / "raw" / source.file, outside)
    link = root / "raw" / "linked.txt"
    link.symlink_to(Path("..") / "outside.txt")
    _point(root, SID, file="linked.txt")


def _bad_pattern(root: Path) -> None:
    with (root / "flows/specs/_patterns.yaml").open("a") as handle:
        handle.write("  - pattern: '(unclosed'\n    reason: year\n    note: planted\n")


# id: (plant, command, the name the error line must hold, environment)
Case = tuple[Callable[[Path], None], list[str], str, dict[str, str]]
CASES: dict[str, Case] = {
    "spec-not-utf8": (
        lambda r: _edit(r, SPEC, lambda b: b.replace(b"tables:", b"tables: \xff", 1)),
        ["validate"],
        f"{SPEC}:",
        {},
    ),
    "registry-not-utf8": (
        lambda r: _edit(r, REGISTRY, lambda b: b.replace(b"publisher:", b"publisher: \xfe", 1)),
        ["release"],
        f"{REGISTRY}:",
        {},
    ),
    "registry-alias-bomb": (
        lambda r: _edit(r, REGISTRY, lambda b: BOMB.encode() + b),
        ["release"],
        REGISTRY,
        {},
    ),
    "spec-alias-bomb": (
        lambda r: _edit(
            r, SPEC, lambda b: b + b"\nbomb:\n  " + BOMB.replace("\n", "\n  ").encode()
        ),
        ["validate"],
        SPEC,
        {},
    ),
    "spec-alias-bomb-release": (
        lambda r: _edit(
            r, SPEC, lambda b: b + b"\nbomb:\n  " + BOMB.replace("\n", "\n  ").encode()
        ),
        ["release"],
        SPEC,
        {},
    ),
    "spec-not-yaml": (
        lambda r: _edit(r, SPEC, lambda b: b + b"\n  - [unclosed\n"),
        ["validate"],
        f"{SPEC}:",
        {},
    ),
    "spec-figure-value-truncated": (  # "61.3" of "61.3%" would be released as a count
        lambda r: _edit(r, SPEC, lambda b: b.replace(b"value: 61.3%", b'value: "61.3"', 1)),
        ["release"],
        f"{SPEC}: figures (prepubescent-victims): value '61.3' is part of '61.3%'",
        {},
    ),
    "pattern-not-a-regex": (_bad_pattern, ["validate"], "flows/specs/_patterns.yaml", {}),
    "registry-over-yaml-limit": (
        lambda r: None,
        ["release"],
        REGISTRY,
        {"CSEDATA_MAX_YAML_BYTES": "100"},
    ),
    "raw-over-size-limit": (
        lambda r: None,
        ["release"],
        "raw/",
        {"CSEDATA_MAX_RAW_BYTES": "1000"},
    ),
    "limit-not-a-number": (
        lambda r: None,
        ["release"],
        "CSEDATA_MAX_RAW_BYTES",
        {"CSEDATA_MAX_RAW_BYTES": "lots"},
    ),
    "raw-symlink-outside-raw": (_escape_by_symlink, ["release"], "raw/linked.txt", {}),
    "release-parquet-unreadable": (
        lambda r: _edit(r, "processed/2.0.0/observations.parquet", lambda b: b[: len(b) // 2]),
        ["diff", "1.0.1", "2.0.0"],
        "observations.parquet",
        {},
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_is_one_line(released: Path, prefect_api: str, case: str) -> None:
    plant, command, names, env = CASES[case]
    plant(released)
    (released / "processed" / ".lock").touch()  # the lock file may be there already
    before = tree(released / "processed")
    started = time.monotonic()
    done = cli(released, *command, env={"PREFECT_API_URL": prefect_api, **env})
    assert_refused(done, names)
    assert time.monotonic() - started < 120  # an alias bomb is refused, not expanded
    assert tree(released / "processed") == before


@contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[None]:
    """A tmpfs over ``folder`` holding what was there; unmounted afterwards."""
    keep = folder.with_name(folder.name + ".before")
    shutil.move(folder, keep)
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        shutil.copytree(keep, folder, dirs_exist_ok=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.skipif(not ROOT, reason="mounting a full file system needs root")
def test_disk_full_is_one_line(released: Path, prefect_api: str) -> None:
    """processed/ on a file system with no space left: the release cannot be written."""
    with tmpfs(released / "processed", "size=4m"):
        (released / "processed" / ".lock").touch()  # the lock file may be there already
        filler = released / "processed" / ".filler"
        with (
            filler.open("wb", buffering=0) as handle,
            pytest.raises(OSError, match="No space left"),
        ):
            for _ in range(4 * 1024):  # fill it up
                handle.write(b"\0" * 1024)
        _point(released, SID, title="A changed title: a new release to write")
        before = tree(released / "processed")
        done = cli(released, "release", env={"PREFECT_API_URL": prefect_api})
        line = assert_refused(done, "processed")
        assert "No space left on device" in line
        assert tree(released / "processed") == before


def test_read_only_processed_is_one_line(released: Path, prefect_api: str) -> None:
    """processed/ read-only: a read-only tmpfs as root, else a folder without write permission."""
    _point(released, SID, title="A changed title: a new release to write")
    processed = released / "processed"
    if ROOT:
        with tmpfs(processed, "size=4m"):
            subprocess.run(["mount", "-o", "remount,ro", str(processed)], check=True)
            before = tree(processed)
            done = cli(released, "release", env={"PREFECT_API_URL": prefect_api})
            assert "Read-only file system" in assert_refused(done, "processed/.lock")
            assert tree(processed) == before
        return
    processed.chmod(0o555)
    try:
        before = tree(processed)
        done = cli(released, "release", env={"PREFECT_API_URL": prefect_api})
        assert "Permission denied" in assert_refused(done, "processed/.lock")
        assert tree(processed) == before
    finally:
        processed.chmod(0o755)


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as running:
        yield running


def test_slow_server_meets_the_deadline(project: Path, site: Site) -> None:
    """A server sending a byte every 0.3 s (each read within its timeout) is cut off at the
    per-source deadline; the command exits 1 and registers nothing."""
    site.pages["/slow"] = Page(b"x" * 400, trickle=0.3)
    _point(project, SID, url=site.url("/slow"))
    before = tree(project / "raw")
    started = time.monotonic()
    done = cli(project, "refresh", "--source", SID, env={"CSEDATA_FETCH_DEADLINE": "2"}, timeout=60)
    assert time.monotonic() - started < 30
    assert "deadline" in done.stdout, done.stdout
    assert_refused(done, REGISTRY)
    assert tree(project / "raw") == before


def test_refresh_run_deadline(project: Path, site: Site) -> None:
    site.pages["/slow"] = Page(b"x" * 400, trickle=0.3)
    _point(project, SID, url=site.url("/slow"))
    started = time.monotonic()
    done = cli(
        project, "refresh", "--source", SID, env={"CSEDATA_REFRESH_DEADLINE": "2"}, timeout=60
    )
    assert time.monotonic() - started < 30
    assert "deadline" in done.stdout and done.returncode == 1


def test_refresh_holds_no_lock_while_it_waits(project: Path, site: Site) -> None:
    """While a download trickles, a release can take the lock (none is held)."""
    import threading

    site.pages["/slow"] = Page(b"x" * 20, trickle=0.2)
    _point(project, SID, url=site.url("/slow"))
    worker = threading.Thread(target=refresh_sources, args=(project, [SID]))
    worker.start()
    while not site.requests:
        time.sleep(0.05)
    with release_lock(project):  # would raise "another release is running"
        pass
    worker.join()


def test_redirect_to_another_host_is_refused(project: Path, site: Site) -> None:
    with Site() as elsewhere:
        elsewhere.pages["/page"] = Page(b"Content from another server.\n")
        site.pages["/moved"] = Page(b"", redirect=elsewhere.url("/page"))
        _point(project, SID, url=site.url("/moved"))
        before = tree(project / "raw")
        done = cli(project, "refresh", "--source", SID, timeout=60)
        assert "redirected to" in done.stdout, done.stdout
        assert_refused(done, REGISTRY)
        assert tree(project / "raw") == before
        assert elsewhere.requests == []
        # allowed by the registry entry, the redirect is followed
        host = elsewhere.url("/").split("/")[2]
        _point(project, SID, redirect_hosts=[host])
        done = cli(project, "refresh", "--source", SID, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"{SID}: changed" in done.stdout


def test_verbose_adds_the_traceback(project: Path) -> None:
    """--verbose is for finding the cause: the traceback, then the same one line."""
    _edit(project, SPEC, lambda b: b.replace(b"tables:", b"tables: \xff", 1))
    done = cli(project, "validate", "--verbose")
    assert done.returncode == 1
    assert "Traceback" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"error: {SPEC}:")


def test_help_is_also_h() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "csedata", "verify", "-h"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "--all" in done.stdout
