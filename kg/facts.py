"""The FactSheet: plain typed data for one article's facts, the hub of the flow.

Nothing here knows about YAML or RDF. Every fact carries ``Evidence``: the verbatim span of
the article text that supports it, with 0-based character (code point) offsets, ``end``
exclusive, so ``article_text[start:end] == exact`` always holds for a loaded sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["organization", "person", "place", "topic"]
ENTITY_TYPES: tuple[EntityType, ...] = ("organization", "person", "place", "topic")

Precision = Literal["instant", "minute", "day", "week", "month", "year", "duration"]
PRECISIONS: tuple[Precision, ...] = (
    "instant",
    "minute",
    "day",
    "week",
    "month",
    "year",
    "duration",
)

StatementKind = Literal["direct", "indirect"]
STATEMENT_KINDS: tuple[StatementKind, ...] = ("direct", "indirect")


@dataclass(frozen=True)
class Evidence:
    """A verbatim span of the article text: ``text[start:end] == exact``."""

    exact: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class ArticleMeta:
    """What the article says about itself."""

    id: str
    text: str
    headline: str
    published: str
    """ISO 8601 date-time with its zone offset, e.g. ``2020-06-12T12:17:00+05:30``, or only the
    day (``2017-12-14``) when the source gives no time: never a made-up midnight."""
    published_as_written: str | None = None
    url: str | None = None
    language: str = "en"
    publisher: str | None = None
    """Entity id of the publishing organization."""
    authors: tuple[str, ...] = ()
    """Entity ids of the byline (people or organizations)."""
    source_organization: str | None = None
    """Entity id of the wire agency the copy comes from."""
    credits: tuple[str, ...] = ()
    """Entity ids of organizations credited for material (e.g. a photo agency)."""
    evidence: tuple[Evidence, ...] = ()
    """Spans supporting the headline, date line and byline."""


@dataclass(frozen=True)
class Entity:
    """An organization, person, place or topic the article mentions."""

    id: str
    type: EntityType
    name: str
    evidence: Evidence
    aliases: tuple[str, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    """A Wikidata Q-id, given in the facts file or found in the authority file."""
    located_in: str | None = None
    """Entity id of a place (an organization's base, a place's containing place)."""
    part_of: str | None = None
    """Entity id of the parent organization (W3C ORG subOrganizationOf)."""
    confidence: float | None = None


@dataclass(frozen=True)
class Role:
    """A person holds a title at an organization."""

    id: str
    person: str
    organization: str
    title: str
    evidence: Evidence
    confidence: float | None = None


@dataclass(frozen=True)
class DateValue:
    """A temporal expression as written, resolved to a value at a precision.

    ``value`` is an ISO 8601 string: a date-time (instant/minute), a date (day; for a week the
    Monday that starts it), ``YYYY-MM`` (month), ``YYYY`` (year) or a duration (``P2Y``).
    """

    id: str
    text: str
    value: str
    precision: Precision
    resolved_against: str
    """The ISO date-time (or day) it was resolved against (usually the publication)."""
    evidence: Evidence
    end: str | None = None
    """For a week: the Sunday that ends it (inclusive)."""
    confidence: float | None = None


@dataclass(frozen=True)
class Announcement:
    """One or more organizations announce something (a decision, a halt, a call to act)."""

    id: str
    agents: tuple[str, ...]
    what: str
    evidence: Evidence
    spokesperson: str | None = None
    date: str | None = None
    """Id of a DateValue."""
    occasion: str | None = None
    addressee: str | None = None
    """Entity id of whom the announcement calls on, if anyone."""
    confidence: float | None = None


@dataclass(frozen=True)
class Statement:
    """Someone said something: a direct quote (verbatim) or an indirect statement."""

    id: str
    speaker: str
    kind: StatementKind
    text: str
    """Direct: the quoted words, segments joined by one space. Indirect: the paraphrase."""
    evidence: Evidence
    quote_spans: tuple[Evidence, ...] = ()
    """Direct quotes: the verbatim span of each quoted segment."""
    date: str | None = None
    occasion: str | None = None
    about: tuple[str, ...] = ()
    """Entity ids the statement is about."""
    implicit_speaker: bool = False
    confidence: float | None = None


@dataclass(frozen=True)
class FactSheet:
    """Everything one article states, each fact with its evidence."""

    article: ArticleMeta
    entities: tuple[Entity, ...] = ()
    roles: tuple[Role, ...] = ()
    dates: tuple[DateValue, ...] = ()
    announcements: tuple[Announcement, ...] = ()
    statements: tuple[Statement, ...] = ()
    extracted_by: str | None = None
    source_path: str | None = field(default=None, compare=False)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def date(self, date_id: str) -> DateValue:
        for d in self.dates:
            if d.id == date_id:
                return d
        raise KeyError(date_id)
