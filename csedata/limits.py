"""Limits on what csedata will read or wait for, each set by an environment variable.

A hostile or broken input must be refused quickly, not exhaust memory or hold a
run forever. The defaults are far above what the project's own files need; the
README's "Limits" section lists them. A limit is read when it is used, so a
test or a deployment can set it per process.
"""

from __future__ import annotations

import os

from csedata.errors import CsedataError

MB = 1024 * 1024
# name -> default; bytes for sizes, seconds for deadlines
DEFAULTS: dict[str, float] = {
    "CSEDATA_MAX_YAML_BYTES": 64 * MB,  # raw/sources.yaml or one spec
    "CSEDATA_MAX_RAW_BYTES": 50 * MB,  # one raw file
    "CSEDATA_FETCH_DEADLINE": 120.0,  # one source's download, retries included
    "CSEDATA_REFRESH_DEADLINE": 600.0,  # every download of one refresh
}


def limit(name: str) -> float:
    """The limit's value: the environment's when set, else its default."""
    text = os.environ.get(name, "").strip()
    if not text:
        return DEFAULTS[name]
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise CsedataError(f"environment variable {name}", f"{text!r} is not a positive number")
    return value


def max_bytes(name: str) -> int:
    return int(limit(name))
