"""Content negotiation: the ``Accept`` header (RFC 9110 §12.5.1) and the ``format`` parameter.

https://www.rfc-editor.org/rfc/rfc9110#name-accept

Each kind of response offers formats in the server's order of preference (``Offer``). A client's
``Accept`` ranks them by quality, the most specific matching range deciding (``text/turtle;q=0``
excludes Turtle even under ``*/*``); ties keep the server's order. A ``format`` parameter, when
given, overrides ``Accept`` (for links and clients that cannot set headers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import InputError

Offer = tuple[str, str]
"""(media type, format name)."""

RESULT_OFFERS: tuple[Offer, ...] = (
    ("application/sparql-results+json", "json"), ("application/json", "json"),
    ("application/sparql-results+xml", "xml"), ("application/xml", "xml"), ("text/xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
    ("text/html", "html"), ("application/xhtml+xml", "html"),
)
"""SELECT and ASK results (SPARQL 1.1 Query Results JSON, XML, CSV/TSV; a page)."""

GRAPH_OFFERS: tuple[Offer, ...] = (
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"), ("application/xml", "rdfxml"),
    ("application/json", "jsonld"), ("text/plain", "ntriples"),
    ("text/html", "html"), ("application/xhtml+xml", "html"),
)
"""CONSTRUCT and DESCRIBE results."""

RESOURCE_OFFERS: tuple[Offer, ...] = (
    ("text/html", "html"), ("application/xhtml+xml", "html"),
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"), ("application/json", "jsonld"),
    ("text/plain", "ntriples"),
)
"""A dereferenced IRI, the ontology, the VoID description: a page for browsers first."""

FORMAT_ALIASES = {
    "json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv",
    "html": "html", "turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples",
    "n-triples": "ntriples", "nt": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld",
    "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "rdf-xml": "rdfxml",
}
GRAPH_EQUIVALENT = {"json": "jsonld", "xml": "rdfxml"}
"""``format=json`` / ``xml`` on a CONSTRUCT mean the graph formats of the same syntax."""

MEDIA_TYPES = {
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8", "ntriples": "application/n-triples",
    "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
    "html": "text/html; charset=utf-8", "trig": "application/trig",
    "nquads": "application/n-quads",
}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed items are skipped (as browsers do)."""
    ranges: list[MediaRange] = []
    for item in (header or "").split(","):
        parts = [p.strip() for p in item.split(";")]
        kind, _, sub = parts[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def rank(accept: str | None, offers: Sequence[Offer]) -> list[str]:
    """Format names acceptable to the client, best first, each once (empty: nothing fits)."""
    ranges = parse_accept(accept)
    if not ranges:
        ranges = [MediaRange("*", "*", 1.0)]
    scored: list[tuple[float, int, str]] = []
    for index, (media_type, name) in enumerate(offers):
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        best = max(matching, key=lambda r: r.specificity)
        if best.q > 0:
            scored.append((-best.q, index, name))
    names: list[str] = []
    for _, _, name in sorted(scored):
        if name not in names:
            names.append(name)
    return names


def format_name(value: str, offers: Sequence[Offer], *, what: str) -> str:
    """The format a ``format`` parameter names (a short name or a media type), among ``offers``."""
    key = value.strip().lower()
    name = FORMAT_ALIASES.get(key) or next(
        (n for media_type, n in offers if media_type == key.split(";")[0].strip()), None)
    names = {n for _, n in offers}
    if name not in names and name in GRAPH_EQUIVALENT and GRAPH_EQUIVALENT[name] in names:
        name = GRAPH_EQUIVALENT[name]
    if name is None or name not in names:
        raise InputError(f"format={value!r} is not a format for {what} (choose "
                         f"{', '.join(sorted(names))})")
    return name


def choose(accept: str | None, format_param: str | None, offers: Sequence[Offer], *,
           what: str) -> list[str]:
    """The formats to try, best first: the ``format`` parameter alone, else by ``Accept``."""
    if format_param:
        return [format_name(format_param, offers, what=what)]
    return rank(accept, offers)
