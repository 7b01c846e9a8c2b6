"""The HTML pages: the facts in words, with links, dates, Wikidata items and evidence.

A page is a template (``templates/``) and a context built here from the snapshot. Templates
are rendered by Jinja2 with autoescaping on for every template, so every value from the data
is HTML-escaped where it is written; nothing here marks text as safe. Links are built by
``Site.link``: IRIs under the base and the ontology namespace become paths on this server, other
``http(s)`` IRIs stay as they are, and an IRI of any other scheme (``javascript:`` is a valid
IRI) is shown as text, never put in an ``href``.

Which page a resource gets follows its ``rdf:type`` (``PAGE_KINDS``); every page also lists all
the resource's triples, so nothing in the data is hidden behind a missing template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import pyoxigraph as ox

from kg.authority import WIKIDATA
from kg.mapping import NKG, ORG, PREFIXES, SDO
from kg.serve.data import (
    PROV_DERIVED,
    DataView,
    EvidenceSpan,
    Subject,
    Term,
    nn,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTION_CAP = 200
"""Most facts a page lists per section (a big organization is in hundreds of articles)."""

PAGE_KINDS: tuple[tuple[str, str], ...] = (
    (str(NKG.Article), "article"), (str(NKG.Organization), "entity"),
    (str(NKG.Person), "entity"), (str(NKG.Place), "entity"), (str(NKG.Topic), "entity"),
    (str(NKG.Announcement), "fact"), (str(NKG.Statement), "fact"), (str(NKG.Role), "fact"),
    (str(NKG.TemporalExpression), "fact"),
)
KIND_NAMES = {
    str(NKG.Article): "Article", str(NKG.Organization): "Organization",
    str(NKG.Person): "Person", str(NKG.Place): "Place", str(NKG.Topic): "Topic",
    str(NKG.Announcement): "Announcement", str(NKG.Statement): "Statement",
    str(NKG.Role): "Role", str(NKG.TemporalExpression): "Date", str(NKG.Evidence): "Evidence",
    str(NKG.Build): "Build",
}


def environment() -> jinja2.Environment:
    # autoescape=True for every template, whatever its name: the guarantee the pages rely on.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


# ---------------------------------------------------------------------------------------------
# Links and addresses


@dataclass(frozen=True)
class Link:
    """A link for a template; ``href`` None shows ``text`` without a link."""

    href: str | None
    text: str
    title: str = ""
    external: bool = False


Part = str | Link
"""A piece of a sentence in words: plain text or a link."""


@dataclass(frozen=True)
class Site:
    """Where the resources of the data live on this server.

    IRIs under ``base`` are served at the base's own path (``https://w3id.org/newskg/id/x`` at
    ``/newskg/id/x``), so the same links work on ``localhost`` and on the public host the base
    names; the ontology namespace's document path redirects to ``/ontology``.
    """

    base: str
    ontology_ns: str = str(NKG)
    root: str = ""
    """The ASGI root path, when the server is mounted under a prefix."""

    @property
    def base_path(self) -> str:
        return urlsplit(self.base).path or "/"

    @property
    def ontology_doc_path(self) -> str:
        return urlsplit(self.ontology_ns).path.rstrip("/#") or "/ns"

    def path_for(self, iri: str) -> str | None:
        """The local path of an IRI this server describes, else None."""
        if iri.startswith(self.base):
            rest = iri[len(self.base):]
            return self.root + self.base_path + quote(rest, safe="/:@!$&'()*+,;=-._~%")
        if iri.startswith(self.ontology_ns):
            fragment = iri[len(self.ontology_ns):]
            return f"{self.root}/ontology" + (f"#{quote(fragment, safe='-._~')}"
                                              if fragment else "")
        ontology = self.ontology_ns.rstrip("#/")
        if iri == ontology or iri.startswith(ontology + "/"):
            return f"{self.root}/ontology"
        return None

    def iris_for_path(self, raw_path: str) -> list[str]:
        """The IRIs a request path under the base may name: as sent, and percent-decoded."""
        from urllib.parse import unquote

        rest = raw_path[len(self.base_path):]
        candidates = [self.base + rest]
        decoded = self.base + unquote(rest)
        if decoded not in candidates:
            candidates.append(decoded)
        return candidates

    def href(self, iri: str) -> str | None:
        local = self.path_for(iri)
        if local is not None:
            return local
        scheme = urlsplit(iri).scheme.lower()
        return iri if scheme in ("http", "https") else None

    def compact(self, iri: str) -> str:
        for name, ns in PREFIXES.items():
            if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
                return f"{name}:{iri[len(str(ns)):]}"
        if iri.startswith(self.base):
            return iri[len(self.base):]
        return iri

    def link(self, iri: str, text: str | None = None) -> Link:
        href = self.href(iri)
        return Link(href, text or self.compact(iri), title=iri,
                    external=href is not None and self.path_for(iri) is None)


# ---------------------------------------------------------------------------------------------
# Views for the templates


@dataclass(frozen=True)
class EvidenceView:
    before: str
    exact: str
    after: str
    located: bool
    article: Link | None
    node: Link | None
    where: str
    label: str = "evidence"


@dataclass
class FactView:
    link: Link
    kind: str
    words: list[Part]
    details: list[tuple[str, list[Part]]] = field(default_factory=list)
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass
class Section:
    title: str
    facts: list[FactView]
    more: int = 0


@dataclass
class Row:
    predicate: Link
    values: list[Part]


class Pages:
    """Builds page contexts from a ``DataView``; one instance per request (caches bodies)."""

    def __init__(self, data: DataView, site: Site) -> None:
        self.data = data
        self.site = site

    # -- values ----------------------------------------------------------------------------

    def node_link(self, node: Term) -> Link:
        if isinstance(node, ox.NamedNode):
            return self.site.link(node.value, self.data.label(node))
        if isinstance(node, ox.BlankNode):
            return Link(None, f"_:{node.value}")
        return Link(None, str(node))

    def value(self, term: Term) -> Part:
        if isinstance(term, ox.Literal):
            text = term.value
            if term.language:
                return f"{text} @{term.language}"
            return text
        return self.node_link(term)

    def values(self, node: Subject, predicate: object) -> list[Part]:
        return self.join([self.value(v) for v in self.data.objects(node, predicate)])

    @staticmethod
    def join(parts: Sequence[Part], last: str = ", ") -> list[Part]:
        out: list[Part] = []
        for i, part in enumerate(parts):
            if i:
                out.append(last if i == len(parts) - 1 and last != ", " else ", ")
            out.append(part)
        return out

    def text(self, node: Subject, predicate: object) -> str | None:
        value = self.data.first(node, predicate)
        return value.value if isinstance(value, ox.Literal) else None

    def evidence_views(self, spans: Iterable[EvidenceSpan], label: str = "evidence"
                       ) -> list[EvidenceView]:
        views = []
        for span in spans:
            where = (f"characters {span.start}–{span.end}" if span.start is not None else "")
            views.append(EvidenceView(
                span.before, span.exact, span.after, span.located,
                self.node_link(span.article) if span.article else None,
                (self.site.link(span.node.value, "annotation")
                 if isinstance(span.node, ox.NamedNode) else None),
                where, label))
        return views

    def table(self, node: Subject) -> list[Row]:
        rows = []
        for predicate, objects in self.data.properties(node).items():
            rows.append(Row(self.site.link(predicate),
                            self.join([self.value(o) for o in objects])))
        return rows

    def inbound(self, node: Term) -> list[tuple[Link, Link]]:
        return [(self.node_link(t.subject), self.site.link(t.predicate.value))
                for t in self.data.inbound(node)]

    # -- facts in words ------------------------------------------------------------------

    def date_parts(self, fact: Subject) -> list[Part]:
        date = self.data.first(fact, NKG.date)
        if not isinstance(date, ox.NamedNode):
            return []
        value = self.text(date, NKG.value) or ""
        written = self.text(date, NKG.asWritten)
        link = self.site.link(date.value, value or None)
        return [link, f" (“{written}”)"] if written else [link]

    def fact(self, node: Subject, *, with_evidence: bool = True) -> FactView:
        types = self.data.types(node)
        link = self.node_link(node)
        details: list[tuple[str, list[Part]]] = []
        words: list[Part]
        evidence = (self.evidence_views(self.data.evidence(node)) if with_evidence else [])
        if str(NKG.Announcement) in types:
            kind = "announcement"
            agents = [self.node_link(a) for a in self.data.objects(node, NKG.agent)]
            words = [*self.join(agents, " and "), " announced: ",
                     self.text(node, NKG.what) or ""]
            for label, predicate in (("spokesperson", NKG.spokesperson),
                                     ("addressed to", NKG.addressee)):
                if self.data.objects(node, predicate):
                    details.append((label, self.values(node, predicate)))
        elif str(NKG.Statement) in types:
            kind = "statement"
            speakers = [self.node_link(a) for a in self.data.objects(node, SDO.spokenByCharacter)]
            said = self.text(node, SDO.text) or ""
            direct = self.data.first(node, NKG.statementKind) == nn(NKG.DirectQuote)
            words = [*self.join(speakers, " and "),
                     *((" said: “", said, "”") if direct else (" stated: ", said))]
            details.append(("kind", ["direct quote" if direct else "indirect statement"]))
            if self.data.objects(node, SDO.about):
                details.append(("about", self.values(node, SDO.about)))
            if with_evidence:
                evidence += self.evidence_views(self.data.evidence(node, NKG.quoteSpan),
                                                "quoted words")
        elif str(NKG.Role) in types:
            kind = "role"
            members = [self.node_link(m) for m in self.data.objects(node, ORG.member)]
            orgs = [self.node_link(o) for o in self.data.objects(node, ORG.organization)]
            words = [*self.join(members, " and "), " is ", self.text(node, NKG.title) or "",
                     " at ", *self.join(orgs, " and ")]
        elif str(NKG.TemporalExpression) in types:
            kind = "date"
            precision = self.data.first(node, NKG.precision)
            words = [f"“{self.text(node, NKG.asWritten) or ''}” is ",
                     self.text(node, NKG.value) or ""]
            if isinstance(precision, ox.NamedNode):
                details.append(("precision", [self.node_link(precision)]))
            if self.data.objects(node, NKG.resolvedAgainst):
                details.append(("resolved against", self.values(node, NKG.resolvedAgainst)))
        else:
            kind = "resource"
            words = [link]
        when = self.date_parts(node)
        if when:
            details.insert(0, ("when", when))
        if self.data.objects(node, NKG.occasion):
            details.append(("occasion", self.values(node, NKG.occasion)))
        article = self.data.first(node, PROV_DERIVED)
        if article is not None and kind != "resource":
            details.append(("article", [self.node_link(article)]))
        return FactView(link, kind, words, details, evidence)

    def facts_about(self, node: Term, links: Iterable[tuple[str, object]],
                    cls: object) -> Section:
        """The facts of class ``cls`` linking to ``node`` by any of ``links``."""
        found: list[Subject] = []
        for _, predicate in links:
            for subject in self.data.subjects(predicate, node):
                if subject not in found and str(cls) in self.data.types(subject):
                    found.append(subject)
        title = KIND_NAMES.get(str(cls), "Facts") + "s"
        shown = found[:SECTION_CAP]
        return Section(title, [self.fact(s) for s in shown], len(found) - len(shown))

    # -- pages ---------------------------------------------------------------------------

    def page(self, iri: str) -> tuple[str, dict[str, Any]]:
        node = ox.NamedNode(iri)
        types = self.data.types(node)
        kind = next((k for cls, k in PAGE_KINDS if cls in types), "resource")
        type_names = sorted({KIND_NAMES.get(t, "") for t in types} - {""})
        context: dict[str, Any] = {
            "iri": iri, "title": self.data.label(node) or self.site.compact(iri),
            "types": [self.site.link(t) for t in sorted(types)], "type_names": type_names,
            "rows": self.table(node), "inbound": self.inbound(node),
            "wikidata": [self.site.link(o.value, f"Wikidata {o.value[len(WIKIDATA):]}")
                         for o in self.data.objects(node, "http://www.w3.org/2002/07/owl#sameAs")
                         if isinstance(o, ox.NamedNode) and o.value.startswith(WIKIDATA)],
            "sections": [], "summary": None, "details": [], "evidence": [], "body": None,
            "graph_download": None, "kind": kind,
        }
        if kind == "fact":
            fact = self.fact(node)
            context.update(summary=fact.words, details=fact.details, evidence=fact.evidence)
        elif kind == "entity":
            self._entity(node, types, context)
        elif kind == "article":
            self._article(node, context)
        else:
            context["evidence"] = self.evidence_views(self.data.evidence(node))
            if self.data.is_graph(iri):
                context["graph_download"] = iri
        return kind, context

    def _entity(self, node: ox.NamedNode, types: set[str], context: dict[str, Any]) -> None:
        details: list[tuple[str, list[Part]]] = []
        for label, predicate in (("name", SDO.name), ("also known as", SDO.alternateName),
                                 ("description", SDO.description), ("title", SDO.jobTitle),
                                 ("works for", SDO.worksFor), ("based in", SDO.location),
                                 ("part of", ORG.subOrganizationOf),
                                 ("in", SDO.containedInPlace)):
            if self.data.objects(node, predicate):
                details.append((label, self.values(node, predicate)))
        agent_links = (("agent", NKG.agent), ("spokesperson", NKG.spokesperson),
                       ("addressee", NKG.addressee))
        sections = [
            self.facts_about(node, (("member", ORG.member), ("organization", ORG.organization)),
                             NKG.Role),
            self.facts_about(node, agent_links, NKG.Announcement),
            self.facts_about(node, (("speaker", SDO.spokenByCharacter), ("about", SDO.about)),
                             NKG.Statement),
        ]
        articles: list[Subject] = []
        for predicate in (SDO.mentions, SDO.about, SDO.publisher, SDO.author,
                          SDO.sourceOrganization, NKG.credit):
            for subject in self.data.subjects(predicate, node):
                if subject not in articles and str(NKG.Article) in self.data.types(subject):
                    articles.append(subject)
        context.update(
            summary=[self.data.label(node) or self.site.compact(node.value)],
            details=details, sections=[s for s in sections if s.facts],
            articles=[self.node_link(a) for a in articles[:SECTION_CAP]],
            articles_more=max(0, len(articles) - SECTION_CAP),
            evidence=self.evidence_views(self.data.evidence(node), "named in"))

    def _article(self, node: ox.NamedNode, context: dict[str, Any]) -> None:
        details: list[tuple[str, list[Part]]] = []
        published = self.text(node, SDO.datePublished)
        if published:
            written = self.text(node, NKG.datePublishedAsWritten)
            details.append(("published", [published + (f" (“{written}”)" if written else "")]))
        for label, predicate in (("publisher", SDO.publisher), ("by", SDO.author),
                                 ("from", SDO.sourceOrganization), ("credits", NKG.credit),
                                 ("language", SDO.inLanguage)):
            if self.data.objects(node, predicate):
                details.append((label, self.values(node, predicate)))
        url = self.text(node, SDO.url)
        if url:
            href = url if urlsplit(url).scheme.lower() in ("http", "https") else None
            details.append(("source", [Link(href, url, external=True)]))
        sections = [self.facts_about(node, (("derived from", PROV_DERIVED),), cls)
                    for cls in (NKG.Announcement, NKG.Statement, NKG.Role,
                                NKG.TemporalExpression)]
        mentioned = self.data.objects(node, SDO.mentions) + self.data.objects(node, SDO.about)
        graph = self.site.base + "graph/" + node.value[len(self.site.base + "article/"):]
        context.update(
            summary=[self.text(node, SDO.headline) or self.site.compact(node.value)],
            details=details, sections=[s for s in sections if s.facts],
            mentioned=self.join([self.node_link(m) for m in mentioned]),
            evidence=self.evidence_views(self.data.evidence(node), "date line"),
            body=self.data.article_body(node),
            graph_download=graph if self.data.is_graph(graph) else None)


_ID = re.compile(r"[^A-Za-z0-9_-]")


def anchor(text: str) -> str:
    """An HTML id made of safe characters only."""
    return _ID.sub("-", text)
