"""What the pages and descriptions read from the snapshot: resources, labels, evidence, counts.

Reads go straight to pyoxigraph's indexes (``quads_for_pattern``) rather than through SPARQL:
a page needs a resource's properties and its neighbours' labels, a handful of index lookups.
Quads come from every named graph (an organization is described once per article that names
it), so triples are de-duplicated. Nothing here writes; the snapshot is fixed, so the counts
are computed once (``Overview``).

Evidence (``EvidenceSpan``): a fact's ``nkg:evidence`` is a Web Annotation specific resource
(https://www.w3.org/TR/annotation-model/#text-position-selector) whose position selector's
``oa:start`` / ``oa:end`` are code-point offsets into the article's ``schema:articleBody``; the
span is shown inside its sentence. When the offsets do not select the quote selector's
``oa:exact`` (a graph from elsewhere), the quote is shown alone rather than a wrong span.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from kg.mapping import NKG, OA, PREFIXES, SDO

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def nn(iri: object) -> ox.NamedNode:
    """A pyoxigraph IRI from an rdflib term, a string or an IRI (whose ``str`` is ``<…>``)."""
    return iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(str(iri))


LABELS = (RDFS_LABEL, nn(SDO.name), SKOS_PREF, nn(SDO.headline))
INBOUND_CAP = 1000
"""Most triples pointing at a resource that a description or page lists (the software agent
of a 1,000-article store is the object of 1,000 ``prov:wasAssociatedWith``)."""
SNIPPET_MAX = 600
"""A span's context is cut to this many characters on each side when a sentence is longer."""

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Subject = ox.NamedNode | ox.BlankNode | ox.Triple


def prefixes() -> dict[str, str]:
    return {name: str(ns) for name, ns in PREFIXES.items()}


