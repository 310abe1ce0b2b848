"""Download one source over HTTP: conditional, bounded in size and type, retried.

A scheduled run must be cheap when nothing changed (ETag and Last-Modified turn
the download into a bodiless 304) and safe when the network misbehaves: every
failure ends as a FetchError with a one-line reason, never as a partial body.
Transient failures (connection problems, timeouts, HTTP 5xx and 429) are retried
with exponential backoff; anything else fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

# Types the prepare stage reads (csedata.prepare); an image or an archive is refused.
TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/pdf"})


@dataclass(frozen=True)
class Limits:
    """How long to wait, how often to try and what to accept."""

    max_bytes: int = 20 * 1024 * 1024
    content_types: frozenset[str] = TEXT_TYPES
    timeout: float = 30.0  # seconds for connecting, and between two reads
    attempts: int = 3
    backoff: float = 2.0  # seconds before the second attempt, doubled for each further one


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Validators:
    """What the server said identifies its content: sent back to ask "changed since?"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Fetched:
    """A 200 with its body, or a 304 (``body`` is None: not modified)."""

    body: bytes | None
    content_type: str | None
    validators: Validators = field(default_factory=Validators)


class FetchError(Exception):
    """The source could not be downloaded; the message is one line."""


class _Transient(FetchError):
    """A failure worth another attempt."""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _media_type(header: str | None) -> str | None:
    return (header.split(";")[0].strip().lower() or None) if header else None


def _validators(response: httpx.Response, known: Validators) -> Validators:
    return Validators(
        response.headers.get("etag", known.etag),
        response.headers.get("last-modified", known.last_modified),
    )


def _get(client: httpx.Client, url: str, known: Validators, limits: Limits) -> Fetched:
    try:
        with client.stream("GET", url, headers=known.headers()) as response:
            status = response.status_code
            if status == 304 and known.headers():
                return Fetched(None, None, _validators(response, known))
            if status >= 500 or status == 429:
                raise _Transient(f"HTTP {status}")
            if status != 200:
                raise FetchError(f"HTTP {status}")
            media = _media_type(response.headers.get("content-type"))
            if media not in limits.content_types:
                accepted = ", ".join(sorted(limits.content_types))
                raise FetchError(f"content type {media or '(none)'} is not one of {accepted}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(f"{declared} bytes exceed the limit of {limits.max_bytes}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchError(f"response exceeds the limit of {limits.max_bytes} bytes")
            return Fetched(bytes(body), media, _validators(response, Validators()))
    except httpx.TransportError as exc:  # connection refused, timeouts, broken responses
        raise _Transient(_one_line(exc)) from exc
    except httpx.HTTPError as exc:  # too many redirects and the like: no point retrying
        raise FetchError(_one_line(exc)) from exc


def fetch(url: str, known: Validators, limits: Limits = DEFAULT_LIMITS) -> Fetched:
    """GET ``url``, conditionally when ``known`` has validators; FetchError on failure."""
    agent = f"csedata/{metadata.version('csedata')} (scheduled refresh of registered sources)"
    retrying = Retrying(
        stop=stop_after_attempt(limits.attempts),
        wait=wait_exponential(multiplier=limits.backoff),
        retry=retry_if_exception_type(_Transient),
        reraise=True,
    )
    timeout = httpx.Timeout(limits.timeout)
    with httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": agent}) as c:
        try:
            result: Fetched = retrying(_get, c, url, known, limits)
        except _Transient as exc:
            raise FetchError(f"{exc} (after {limits.attempts} attempts)") from exc
    return result
