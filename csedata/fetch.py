"""Download one source over HTTP: conditional, bounded in size and type, retried.

A scheduled run must be cheap when nothing changed (ETag and Last-Modified turn
the download into a bodiless 304) and safe when the network misbehaves: every
failure ends as a FetchError with a one-line reason, never as a partial body.
Transient failures (connection problems, timeouts, HTTP 5xx and 429) are retried
with exponential backoff; anything else fails at once. A per-read timeout alone
lets a server that trickles a byte at a time hold a run forever, so each download
also has an overall deadline, retries included. A redirect is followed only to
the URL's own host and port, or to a host the registry entry names: otherwise
content from elsewhere would be registered under the source's URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from csedata.limits import limit

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
    deadline: float = 120.0  # seconds for the whole download, retries included


DEFAULT_LIMITS = Limits()


def configured_limits() -> Limits:
    """The limits of every download (refresh, add-source): the deadline from the environment
    (CSEDATA_FETCH_DEADLINE, csedata.limits)."""
    return Limits(deadline=limit("CSEDATA_FETCH_DEADLINE"))


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


def _origin(url: httpx.URL) -> str:
    return f"{url.host}:{url.port or {'http': 80, 'https': 443}.get(url.scheme, 0)}"


def _redirect_guard(url: str, hosts: tuple[str, ...]) -> Callable[[httpx.Request], None]:
    """A request hook refusing a redirect away from ``url``'s host and port, unless to one
    of ``hosts`` (``host`` for any of its ports, or ``host:port``)."""
    own = _origin(httpx.URL(url))
    allowed = {own, *hosts}

    def check(request: httpx.Request) -> None:
        if _origin(request.url) not in allowed and request.url.host not in allowed:
            raise FetchError(
                f"redirected to {_origin(request.url)}, not {own}; "
                "the registry entry does not allow that host (redirect_hosts)"
            )

    return check


def _past(stop_at: float, limits: Limits) -> None:
    if time.monotonic() > stop_at:
        raise FetchError(f"deadline passed ({limits.deadline:g} s per source or the run's)")


def _get(
    client: httpx.Client, url: str, known: Validators, limits: Limits, stop_at: float
) -> Fetched:
    _past(stop_at, limits)
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
                _past(stop_at, limits)  # a trickle of bytes cannot outlast the deadline
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchError(f"response exceeds the limit of {limits.max_bytes} bytes")
            return Fetched(bytes(body), media, _validators(response, Validators()))
    except httpx.TransportError as exc:  # connection refused, timeouts, broken responses
        raise _Transient(_one_line(exc)) from exc
    except httpx.HTTPError as exc:  # too many redirects and the like: no point retrying
        raise FetchError(_one_line(exc)) from exc


def fetch(
    url: str,
    known: Validators,
    limits: Limits = DEFAULT_LIMITS,
    stop_at: float | None = None,
    redirect_hosts: tuple[str, ...] = (),
) -> Fetched:
    """GET ``url``, conditionally when ``known`` has validators; FetchError on failure.

    The download ends by ``stop_at`` (time.monotonic()) or ``limits.deadline`` from now,
    whichever comes first, give or take one read timeout.
    """
    own = time.monotonic() + limits.deadline
    stop_at = own if stop_at is None else min(stop_at, own)
    agent = f"csedata/{metadata.version('csedata')} (scheduled refresh of registered sources)"
    retrying = Retrying(
        stop=stop_after_attempt(limits.attempts),
        wait=wait_exponential(multiplier=limits.backoff),
        retry=retry_if_exception_type(_Transient),
        reraise=True,
    )
    timeout = httpx.Timeout(min(limits.timeout, max(stop_at - time.monotonic(), 0.1)))
    hooks = {"request": [_redirect_guard(url, redirect_hosts)]}
    with httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": agent}, event_hooks=hooks
    ) as c:
        try:
            result: Fetched = retrying(_get, c, url, known, limits, stop_at)
        except _Transient as exc:
            raise FetchError(f"{exc} (after {limits.attempts} attempts)") from exc
    return result