class DataView:
    """Read access to the snapshot for pages and Linked Data descriptions."""

    def __init__(self, store: ox.Store, base: str, *, merged: bool = True) -> None:
        self.store = store
        self.base = base
        self.merged = merged
        """The default graph is the merge of the named graphs (``Snapshot.merged``)."""
        self._bodies: dict[str, str | None] = {}

    # -- triples --------------------------------------------------------------------------

    def triples(self, s: Subject | None, p: ox.NamedNode | None, o: Term | None,
                graph: ox.NamedNode | None = None) -> Iterator[ox.Triple]:
        """Distinct triples matching the pattern, from every graph (or ``graph``)."""
        seen: set[ox.Triple] = set()
        for quad in self.store.quads_for_pattern(s, p, o, graph):
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                yield triple

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return (any(True for _ in self.store.quads_for_pattern(node, None, None, None))
                or any(True for _ in self.store.quads_for_pattern(None, None, node, None))
                or any(True for _ in self.store.quads_for_pattern(None, None, None, node)))

    def is_graph(self, iri: str) -> bool:
        return any(True for _ in self.store.quads_for_pattern(None, None, None, nn(iri)))

    def properties(self, node: Subject) -> dict[str, list[Term]]:
        """Predicate IRI → objects, in index order, each once."""
        props: dict[str, list[Term]] = {}
        for t in self.triples(node, None, None):
            props.setdefault(t.predicate.value, []).append(t.object)
        return props

    def objects(self, node: Subject, predicate: object) -> list[Term]:
        return [t.object for t in self.triples(node, nn(predicate), None)]

    def first(self, node: Subject, predicate: object) -> Term | None:
        for t in self.store.quads_for_pattern(node, nn(predicate), None, None):
            return t.object
        return None

    def subjects(self, predicate: object, obj: Term, limit: int = INBOUND_CAP
                 ) -> list[Subject]:
        found: list[Subject] = []
        for t in self.triples(None, nn(predicate), obj):
            if t.subject not in found:
                found.append(t.subject)
                if len(found) >= limit:
                    break
        return found

    def inbound(self, node: Term, limit: int = INBOUND_CAP) -> list[ox.Triple]:
        out: list[ox.Triple] = []
        for t in self.triples(None, None, node):
            out.append(t)
            if len(out) >= limit:
                break
        return out

    def types(self, node: Subject) -> set[str]:
        return {t.object.value for t in self.triples(node, RDF_TYPE, None)
                if isinstance(t.object, ox.NamedNode)}

    def label(self, node: Term) -> str | None:
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            return None
        for predicate in LABELS:
            for t in self.store.quads_for_pattern(node, predicate, None, None):
                if isinstance(t.object, ox.Literal):
                    return t.object.value
        return None

    def describe(self, iri: str) -> list[ox.Triple]:
        """The resource's triples out and in (capped), and its neighbours' labels."""
        node = ox.NamedNode(iri)
        triples = list(self.triples(node, None, None))
        triples += self.inbound(node)
        neighbours = {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
        neighbours |= {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
        neighbours.discard(node)
        seen = set(triples)
        for other in sorted(neighbours, key=lambda n: n.value):
            for predicate in (RDFS_LABEL,):
                for t in self.store.quads_for_pattern(other, predicate, None, None):
                    if t.triple not in seen:
                        seen.add(t.triple)
                        triples.append(t.triple)
                    break
        return triples

    # -- article text and evidence ---------------------------------------------------------

    def article_body(self, article: Term | None) -> str | None:
        if not isinstance(article, ox.NamedNode):
            return None
        if article.value not in self._bodies:
            body = self.first(article, SDO.articleBody)
            self._bodies[article.value] = body.value if isinstance(body, ox.Literal) else None
        return self._bodies[article.value]

    def evidence(self, fact: Subject, predicate: object = NKG.evidence,
                 limit: int = 20) -> list[EvidenceSpan]:
        spans = []
        for node in self.objects(fact, predicate)[:limit]:
            if isinstance(node, ox.NamedNode | ox.BlankNode):
                span = self.evidence_span(node)
                if span is not None:
                    spans.append(span)
        return sorted(spans, key=lambda s: (s.article.value if s.article else "", s.start or 0))

    def evidence_span(self, node: ox.NamedNode | ox.BlankNode) -> EvidenceSpan | None:
        article = self.first(node, OA.hasSource)
        exact: str | None = None
        start = end = None
        for selector in self.objects(node, OA.hasSelector):
            if not isinstance(selector, ox.NamedNode | ox.BlankNode):
                continue
            quote = self.first(selector, OA.exact)
            if isinstance(quote, ox.Literal):
                exact = quote.value
            s, e = self.first(selector, OA.start), self.first(selector, OA.end)
            if isinstance(s, ox.Literal) and isinstance(e, ox.Literal):
                with contextlib.suppress(ValueError):
                    start, end = int(s.value), int(e.value)
        if exact is None and start is None:
            return None
        body = self.article_body(article)
        article_node = article if isinstance(article, ox.NamedNode) else None
        return locate(node, article_node, body, exact, start, end)

    # -- the dataset as a whole ----------------------------------------------------------

    @cached_property
    def overview(self) -> Overview:
        return Overview.compute(self)

    def select(self, query: str) -> list[dict[str, Term]]:
        """Rows of a fixed SELECT of this module over the merge of the graphs."""
        result = self.store.query(query, use_default_graph_as_union=not self.merged)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]


@dataclass(frozen=True)
class EvidenceSpan:
    """A fact's supporting span shown in its sentence: ``before`` + ``exact`` + ``after``."""

    node: ox.NamedNode | ox.BlankNode
    article: ox.NamedNode | None
    exact: str
    before: str = ""
    after: str = ""
    start: int | None = None
    end: int | None = None
    located: bool = False
    """True when the offsets select ``exact`` in the article body."""


_SENTENCE_START = re.compile(r"(?:[.!?][\"'”’)\]]*\s+|\n)")


def locate(node: ox.NamedNode | ox.BlankNode, article: ox.NamedNode | None, body: str | None,
           exact: str | None, start: int | None, end: int | None) -> EvidenceSpan:
    """The span with its sentence around it, when the offsets point at it in ``body``."""
    if (body is None or start is None or end is None or not 0 <= start <= end <= len(body)
            or (exact is not None and body[start:end] != exact)):
        return EvidenceSpan(node, article, exact or "", start=start, end=end)
    sentence_start = 0
    for match in _SENTENCE_START.finditer(body, 0, start):
        sentence_start = match.end()
    # From the span's last character: a span that ends its sentence ends there.
    after = _SENTENCE_START.search(body, max(start, end - 1))
    sentence_end = after.start() + len(after.group().rstrip()) if after else len(body)
    sentence_start = max(sentence_start, start - SNIPPET_MAX)
    sentence_end = min(max(sentence_end, end), end + SNIPPET_MAX)
    return EvidenceSpan(node, article, body[start:end], body[sentence_start:start],
                        body[end:sentence_end], start, end, located=True)


@dataclass(frozen=True)
class ArticleRow:
    iri: str
    headline: str
    published: str
    publisher: str | None


@dataclass
class Overview:
    """Counts for the home page and the VoID description (computed once: the data is fixed)."""

    triples: int
    quads: int
    graphs: int
    subjects: int
    entities: int
    properties: int
    classes: dict[str, int]
    articles: list[ArticleRow] = field(default_factory=list)

    def count(self, cls: object) -> int:
        return self.classes.get(str(cls), 0)

    @classmethod
    def compute(cls, data: DataView) -> Overview:
        def one(query: str) -> int:
            rows = data.select(query)
            value = rows[0].get("n") if rows else None
            return int(value.value) if isinstance(value, ox.Literal) else 0

        base = data.base.replace("\\", "\\\\").replace('"', '\\"')
        classes = {}
        for row in data.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) "
                               "WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"):
            c, n = row.get("c"), row.get("n")
            if isinstance(c, ox.NamedNode) and isinstance(n, ox.Literal):
                classes[c.value] = int(n.value)
        articles = []
        for row in data.select(
                "PREFIX schema: <http://schema.org/> PREFIX nkg: <https://w3id.org/newskg/ns#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "SELECT ?a (SAMPLE(?h) AS ?headline) (SAMPLE(?d) AS ?date) "
                "(SAMPLE(?p) AS ?publisher) WHERE { ?a a nkg:Article . "
                "OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a schema:datePublished ?d } "
                "OPTIONAL { ?a schema:publisher/rdfs:label ?p } } GROUP BY ?a "
                "ORDER BY DESC(STR(?date)) ?a"):
            a = row["a"]
            if not isinstance(a, ox.NamedNode):
                continue
            articles.append(ArticleRow(
                a.value, _text(row.get("headline")) or a.value, _text(row.get("date")) or "",
                _text(row.get("publisher"))))
        return cls(
            triples=one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                        "WHERE { ?s ?p ?o } }"),
            quads=one("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
            graphs=sum(1 for _ in data.store.named_graphs()),
            subjects=one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
            entities=one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
                         f'FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{base}")) }}'),
            properties=one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
            classes=classes, articles=articles)


def _text(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def serialize(triples: Iterable[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    data = ox.serialize(triples, format=fmt, prefixes=prefixes())
    return data or b""
