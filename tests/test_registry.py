"""csedata.registry: the raw source registry and checked reads of the raw files."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from csedata.errors import CsedataError
from csedata.registry import Source, load_registry, read_bytes, read_text, select

ROOT = Path(__file__).resolve().parents[1]
# the project's first five sources; the registry may hold more (a maintainer adds them)
FIRST_FIVE = [
    "ussc-2021-production",
    "itemp-2021-production",
    "alphanews-2016-minnesota",
    "minneapolis-2013-trafficking",
    "advocacy-fact-page",
]
ITEMP_FILE = "itemp-2021-11-16-production-offenders-all-time-high.txt"
USSC_FILE = "ussc-2021-10-production-offenses-overview.txt"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the project's raw/ folder, free to break."""
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    return tmp_path


def registry_path(root: Path) -> Path:
    return root / "raw" / "sources.yaml"


def edit_registry(root: Path, old: str, new: str, count: int = 1) -> None:
    path = registry_path(root)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def error_of(exc: pytest.ExceptionInfo[CsedataError]) -> str:
    message = str(exc.value)
    assert message.splitlines() == [message], f"not one line: {message!r}"
    return message


# --- the real registry ----------------------------------------------------------------


def test_real_registry_loads_every_source() -> None:
    sources = load_registry(ROOT)
    assert list(sources)[: len(FIRST_FIVE)] == FIRST_FIVE
    for source_id, source in sources.items():
        assert isinstance(source, Source)
        assert source.source_id == source_id
        assert (ROOT / "raw" / source.file).is_file()


@pytest.mark.parametrize("source_id", list(load_registry(ROOT)))
def test_read_bytes_matches_registered_checksum_and_size(source_id: str) -> None:
    source = load_registry(ROOT)[source_id]
    data = read_bytes(ROOT, source)
    assert hashlib.sha256(data).hexdigest() == source.sha256
    assert len(data) == source.bytes
    assert data == (ROOT / "raw" / source.file).read_bytes()
    if source.media_type != "application/pdf":  # text and HTML read as UTF-8 text
        assert read_text(ROOT, source).encode("utf-8") == data


def test_real_registry_fields() -> None:
    ussc = load_registry(ROOT)["ussc-2021-production"]
    assert ussc.file == USSC_FILE
    assert ussc.kind == "primary_statistics"
    assert ussc.jurisdiction == "US federal"
    assert ussc.published == "2021-10"
    advocacy = load_registry(ROOT)["advocacy-fact-page"]
    assert advocacy.published is None
    assert advocacy.url is None


def test_select() -> None:
    sources = load_registry(ROOT)
    assert select(sources, None) == sources
    assert select(sources, []) == sources
    chosen = select(sources, ["advocacy-fact-page", "ussc-2021-production"])
    assert list(chosen) == ["advocacy-fact-page", "ussc-2021-production"]


def test_copy_of_raw_reads_like_the_original(root: Path) -> None:
    for source in load_registry(root).values():
        assert read_text(root, source) == read_text(ROOT, source)


# --- bad raw files --------------------------------------------------------------------


def test_missing_raw_file(root: Path) -> None:
    (root / "raw" / ITEMP_FILE).unlink()
    source = load_registry(root)["itemp-2021-production"]
    with pytest.raises(CsedataError) as exc:
        read_text(root, source)
    message = error_of(exc)
    assert message.startswith(f"raw/{ITEMP_FILE}: ")
    assert "missing" in message
    assert "'itemp-2021-production'" in message


@pytest.mark.parametrize("position", [0, 1000, -1])
def test_changed_byte_is_a_checksum_mismatch(root: Path, position: int) -> None:
    path = root / "raw" / USSC_FILE
    data = bytearray(path.read_bytes())
    data[position] = ord("X") if data[position] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    source = load_registry(root)["ussc-2021-production"]
    with pytest.raises(CsedataError) as exc:
        read_text(root, source)
    message = error_of(exc)
    assert message.startswith(f"raw/{USSC_FILE}: ")
    assert "sha256" in message
    assert source.sha256[:12] in message
    assert hashlib.sha256(bytes(data)).hexdigest()[:12] in message


def test_appended_byte_is_refused(root: Path) -> None:
    path = root / "raw" / USSC_FILE
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(CsedataError) as exc:
        read_bytes(root, load_registry(root)["ussc-2021-production"])
    assert "sha256" in error_of(exc)


def test_wrong_size_with_right_checksum(root: Path) -> None:
    edit_registry(root, "bytes: 3073", "bytes: 3074")
    with pytest.raises(CsedataError) as exc:
        read_bytes(root, load_registry(root)["ussc-2021-production"])
    message = error_of(exc)
    assert message.startswith(f"raw/{USSC_FILE}: ")
    assert "size 3073 bytes, registry says 3074" in message


def test_raw_file_that_is_not_utf8(root: Path) -> None:
    data = b"caf\xe9 12 cases\n"
    (root / "raw" / "latin1.txt").write_bytes(data)
    source = load_registry(root)["ussc-2021-production"].model_copy(
        update={
            "file": "latin1.txt",
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
        }
    )
    with pytest.raises(CsedataError) as exc:
        read_text(root, source)
    message = error_of(exc)
    assert message.startswith("raw/latin1.txt: ")
    assert "nor UTF-8 text (byte 3)" in message


