"""Put the HTML fixtures (tests/fixtures/html) in place of a project's text captures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

HTML = Path(__file__).resolve().parent / "fixtures" / "html"


def as_html(root: Path, url: str | None = None) -> dict[str, bytes]:
    """Register each text source's HTML page as its current raw file (and, given a site's
    ``url`` prefix, every source's address as ``url/<source_id>``); returns the pages by
    source id. A source already published as HTML or PDF keeps its file, and its page
    is that file."""
    path = root / "raw" / "sources.yaml"
    data = yaml.safe_load(path.read_text())
    pages = {}
    for entry in data["sources"]:
        sid = entry["source_id"]
        if entry["media_type"] != "text/plain":
            pages[sid] = (root / "raw" / entry["file"]).read_bytes()
        else:
            pages[sid] = (HTML / f"{sid}.html").read_bytes()
            (root / "raw" / f"{sid}.html").write_bytes(pages[sid])
            entry.update(
                file=f"{sid}.html",
                sha256=hashlib.sha256(pages[sid]).hexdigest(),
                bytes=len(pages[sid]),
                media_type="text/html",
            )
        if url is not None:
            entry["url"] = f"{url}/{sid}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return pages


CHANGED = "ussc-2021-production"  # the source whose page change_value edits


def change_value(page: bytes) -> bytes:
    """The page of CHANGED with one statistic changed: a cell of its Method of Production
    table and its percentage of 512. Every spec entry still matches: a patch release."""
    old, new = b"<td>66</td><td>12.9%</td>", b"<td>67</td><td>13.1%</td>"
    assert old in page
    return page.replace(old, new)
