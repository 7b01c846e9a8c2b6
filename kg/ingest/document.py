"""``Document``: what ingest hands to extract — the article text and what it says about itself.

Offsets are 0-based code-point offsets into ``Document.text``, ``end`` exclusive, the same
convention as ``kg.facts.Evidence``: ``doc.text[span.start:span.end]`` is the spanned text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SourceKind = Literal["text", "html"]


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of ``Document.text``: ``text[start:end]``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Document:
    """One article, ready for extraction.

    ``text`` is what evidence offsets index. For a text source it is the whole input (header
    lines and page chrome included), so an offset found here is an offset into the file; for
    HTML it is the extracted article: the headline, a blank line, then the body paragraphs.
    ``body`` lists the article's paragraphs in order, boilerplate (ads, captions, credits,
    highlights, promotions, related-story lists, footers) left out: extraction runs over these
    spans only, while its offsets still index ``text``.
    """

    text: str
    body: tuple[Span, ...]
    source: str
    """Where the article came from: a path, a URL, or ``-`` for standard input."""
    kind: SourceKind
    headline: str | None = None
    headline_span: Span | None = None
    published: str | None = None
    """ISO 8601 date-time with its zone offset (``2020-06-12T12:17:00+05:30``), or None when the
    source gives no time of day or no zone and none was supplied (see ``published_date``)."""
    published_date: str | None = None
    """The publication day (``YYYY-MM-DD``) whenever the source gives one, even without a time."""
    published_as_written: str | None = None
    published_span: Span | None = None
    """Where the date line is in ``text``; None when it came from HTML metadata."""
    modified: str | None = None
    """The last-update date-time, when the source gives one apart from the publication."""
    authors: tuple[str, ...] = ()
    """The byline's names as written (people or organizations)."""
    byline_span: Span | None = None
    source_organization: str | None = None
    """The wire agency the copy comes from, by its full name (``Associated Press``)."""
    publisher: str | None = None
    credits: tuple[str, ...] = ()
    """Names credited for material such as photos (``Reuters``), one per name."""
    credit_spans: tuple[Span, ...] = ()
    url: str | None = None
    language: str | None = None
    header: tuple[tuple[str, str], ...] = ()
    """``Key: value`` lines a text file opens with (before a ``---`` line), as written."""
    notes: tuple[str, ...] = ()
    """What ingest inferred rather than read, for a reviewer (e.g. a zone taken from a sibling
    timestamp, an ambiguous zone abbreviation resolved by the table)."""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body paragraphs' text, in order."""
        return tuple(span.of(self.text) for span in self.body)

    @property
    def body_text(self) -> str:
        """The body paragraphs joined by blank lines (for display; offsets index ``text``)."""
        return "\n\n".join(self.paragraphs)
