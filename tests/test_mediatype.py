"""csedata.mediatype: a raw file's media type told by its content, checked on every read."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from csedata.errors import CsedataError
from csedata.mediatype import UnknownMedia, sniff
from csedata.registry import load_registry, read_bytes

ROOT = Path(__file__).resolve().parents[1]
PAGE = b"<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>12 cases</p></body></html>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (PAGE, "text/html"),
        (b"\xef\xbb\xbf  <html><body>x</body></html>", "text/html"),
        (b"<!-- a comment -->\n<html><body>x</body></html>", "text/html"),
        (b"## Heading\n\nThe page says <b> is bold; 12 cases.\n", "text/plain"),
        (b"A PDF starts with %PDF- but this is text\n", "text/plain"),
    ],
)
def test_sniff(data: bytes, expected: str) -> None:
    assert sniff(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "nor UTF-8 text (byte 0)"),
        (b"<html><!-- no body -->", "no <html> document with a <body>"),
    ],
)
def test_sniff_refuses_what_no_converter_reads(data: bytes, reason: str) -> None:
    with pytest.raises(UnknownMedia, match=re.escape(reason)):
        sniff(data)


def test_every_registered_file_is_what_the_registry_says() -> None:
    for source in load_registry(ROOT).values():
        assert sniff(read_bytes(ROOT, source)) == source.media_type


@pytest.mark.parametrize(("media_type", "found"), [("text/html", "text/plain")])
def test_a_registered_type_the_content_contradicts_is_refused(
    tmp_path: Path, media_type: str, found: str
) -> None:
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    registry = tmp_path / "raw" / "sources.yaml"
    text = registry.read_text()
    registry.write_text(text.replace("media_type: text/plain", f"media_type: {media_type}", 1))
    source = next(iter(load_registry(tmp_path).values()))
    with pytest.raises(CsedataError) as exc:
        read_bytes(tmp_path, source)
    assert str(exc.value) == (f"raw/{source.file}: content is {found}, registry says {media_type}")


def test_html_bytes_registered_as_text_are_refused(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "raw", tmp_path / "raw")
    source = next(iter(load_registry(tmp_path).values()))
    (tmp_path / "raw" / "page.html").write_bytes(PAGE)
    moved = source.model_copy(
        update={"file": "page.html", "sha256": hashlib.sha256(PAGE).hexdigest(), "bytes": len(PAGE)}
    )
    with pytest.raises(CsedataError, match="content is text/html, registry says text/plain"):
        read_bytes(tmp_path, moved)
