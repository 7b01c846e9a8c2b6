"""The entry points: say what the source is (stdin, a URL, a path), never guess it.

``ingest(source)`` decides only by what the string *is*: ``-`` is standard input, ``http://``
or ``https://`` a URL, anything else a path, whose type comes from its extension (``.html`` /
``.htm`` / ``.xhtml`` HTML; ``.txt`` / ``.md`` / ``.text`` / ``.markdown`` or none, text).
Content is looked at only to refuse what is not text (binary data, a PDF).
"""

from __future__ import annotations

import re
import sys
from datetime import tzinfo
from pathlib import Path
from typing import BinaryIO

import requests

from kg.errors import ArticleError, IngestError, Location
from kg.ingest.decode import decode_html, decode_text
from kg.ingest.document import Document, SourceKind
from kg.ingest.fetch import DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT, fetch
from kg.ingest.html import document_from_html
from kg.ingest.text import document_from_text
from kg.ingest.zones import parse_timezone

Zone = str | tzinfo | None
"""A time zone for date lines that state none: an IANA name, an offset (``+05:30``), a tzinfo."""

_EXTENSIONS: dict[str, SourceKind] = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text", "": "text",
}


def _zone(timezone: Zone) -> tzinfo | None:
    return parse_timezone(timezone) if isinstance(timezone, str) else timezone


def ingest_text(text: str, *, source: str = "<text>", timezone: Zone = None,
                url: str | None = None) -> Document:
    """An article given as text; ``Document.text`` is ``text`` itself."""
    return document_from_text(text, source=source, timezone=_zone(timezone), url=url)


def ingest_html(html: bytes | str, *, url: str | None = None, source: str | None = None,
                timezone: Zone = None, charset: str | None = None) -> Document:
    """An article given as an HTML page (bytes are decoded by the declared charset or UTF-8)."""
    where = source or url or "<html>"
    page = html if isinstance(html, str) else decode_html(html, where, charset)
    return document_from_html(page, url=url, source=where, timezone=_zone(timezone))


def _from_bytes(raw: bytes, kind: SourceKind, where: str, timezone: Zone,
                url: str | None = None, charset: str | None = None) -> Document:
    if not raw.strip():
        raise ArticleError("the article is empty", Location(where))
    if kind == "html":
        return ingest_html(raw, url=url, source=where, timezone=timezone, charset=charset)
    return ingest_text(decode_text(raw, where, charset), source=where, timezone=timezone,
                       url=url)


def _kind_of(path: Path) -> SourceKind:
    ext = path.suffix.lower()
    if ext not in _EXTENSIONS:
        raise IngestError(
            f"unknown file type {ext!r}: give a .txt, .md, .html or .htm file "
            "(or say the format)", Location(str(path)))
    return _EXTENSIONS[ext]


def ingest_path(path: str | Path, *, timezone: Zone = None, kind: SourceKind | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """An article file; its format from ``kind`` or else from its extension."""
    path = Path(path)
    kind = kind or _kind_of(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise ArticleError(f"cannot read the article: {exc.strerror}",
                           Location(str(path))) from exc
    if len(raw) > max_bytes:
        raise IngestError(f"the file is over the {max_bytes:,}-byte limit", Location(str(path)))
    return _from_bytes(raw, kind, str(path), timezone)


def ingest_stdin(stream: BinaryIO | None = None, *, timezone: Zone = None,
                 kind: SourceKind = "text", max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """An article on standard input (text unless ``kind`` says HTML); ``source`` is ``-``."""
    reader = stream if stream is not None else sys.stdin.buffer
    raw = reader.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise IngestError(f"the input is over the {max_bytes:,}-byte limit", Location("-"))
    return _from_bytes(raw, kind, "-", timezone)


def ingest_url(url: str, *, timezone: Zone = None, session: requests.Session | None = None,
               timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
               max_redirects: int = DEFAULT_MAX_REDIRECTS) -> Document:
    """An article page fetched over HTTP(S); see ``fetch`` for the limits and errors."""
    zone = _zone(timezone)  # a bad --timezone fails before any network traffic
    page = fetch(url, session=session, timeout=timeout, max_bytes=max_bytes,
                 max_redirects=max_redirects)
    return _from_bytes(page.content, page.kind, url, zone, url=page.url, charset=page.charset)


def ingest(source: str, *, timezone: Zone = None, kind: SourceKind | None = None,
           session: requests.Session | None = None, timeout: float = DEFAULT_TIMEOUT,
           max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """One entry for the CLI: ``-`` stdin, an http(s) URL, or a path (see the module doc)."""
    if source == "-":
        return ingest_stdin(timezone=timezone, kind=kind or "text", max_bytes=max_bytes)
    if re.match(r"https?://", source, re.IGNORECASE):
        return ingest_url(source, timezone=timezone, session=session, timeout=timeout,
                          max_bytes=max_bytes)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", source):
        raise IngestError("only http:// and https:// URLs can be fetched", Location(source))
    return ingest_path(source, timezone=timezone, kind=kind, max_bytes=max_bytes)
