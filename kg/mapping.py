"""map: FactSheet → rdflib Dataset, one named graph per article. A pure function.

Each article's graph holds the article, the entities it mentions (their shared IRIs, see
``kg.iris``), every fact, each fact's evidence (a Web Annotation specific resource with a
quote selector and a position selector), and the build activity (PROV-O). No blank nodes:
every node has an IRI, so graphs can be loaded in chunks and reloaded without duplicates.
The data is typed with the standard classes too (schema.org, W3C ORG, PROV-O, SKOS, OWL-Time).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SKOS, TIME

from kg import __version__
from kg.authority import WIKIDATA, by_wikidata, lookup
from kg.facts import DateValue, Entity, Evidence, FactSheet
from kg.iris import DEFAULT_BASE, Minter

NKG = Namespace("https://w3id.org/newskg/ns#")
SDO = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES: dict[str, Namespace] = {
    "nkg": NKG,
    "schema": SDO,
    "org": ORG,
    "prov": Namespace(str(PROV)),
    "time": Namespace(str(TIME)),
    "oa": OA,
    "skos": Namespace(str(SKOS)),
    "owl": Namespace(str(OWL)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "wd": Namespace(WIKIDATA),
}

ENTITY_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "organization": (NKG.Organization, SDO.Organization, ORG.Organization, PROV.Agent),
    "person": (NKG.Person, SDO.Person, PROV.Agent),
    "place": (NKG.Place, SDO.Place),
    "topic": (NKG.Topic, SKOS.Concept),
}

PRECISION_IRIS: dict[str, URIRef] = {
    "instant": NKG.InstantPrecision,
    "minute": NKG.MinutePrecision,
    "day": NKG.DayPrecision,
    "week": NKG.WeekPrecision,
    "month": NKG.MonthPrecision,
    "year": NKG.YearPrecision,
    "duration": NKG.DurationPrecision,
}

# precision → (datatype of the value, the OWL-Time property that carries it)
_VALUE_TYPES: dict[str, tuple[URIRef, URIRef]] = {
    "instant": (XSD.dateTime, TIME.inXSDDateTimeStamp),
    "minute": (XSD.dateTime, TIME.inXSDDateTimeStamp),
    "day": (XSD.date, TIME.inXSDDate),
    "week": (XSD.date, TIME.inXSDDate),
    "month": (XSD.gYearMonth, TIME.inXSDgYearMonth),
    "year": (XSD.gYear, TIME.inXSDgYear),
    "duration": (XSD.duration, TIME.hasXSDDuration),
}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.bind("article", Namespace(f"{base}article/"), override=True, replace=True)
    for kind in ("organization", "person", "place", "topic"):
        graph.bind(kind, Namespace(f"{base}{kind}/"), override=True, replace=True)


def canonical_name(entity: Entity) -> tuple[str, str | None]:
    """(name the IRI is minted from, Wikidata id or None)."""
    if entity.wikidata:
        entry = by_wikidata(entity.wikidata)
        return (entry.name if entry else entity.name), entity.wikidata
    entry = lookup(entity.type, (entity.name, *entity.aliases))
    if entry is not None:
        return entry.name, entry.wikidata
    return entity.name, None


def _moment(value: str) -> Literal:
    """A date-time, or a day alone when that is all the source says."""
    return Literal(value, datatype=XSD.date if len(value) == 10 else XSD.dateTime)


def _value_literal(d: DateValue) -> Literal:
    datatype, _ = _VALUE_TYPES[d.precision]
    return Literal(d.value, datatype=datatype)


class _Mapper:
    def __init__(self, sheet: FactSheet, base: str, generated_at: datetime | None,
                 graph: Graph) -> None:
        self.sheet = sheet
        self.m = Minter(base, sheet.article.id)
        self.generated_at = generated_at
        self.g = graph
        self.iri: dict[str, URIRef] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def evidence(self, node: URIRef, ev: Evidence, iri: URIRef, link: URIRef = NKG.evidence
                 ) -> None:
        q, pos = URIRef(f"{iri}/quote"), URIRef(f"{iri}/position")
        self.add(node, link, iri)
        for cls in (NKG.Evidence, OA.SpecificResource):
            self.add(iri, RDF.type, cls)
        self.add(iri, OA.hasSource, self.m.article)
        self.add(iri, OA.hasSelector, q)
        self.add(iri, OA.hasSelector, pos)
        self.add(q, RDF.type, OA.TextQuoteSelector)
        self.add(q, OA.exact, Literal(ev.exact))
        if ev.prefix:
            self.add(q, OA.prefix, Literal(ev.prefix))
        if ev.suffix:
            self.add(q, OA.suffix, Literal(ev.suffix))
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(ev.start, datatype=XSD.nonNegativeInteger))
        self.add(pos, OA.end, Literal(ev.end, datatype=XSD.nonNegativeInteger))

    def fact(self, node: URIRef, classes: Iterable[URIRef], label: str, ev: Evidence,
             fact_id: str, confidence: float | None) -> None:
        for cls in classes:
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(label))
        self.add(node, PROV.wasDerivedFrom, self.m.article)
        self.add(node, PROV.wasGeneratedBy, self.m.build)
        self.evidence(node, ev, self.m.evidence(fact_id))
        if confidence is not None:
            self.add(node, NKG.confidence, Literal(Decimal(str(confidence)),
                                                  datatype=XSD.decimal))

    def name(self, ref: str) -> str:
        return self.sheet.entity(ref).name

    def run(self) -> Graph:
        sheet, m = self.sheet, self.m
        # Entities first: every later fact refers to them by IRI.
        for e in sheet.entities:
            self.iri[e.id] = m.entity(e.type, canonical_name(e)[0])
        for e in sheet.entities:
            self.entity(e)
        self.article()
        for d in sheet.dates:
            self.date(d)
        for r in sheet.roles:
            node = m.fact("role", r.id)
            person, org = self.iri[r.person], self.iri[r.organization]
            self.fact(node, (NKG.Role, ORG.Membership),
                      f"{self.name(r.person)}, {r.title}, {self.name(r.organization)}",
                      r.evidence, r.id, r.confidence)
            self.add(node, ORG.member, person)
            self.add(node, ORG.organization, org)
            self.add(node, NKG.title, Literal(r.title))
            # Repeated on the person so a schema.org-only consumer sees the role.
            self.add(person, SDO.jobTitle, Literal(r.title))
            self.add(person, SDO.worksFor, org)
        for a in sheet.announcements:
            node = m.fact("announcement", a.id)
            names = [self.name(x) for x in a.agents]
            agents = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            self.fact(node, (NKG.Announcement, SDO.Event, PROV.Activity), f"{agents}: {a.what}",
                      a.evidence, a.id, a.confidence)
            for agent in a.agents:
                self.add(node, NKG.agent, self.iri[agent])
            self.add(node, NKG.what, Literal(a.what))
            if a.spokesperson:
                self.add(node, NKG.spokesperson, self.iri[a.spokesperson])
            if a.addressee:
                self.add(node, NKG.addressee, self.iri[a.addressee])
            if a.occasion:
                self.add(node, NKG.occasion, Literal(a.occasion))
            if a.date:
                self.add(node, NKG.date, self.iri[a.date])
                d = sheet.date(a.date)
                if d.precision in ("instant", "minute", "day"):
                    self.add(node, SDO.startDate, _value_literal(d))
        for s in sheet.statements:
            node = m.fact("statement", s.id)
            kind = NKG.DirectQuote if s.kind == "direct" else NKG.IndirectStatement
            short = s.text if len(s.text) <= 60 else s.text[:57] + "..."
            self.fact(node, (NKG.Statement, SDO.Quotation), f"{self.name(s.speaker)}: {short}",
                      s.evidence, s.id, s.confidence)
            self.add(node, SDO.spokenByCharacter, self.iri[s.speaker])
            self.add(node, SDO.text, Literal(s.text))
            self.add(node, NKG.statementKind, kind)
            for n, span in enumerate(s.quote_spans, start=1):
                self.evidence(node, span, m.evidence(s.id, f"/quote-{n}"), NKG.quoteSpan)
            if s.date:
                self.add(node, NKG.date, self.iri[s.date])
                d = sheet.date(s.date)
                if d.precision in ("instant", "minute", "day"):
                    self.add(node, SDO.dateCreated, _value_literal(d))
            if s.occasion:
                self.add(node, NKG.occasion, Literal(s.occasion))
            for ref in s.about:
                self.add(node, SDO.about, self.iri[ref])
            if s.implicit_speaker:
                self.add(node, NKG.implicitSpeaker, Literal(True))
        self.build()
        return self.g

    def entity(self, e: Entity) -> None:
        node = self.iri[e.id]
        canonical, qid = canonical_name(e)
        for cls in ENTITY_CLASSES[e.type]:
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(canonical))
        if e.type == "topic":
            self.add(node, SKOS.prefLabel, Literal(canonical))
        else:
            self.add(node, SDO.name, Literal(e.name))
        for alias in e.aliases:
            self.add(node, SDO.alternateName, Literal(alias))
        if e.description:
            self.add(node, SDO.description, Literal(e.description))
        if qid:
            wd = URIRef(WIKIDATA + qid)
            self.add(node, OWL.sameAs, wd)
            self.add(node, SDO.sameAs, wd)
        if e.located_in:
            prop = SDO.containedInPlace if e.type == "place" else SDO.location
            self.add(node, prop, self.iri[e.located_in])
        if e.part_of:
            prop = ORG.subOrganizationOf if e.type == "organization" else SDO.containedInPlace
            self.add(node, prop, self.iri[e.part_of])
        self.evidence(node, e.evidence, self.m.evidence(e.id))
        if e.confidence is not None:
            self.add(node, NKG.confidence, Literal(Decimal(str(e.confidence)),
                                                  datatype=XSD.decimal))
        art = self.m.article
        self.add(art, SDO.about if e.type == "topic" else SDO.mentions, node)

    def article(self) -> None:
        a, node = self.sheet.article, self.m.article
        for cls in (NKG.Article, SDO.NewsArticle, PROV.Entity):
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(a.headline))
        self.add(node, SDO.headline, Literal(a.headline))
        self.add(node, SDO.datePublished, _moment(a.published))
        if a.published_as_written:
            self.add(node, NKG.datePublishedAsWritten, Literal(a.published_as_written))
        if a.url:
            self.add(node, SDO.url, Literal(a.url, datatype=XSD.anyURI))
        self.add(node, SDO.inLanguage, Literal(a.language))
        self.add(node, SDO.articleBody, Literal(a.text))
        if a.publisher:
            self.add(node, SDO.publisher, self.iri[a.publisher])
        for ref in a.authors:
            self.add(node, SDO.author, self.iri[ref])
        if a.source_organization:
            self.add(node, SDO.sourceOrganization, self.iri[a.source_organization])
        for ref in a.credits:
            self.add(node, NKG.credit, self.iri[ref])
        for n, ev in enumerate(a.evidence, start=1):
            self.evidence(node, ev, self.m.evidence("article", f"-{n}"))

    def date(self, d: DateValue) -> None:
        node = self.m.fact("date", d.id)
        self.iri[d.id] = node
        time_class = TIME.TemporalDuration if d.precision == "duration" else TIME.TemporalEntity
        self.fact(node, (NKG.TemporalExpression, time_class), f"{d.text} ({d.value})",
                  d.evidence, d.id, d.confidence)
        _, time_prop = _VALUE_TYPES[d.precision]
        value = _value_literal(d)
        self.add(node, NKG.asWritten, Literal(d.text))
        self.add(node, NKG.value, value)
        self.add(node, time_prop, value)
        self.add(node, NKG.precision, PRECISION_IRIS[d.precision])
        self.add(node, NKG.resolvedAgainst, _moment(d.resolved_against))
        if d.end:
            self.add(node, NKG.periodEnd, Literal(d.end, datatype=XSD.date))

    def build(self) -> None:
        m, node = self.m, self.m.build
        software = m.software(__version__)
        self.add(node, RDF.type, NKG.Build)
        self.add(node, RDF.type, PROV.Activity)
        self.add(node, RDFS.label, Literal(f"newskg {__version__} build of {m.article_id}"))
        self.add(node, PROV.used, m.article)
        self.add(node, PROV.wasAssociatedWith, software)
        if self.generated_at is not None:
            self.add(node, PROV.endedAtTime, Literal(self.generated_at.isoformat(),
                                                     datatype=XSD.dateTime))
        self.add(software, RDF.type, PROV.SoftwareAgent)
        self.add(software, RDFS.label, Literal(f"newskg {__version__}"))
        self.add(software, SDO.softwareVersion, Literal(__version__))


def map_into(dataset: Dataset, sheet: FactSheet, *, base: str = DEFAULT_BASE,
             generated_at: datetime | None = None) -> URIRef:
    """Add ``sheet``'s named graph to ``dataset`` (replacing a graph of the same article)."""
    name = Minter(base, sheet.article.id).graph
    graph = dataset.graph(name)
    graph.remove((None, None, None))
    _Mapper(sheet, base, generated_at, graph).run()
    return name


def map_many(sheets: Iterable[FactSheet], *, base: str = DEFAULT_BASE,
             generated_at: datetime | None = None) -> Dataset:
    """A Dataset with one named graph per sheet. Pure: same sheets → same triples and IRIs."""
    dataset = Dataset()
    bind_prefixes(dataset, base)
    seen: dict[str, str | None] = {}
    for sheet in sheets:
        if sheet.article.id in seen:
            raise ValueError(
                f"article id {sheet.article.id!r} is used by two facts files: "
                f"{seen[sheet.article.id]} and {sheet.source_path}"
            )
        seen[sheet.article.id] = sheet.source_path
        map_into(dataset, sheet, base=base, generated_at=generated_at)
    return dataset


def map_facts(sheet: FactSheet, *, base: str = DEFAULT_BASE,
              generated_at: datetime | None = None) -> Dataset:
    """A Dataset holding ``sheet``'s one named graph."""
    return map_many([sheet], base=base, generated_at=generated_at)


def merged(dataset: Dataset) -> Graph:
    """All named graphs' triples as one Graph (the Turtle export, the validation input)."""
    graph = Graph()
    for prefix, ns in dataset.namespace_manager.namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
