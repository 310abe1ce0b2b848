"""YAML parsing for the registry and specs: one loader, one one-line error, one cache.

Building Python objects from YAML is most of what loading thousands of specs or
registry entries costs (PyYAML constructs them in Python even with libyaml); the
same data as JSON loads in a twentieth of the time. So each parse is kept under
.cache/yaml/, keyed by the file's sha256: a file is parsed once, however many
runs and processes read it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from csedata.errors import CsedataError

# libyaml where PyYAML has it: thousands of registry entries and specs load 10x faster
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARSED = Path(".cache") / "yaml"


def parse(text: str, where: str) -> Any:
    """The YAML document in ``text``; a syntax error names ``where`` and its line."""
    try:
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f":{mark.line + 1}" if mark is not None else ""
        raise CsedataError(where + place, "not valid YAML") from exc


def load(root: Path, path: Path, where: str) -> Any:
    """The YAML file at ``path`` as data, from the cache when its bytes were parsed before."""
    raw = path.read_bytes()
    parsed = root / PARSED / f"{hashlib.sha256(raw).hexdigest()}.json"
    try:
        return json.loads(parsed.read_bytes())
    except FileNotFoundError:
        pass
    data = parse(raw.decode("utf-8"), where)
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return data  # a value JSON cannot hold (a date): parsed again next time
    if json.loads(text) == data:  # only a parse JSON keeps exactly
        parsed.parent.mkdir(parents=True, exist_ok=True)
        tmp = parsed.with_name(f".{parsed.name}.{os.getpid()}.tmp")  # parallel workers
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, parsed)
    return data
