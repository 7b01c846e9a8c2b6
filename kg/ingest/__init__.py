"""Ingest: a source (text file, HTML file, URL, stdin) → ``Document``, the boundary type of the
flow's first stage. Imports only ``kg.errors`` from newskg.

Modules, in dependency order::

    document     Document, Span: the article text, its body paragraphs, its metadata
    zones        the --timezone option; the zone-abbreviation table (IST → +05:30)
    dates        date lines: find a full date with its time and zone, resolve it
    boilerplate  what one line of a page is: ad, button, credit, promotion, prose …
    decode       bytes → text; binary data, PDFs and undeclared non-UTF-8 refused
    text         plain text: header block, body paragraphs, headline, byline, date line
    html         HTML: JSON-LD NewsArticle, OpenGraph/meta tags, trafilatura for the body
    fetch        the network seam: requests with timeout, size cap, redirect limit
    sources      ingest(): what the source is (stdin, URL, path) decides how it is read

Errors: ``ArticleError`` for content that is not usable text (empty, binary, not UTF-8),
``IngestError`` for a source that yields no article (a failed fetch, an unknown file type, an
HTML page without an article), ``ConfigError`` for an unknown time zone.
"""

from __future__ import annotations

from kg.ingest.document import Document, SourceKind, Span
from kg.ingest.fetch import DEFAULT_MAX_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT
from kg.ingest.sources import (
    Zone,
    ingest,
    ingest_html,
    ingest_path,
    ingest_stdin,
    ingest_text,
    ingest_url,
)
from kg.ingest.zones import parse_timezone

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_TIMEOUT",
    "Document",
    "SourceKind",
    "Span",
    "Zone",
    "ingest",
    "ingest_html",
    "ingest_path",
    "ingest_stdin",
    "ingest_text",
    "ingest_url",
    "parse_timezone",
]
