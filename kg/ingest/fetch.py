"""Fetching a URL: the one place newskg's ingest touches the network.

Every request goes through ``_send`` with ``stream=True`` and a timeout; redirects are followed
here, not by requests, so the limit, loop detection and scheme check need no change to the
caller's session. The body is read as it arrives and reading stops at the size cap (a 50 MB
page costs 10 MB at most: a gzip bomb too, as the cap counts decoded bytes), and a total
deadline stops a server that trickles bytes. Every failure is
an ``IngestError`` naming the URL, with the requests exception kept as ``__cause__``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from kg import __version__
from kg.errors import IngestError, Location

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_HEADERS = {
    "User-Agent": f"newskg/{__version__}",
    "Accept": "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8",
}
_MEDIA: dict[str, Literal["html", "text"]] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "text/plain": "text", "text/markdown": "text",
}
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """A fetched page: where it ended up, its bytes, and what the server said they are."""

    url: str
    content: bytes
    kind: Literal["html", "text"]
    charset: str | None


def _fail(url: str, message: str) -> IngestError:
    return IngestError(message, Location(url))


def _send(session: requests.Session, url: str, timeout: float) -> requests.Response:
    """The seam: one GET, streamed, no automatic redirects."""
    return session.get(url, headers=_HEADERS, timeout=timeout, stream=True,
                       allow_redirects=False)


def _check_url(url: str, origin: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail(origin, f"not an http(s) URL: {url}")


def _short_reason(exc: BaseException) -> str:
    """The OS-level reason inside requests' long message ("Connection refused")."""
    first = exc.args[0] if exc.args else None
    text = first if isinstance(first, str) else str(exc)
    errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if errno:
        return errno.group(1).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _is_timeout(exc: BaseException) -> bool:
    # A read timeout can arrive as requests' ConnectionError wrapping urllib3's error.
    timeouts = (requests.Timeout, urllib3.exceptions.TimeoutError)
    return isinstance(exc, timeouts) or "timed out" in str(exc).lower()


def _media(response: requests.Response, url: str) -> tuple[Literal["html", "text"], str | None]:
    header = response.headers.get("Content-Type", "")
    media = header.split(";")[0].strip().lower()
    charset = _CHARSET.search(header)
    if media in _MEDIA:
        return _MEDIA[media], charset.group(1) if charset else None
    if media == "application/pdf":
        raise _fail(url, "the URL gives a PDF document (application/pdf), "
                         "not an HTML page or plain text")
    if not media:
        raise _fail(url, "the server gave no content type; only HTML pages and plain text "
                         "are read")
    raise _fail(url, f"the URL gives {media}, not an HTML page or plain text")


def _read(response: requests.Response, url: str, max_bytes: int, deadline: float,
          timeout: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _fail(url, f"the page is {int(declared):,} bytes, over the "
                         f"{max_bytes:,}-byte limit")
    body = bytearray()
    while True:
        # read1 returns what one receive brings (iter_content would block until a whole chunk
        # arrives), so the deadline also stops a server that trickles bytes.
        chunk = response.raw.read1(_CHUNK, decode_content=True)
        if not chunk:
            break
        body += chunk
        if len(body) > max_bytes:
            raise _fail(url, f"the page is over the {max_bytes:,}-byte limit "
                             "(stopped reading there)")
        if time.monotonic() > deadline:
            raise _fail(url, f"timed out after {timeout:g} s while reading the page")
    # read1 ends quietly when the server closes early; a declared length tells the truth.
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    if declared.isdigit() and not encoded and len(body) < int(declared):
        raise _fail(url, f"the connection closed after {len(body):,} of {int(declared):,} bytes")
    return bytes(body)


def _follow(session: requests.Session, url: str, timeout: float,
            max_redirects: int) -> requests.Response:
    """GET ``url``, following up to ``max_redirects`` redirects; the final response, open."""
    seen = [url]
    current = url
    while True:
        response = _send(session, current, timeout)
        location = response.headers.get("Location")
        if response.status_code not in _REDIRECTS or not location:
            return response
        response.close()
        current = urljoin(current, location)
        _check_url(current, url)
        if current in seen:
            raise _fail(url, f"redirects in a loop ({' → '.join([*seen, current])})")
        seen.append(current)
        if len(seen) > max_redirects + 1:
            raise _fail(url, f"more than {max_redirects} redirects (last to {current})")


def _status(response: requests.Response, url: str) -> None:
    if response.status_code >= 400 or response.status_code in _REDIRECTS:
        where = "" if response.url == url else f" at {response.url}"
        reason = f" {response.reason}" if response.reason else ""
        raise _fail(url, f"HTTP {response.status_code}{reason}{where}")


def fetch(url: str, *, session: requests.Session | None = None,
          timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          max_redirects: int = DEFAULT_MAX_REDIRECTS) -> Fetched:
    """GET an article page: HTML or plain text, at most ``max_bytes``, within ``timeout``."""
    _check_url(url, url)
    own = session is None
    http = session if session is not None else requests.Session()
    deadline = time.monotonic() + timeout
    try:
        response = _follow(http, url, timeout, max_redirects)
        with response:
            _status(response, url)
            kind, charset = _media(response, url)
            content = _read(response, url, max_bytes, deadline, timeout)
            return Fetched(response.url, content, kind, charset)
    except urllib3.exceptions.HTTPError as exc:  # raised by read1, which requests does not wrap
        if _is_timeout(exc):
            raise _fail(url, f"timed out after {timeout:g} s") from exc
        raise _fail(url, f"the connection broke while reading: {_short_reason(exc)}") from exc
    except requests.RequestException as exc:
        if _is_timeout(exc):
            raise _fail(url, f"timed out after {timeout:g} s") from exc
        if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
            raise _fail(url, f"not a valid URL ({_short_reason(exc)})") from exc
        if isinstance(exc, requests.ConnectionError):
            raise _fail(url, f"cannot connect: {_short_reason(exc)}") from exc
        raise _fail(url, f"the request failed: {_short_reason(exc)}") from exc
    finally:
        if own:
            http.close()
