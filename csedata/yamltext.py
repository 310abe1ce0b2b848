"""YAML parsing for the registry and specs: one loader, one one-line error, one cache.

Building Python objects from YAML is most of what loading thousands of specs or
registry entries costs (PyYAML constructs them in Python even with libyaml); the
same data as JSON loads in a twentieth of the time. So each parse is kept under
.cache/yaml/, keyed by the file's sha256: a file is parsed once, however many
runs and processes read it. A first parse takes libyaml's events straight to
dicts, lists and strings (under half of PyYAML's time: no node, no second walk),
leaving any other scalar to PyYAML's own constructor and any other document
(anchors, tags, merge keys) to PyYAML whole: the same data either way.

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


_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS: dict[str, str] = {}  # labels repeat across specs
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Unusual(Exception):
    """What the fast path leaves to PyYAML: an anchor, an alias, a tag, a key that is no
    string (a merge key too), more than one document."""


def _scalar(loader: Any, event: yaml.ScalarEvent) -> Any:
    """A scalar's data: its text when it is a string; otherwise PyYAML's constructor.

    Without path resolvers a plain scalar's tag depends on its text alone (remembered);
    a quoted one, or one tagged ``!``, is a string.
    """
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _Unusual
    value: str = event.value
    if not event.implicit[0]:
        return value
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        if len(_PLAIN_TAGS) > 1 << 16:
            _PLAIN_TAGS.clear()
        tag = _PLAIN_TAGS[value] = loader.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    node = yaml.ScalarNode(tag, value, style=event.style)  # a constructor error falls back
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        raise _Unusual from None  # a merge key ("<<"): PyYAML merges


def _build(loader: Any) -> Any:
    """The document from libyaml's events, straight to dicts, lists and strings (PyYAML
    would make a node of each, resolve each and construct each through a chain of calls)."""
    get = loader.get_event
    get()  # the stream's start
    if isinstance(get(), yaml.StreamEndEvent):
        return None  # an empty file
    stack: list[tuple[Any, Any]] = []
    container: Any = None  # the open mapping or list, and a mapping's pending key
    key: Any = None
    while True:
        event = get()
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            value = event.value
            # a string without anchor or tag, quoted or plain (its tag remembered): most
            if (
                event.anchor is not None
                or event.tag is not None
                or (event.implicit[0] and _PLAIN_TAGS.get(value) != _STR)
            ):
                value = _scalar(loader, event)
        elif kind in _OPEN:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise _Unusual
            stack.append((container, key))
            container = {} if isinstance(event, yaml.MappingStartEvent) else []
            key = None
            continue
        elif kind in _CLOSE:
            value = container
            container, key = stack.pop()
        else:
            raise _Unusual  # an alias
        if container is None:
            if not isinstance(get(), yaml.DocumentEndEvent) or not isinstance(
                get(), yaml.StreamEndEvent
            ):
                raise _Unusual  # another document: PyYAML's error names it
            return value
        if container.__class__ is list:
            container.append(value)
        elif key is None:
            if value.__class__ is not str:
                raise _Unusual
            key = value
        else:
            container[key] = value
            key = None


def _load(text: str, where: str) -> tuple[Any, bool]:
    """The document as PyYAML's safe loader gives it (aliases refused), and whether the
    fast path built it (then its keys are strings, and JSON keeps it exactly unless it
    holds a value JSON refuses: a date, a NaN)."""
    loader = LOADER(text)
    try:
        return _build(loader), True
    except _Unusual:
        data = yaml.load(text, Loader=LOADER)
    finally:
        loader.dispose()
    _refuse_aliases(data, text, where)
    return data, False


def _reason(exc: yaml.YAMLError) -> str:
    """PyYAML's problem in short, with the construct it was in and that construct's line
    ("... (while scanning a quoted scalar that starts at line 12)"), on one line."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if not context:
        return problem
    if mark is None:
        return f"{problem} ({context})"
    starts = " that starts at" if context.startswith("while ") else ","  # "expected a ..."
    return f"{problem} ({context}{starts} line {mark.line + 1})"


def _parse(text: str, where: str) -> tuple[Any, bool]:
    try:
        return _load(text, where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f":{mark.line + 1}" if mark is not None else ""
        raise CsedataError(where + place, f"not valid YAML: {_reason(exc)}") from exc
    except RecursionError as exc:
        raise CsedataError(where, "not valid YAML: nested too deeply") from exc


def parse(text: str, where: str) -> Any:
    """The YAML document in ``text``; a syntax error names ``where`` and its line."""
    return _parse(text, where)[0]


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
    data, plain = _parse(decode(raw, where), where)
    try:
        text = json.dumps(data, allow_nan=False)
    except (TypeError, ValueError):
        return data  # a value JSON cannot hold (a date, a NaN): parsed again next time
    if plain or json.loads(text) == data:  # only a parse JSON keeps exactly
        _keep(parsed, text)
    return data


def _keep(parsed: Path, text: str) -> None:
    """Write the parse's cache file whole (one rename), its folder made only when missing."""
    tmp = parsed.with_name(f".{parsed.name}.{os.getpid()}.tmp")  # parallel workers
    try:
        try:
            tmp.write_text(text, encoding="utf-8")
        except FileNotFoundError:
            parsed.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, parsed)
    except OSError:  # a cache only saves time: a full disk must not stop the read
        tmp.unlink(missing_ok=True)
