"""YAML parsing for the registry and specs: one loader, one one-line error, one cache.

Building Python objects from YAML is most of what loading thousands of specs or
registry entries costs (PyYAML constructs them in Python even with libyaml); the
same data as JSON loads in a twentieth of the time. So each parse is kept under
.cache/yaml/, keyed by the file's sha256: a file is parsed once, however many
runs and processes read it. A first parse takes libyaml's nodes straight to
dicts, lists and strings (half of PyYAML's time), leaving any other node to
PyYAML's own constructor: the same data either way.

csedata's files use no anchors or aliases, so an alias that makes one object appear
twice is refused: a few hundred bytes of nested aliases (an "alias bomb") would
otherwise expand into gigabytes when the data is copied, hashed or validated. A file
above CSEDATA_MAX_YAML_BYTES is refused before it is read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from csedata import limits
from csedata.errors import CsedataError

# libyaml where PyYAML has it: thousands of registry entries and specs load 10x faster
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARSED = Path(".cache") / "yaml"


def _alias_line(text: str) -> str:
    """Where the first alias is (":<line>"), for the error message."""
    for event in yaml.parse(text, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            return f":{event.start_mark.line + 1}" if event.start_mark else ""
    return ""


def _refuse_aliases(data: Any, text: str, where: str) -> None:
    """Each mapping and list once: an alias would make one appear twice (shared, not copied)."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if id(node) in seen:
            raise CsedataError(
                where + _alias_line(text), "YAML anchors and aliases (&name, *name) are not allowed"
            )
        seen.add(id(node))
        stack.extend(node.values() if isinstance(node, dict) else node)


_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))
_PLAIN_TAGS: dict[tuple[str, tuple[bool, bool]], str] = {}  # labels repeat across specs


class _Loader(LOADER):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader, remembering the tag each plain scalar resolves to (without
    path resolvers, the tag depends on the scalar's text alone)."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode:
            tag: str = super().resolve(kind, value, implicit)
            return tag
        key = (value, implicit)
        if key not in _PLAIN_TAGS:
            if len(_PLAIN_TAGS) > 1 << 16:
                _PLAIN_TAGS.clear()
            _PLAIN_TAGS[key] = super().resolve(kind, value, implicit)
        return _PLAIN_TAGS[key]


class _Unusual(Exception):
    """A node the fast path leaves to PyYAML: a merge, an alias, a key that is no string."""


def _build(node: yaml.Node, loader: Any, seen: set[int]) -> Any:
    """The data of a node whose mappings and lists are plain; other scalars by PyYAML."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if id(node) in seen:
        raise _Unusual  # an alias: PyYAML's path builds the data and the check names it
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        data = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
                raise _Unusual
            data[key.value] = _build(value, loader, seen)
        return data
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_build(item, loader, seen) for item in node.value]
    raise _Unusual


def _load(text: str, where: str) -> Any:
    """The document as PyYAML's safe loader gives it (aliases refused)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _build(node, loader, set())
    except _Unusual:
        data = yaml.load(text, Loader=LOADER)
    finally:
        loader.dispose()
    _refuse_aliases(data, text, where)
    return data


def parse(text: str, where: str) -> Any:
    """The YAML document in ``text``; a syntax error names ``where`` and its line."""
    try:
        return _load(text, where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f":{mark.line + 1}" if mark is not None else ""
        raise CsedataError(where + place, "not valid YAML") from exc
    except RecursionError as exc:
        raise CsedataError(where, "not valid YAML: nested too deeply") from exc


def decode(raw: bytes, where: str) -> str:
    """``raw`` as UTF-8; a bad byte is named by its line and offset in the file."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problem = f"byte {exc.start} (0x{raw[exc.start]:02x}) is not UTF-8"
        raise CsedataError(f"{where}:{line}", problem) from exc


def read_limited(path: Path, where: str, limit: str) -> bytes:
    """The file's bytes, refused unread when it is larger than the limit named ``limit``."""
    most = limits.max_bytes(limit)
    size = path.stat().st_size
    if size > most:
        raise CsedataError(where, f"{size} bytes, over the limit of {most} ({limit})")
    return path.read_bytes()


def load(root: Path, path: Path, where: str) -> Any:
    """The YAML file at ``path`` as data, from the cache when its bytes were parsed before."""
    raw = read_limited(path, where, "CSEDATA_MAX_YAML_BYTES")
    parsed = root / PARSED / f"{hashlib.sha256(raw).hexdigest()}.json"
    try:
        return json.loads(parsed.read_bytes())
    except FileNotFoundError:
        pass
    data = parse(decode(raw, where), where)
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return data  # a value JSON cannot hold (a date): parsed again next time
    if json.loads(text) == data:  # only a parse JSON keeps exactly
        tmp = parsed.with_name(f".{parsed.name}.{os.getpid()}.tmp")  # parallel workers
        try:
            parsed.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, parsed)
        except OSError:  # a cache only saves time: a full disk must not stop the read
            tmp.unlink(missing_ok=True)
    return data