# --- bad registry entries -------------------------------------------------------------


@pytest.mark.parametrize("field", ["publisher", "sha256", "accessed", "citation"])
def test_entry_with_a_missing_field(root: Path, field: str) -> None:
    path = registry_path(root)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # drop the field's line from the second entry (itemp-2021-production)
    second = [i for i, ln in enumerate(lines) if ln.startswith("  - source_id:")][1]
    target = next(i for i in range(second, len(lines)) if lines[i].startswith(f"    {field}:"))
    del lines[target]
    if field == "citation":  # a folded block: drop its continuation lines too
        while target < len(lines) and lines[target].startswith("      "):
            del lines[target]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: entry 2 (itemp-2021-production): ")
    assert f"field '{field}' is missing" in message


@pytest.mark.parametrize("bad", ["../x.txt", "/etc/passwd", "sub/../../x.txt", "../raw/x.txt"])
def test_file_path_outside_raw(root: Path, bad: str) -> None:
    edit_registry(root, f"file: {ITEMP_FILE}", f"file: {bad}")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: entry 2 (itemp-2021-production): ")
    assert "field 'file'" in message
    assert "outside raw/" in message
    assert repr(bad) in message


def test_duplicate_source_id(root: Path) -> None:
    edit_registry(root, "source_id: alphanews-2016-minnesota", "source_id: itemp-2021-production")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: entry 3 (itemp-2021-production): ")
    assert "duplicate source_id 'itemp-2021-production'" in message


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("sha256: e518da8f", "sha256: E518DA8F", "field 'sha256'"),
        ("bytes: 15850", "bytes: 0", "field 'bytes'"),
        ("kind: news", "kind: blog", "field 'kind'"),
        ('accessed: "2026-11-23"', 'accessed: "23/11/2026"', "field 'accessed'"),
        ('accessed: "2026-11-23"', 'accessed: "2026-02-30"', "'2026-02-30' is not a date"),
        ('published: "2021-11-16"', 'published: "2021-13"', "'2021-13' is not a date"),
        ('published: "2021-11-16"', 'published: "2021-00-16"', "'2021-00-16' is not a date"),
        ("    publisher: Itemp", "    colour: blue\n    publisher: Itemp", "field 'colour'"),
    ],
)
def test_entry_with_an_invalid_field(root: Path, old: str, new: str, words: str) -> None:
    path = registry_path(root)
    text = path.read_text(encoding="utf-8")
    start = text.index("source_id: itemp-2021-production")
    end = text.index("source_id: alphanews-2016-minnesota")
    block = text[start:end]
    assert block.count(old) == 1
    path.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: entry 2 (itemp-2021-production): ")
    assert words in message


def test_unknown_source_id_in_select(root: Path) -> None:
    sources = load_registry(root)
    with pytest.raises(CsedataError) as exc:
        select(sources, ["ussc-2021-production", "no-such-source"])
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: ")
    assert "unknown source id 'no-such-source'" in message


def test_registry_that_is_not_valid_yaml(root: Path) -> None:
    edit_registry(root, "  - source_id: alphanews-2016-minnesota", "  - source_id: [alphanews")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    # the place is the line the YAML parser stopped at: raw/sources.yaml:<line>
    assert re.fullmatch(
        r"raw/sources\.yaml:\d+: not valid YAML: did not find expected ',' or '\]' "
        r"\(while parsing a flow sequence that starts at line \d+\)",
        message,
    )


def test_invalid_yaml_names_the_line(root: Path) -> None:
    edit_registry(root, "    publisher: Itemp Project", " publisher: Itemp Project")
    lines = registry_path(root).read_text(encoding="utf-8").splitlines()
    bad_line = next(
        i for i, ln in enumerate(lines, 1) if ln == " publisher: Itemp Project (itempnews.org)"
    )
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    assert error_of(exc) == (
        f"raw/sources.yaml:{bad_line}: not valid YAML: did not find expected key "
        "(while parsing a block mapping that starts at line 4)"
    )


@pytest.mark.parametrize(
    "content", ["just a string\n", "sources: 5\n", "- a\n- b\n", "other: []\n", ""]
)
def test_registry_without_a_sources_list(root: Path, content: str) -> None:
    registry_path(root).write_text(content, encoding="utf-8")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith("raw/sources.yaml: ")
    assert "'sources' list" in message


def test_registry_with_no_sources(root: Path) -> None:
    registry_path(root).write_text("sources: []\n", encoding="utf-8")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    assert "no sources registered" in error_of(exc)


def test_registry_file_missing(root: Path) -> None:
    registry_path(root).unlink()
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    message = error_of(exc)
    assert message.startswith(f"{root.resolve()}: not a csedata project: no raw/sources.yaml (")


def test_error_keeps_where_and_problem(root: Path) -> None:
    edit_registry(root, "source_id: alphanews-2016-minnesota", "source_id: itemp-2021-production")
    with pytest.raises(CsedataError) as exc:
        load_registry(root)
    assert exc.value.where == "raw/sources.yaml: entry 3 (itemp-2021-production)"
    assert exc.value.problem == "duplicate source_id 'itemp-2021-production'"
