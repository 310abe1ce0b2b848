"""YAML parsing for the registry and specs: one loader, one one-line error."""

from __future__ import annotations

from typing import Any

import yaml

from csedata.errors import CsedataError

# libyaml where PyYAML has it: thousands of registry entries and specs load 10x faster
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, where: str) -> Any:
    """The YAML document in ``text``; a syntax error names ``where`` and its line."""
    try:
        return yaml.load(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f":{mark.line + 1}" if mark is not None else ""
        raise CsedataError(where + place, "not valid YAML") from exc
