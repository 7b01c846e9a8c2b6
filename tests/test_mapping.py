"""map: FactSheet → Dataset. Per-class mapping, IRI stability, shared entities, provenance."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SKOS, TIME

from kg.errors import ConfigError
from kg.facts import FactSheet
from kg.iris import DEFAULT_BASE, resolve_base, slugify
from kg.mapping import NKG, OA, ORG, SDO, map_facts, map_many, merged

from .conftest import BUILD_TIME

ID = DEFAULT_BASE
ART = URIRef(f"{ID}article/microsoft-face-recognition-police")
MSFT = URIRef(f"{ID}organization/microsoft")
SMITH = URIRef(f"{ID}person/brad-smith")
WD = "http://www.wikidata.org/entity/"


def fact(kind: str, fid: str) -> URIRef:
    return URIRef(f"{ART}/{kind}/{fid}")


def test_one_named_graph_per_article(dataset: Dataset) -> None:
    graphs = [c.identifier for c in dataset.graphs() if len(c)]
    assert graphs == [URIRef(f"{ID}graph/microsoft-face-recognition-police")]


def test_no_blank_nodes(dataset: Dataset) -> None:
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        assert not isinstance(s, BNode) and not isinstance(o, BNode), (s, p, o)


def test_article(dataset: Dataset) -> None:
    g = merged(dataset)
    assert {NKG.Article, SDO.NewsArticle, PROV.Entity} <= set(g.objects(ART, RDF.type))
    assert g.value(ART, SDO.headline) == Literal(
        "Microsoft Bans Face-Recognition Sales to Police as Big Tech Reacts to Protests")
    published = g.value(ART, SDO.datePublished)
    assert isinstance(published, Literal) and published.datatype == XSD.dateTime
    assert str(published) == "2020-06-12T12:17:00+05:30"
    assert g.value(ART, SDO.publisher) == URIRef(f"{ID}organization/gadgets-360")
    assert g.value(ART, SDO.sourceOrganization) == URIRef(f"{ID}organization/associated-press")
    assert g.value(ART, SDO.author) == URIRef(f"{ID}organization/associated-press")
    assert g.value(ART, NKG.credit) == URIRef(f"{ID}organization/reuters")
    assert MSFT in set(g.objects(ART, SDO.mentions))
    assert URIRef(f"{ID}topic/facial-recognition") in set(g.objects(ART, SDO.about))


def test_organizations_with_wikidata_from_authority(dataset: Dataset) -> None:
    g = merged(dataset)
    expected = {
        "microsoft": "Q2283", "amazon": "Q3884", "ibm": "Q37156",
        "american-civil-liberties-union": "Q21637", "united-states-congress": "Q11268",
        "associated-press": "Q40469", "reuters": "Q130879", "the-washington-post": "Q166032",
    }
    for slug, qid in expected.items():
        node = URIRef(f"{ID}organization/{slug}")
        assert {NKG.Organization, SDO.Organization, ORG.Organization} <= set(
            g.objects(node, RDF.type)), slug
        assert g.value(node, OWL.sameAs) == URIRef(WD + qid)
        assert g.value(node, SDO.sameAs) == URIRef(WD + qid)
    for slug in ("nec", "idemia", "gemalto", "aclu-of-northern-california", "gadgets-360"):
        assert g.value(URIRef(f"{ID}organization/{slug}"), OWL.sameAs) is None
    places = {"san-francisco": "Q62", "tokyo": "Q1490", "united-states": "Q30"}
    for slug, qid in places.items():
        assert g.value(URIRef(f"{ID}place/{slug}"), OWL.sameAs) == URIRef(WD + qid)
    nec = URIRef(f"{ID}organization/nec")
    assert g.value(nec, SDO.location) == URIRef(f"{ID}place/tokyo")
    aclu = URIRef(f"{ID}organization/american-civil-liberties-union")
    chapter = URIRef(f"{ID}organization/aclu-of-northern-california")
    assert g.value(chapter, ORG.subOrganizationOf) == aclu


def test_role(dataset: Dataset) -> None:
    g = merged(dataset)
    role = fact("role", "smith-microsoft")
    assert {NKG.Role, ORG.Membership} <= set(g.objects(role, RDF.type))
    assert g.value(role, ORG.member) == SMITH
    assert g.value(role, ORG.organization) == MSFT
    assert g.value(role, NKG.title) == Literal("president and chief counsel")
    assert g.value(SMITH, SDO.jobTitle) == Literal("president and chief counsel")
    assert g.value(SMITH, SDO.worksFor) == MSFT


def test_announcement(dataset: Dataset) -> None:
    g = merged(dataset)
    a = fact("announcement", "microsoft-stops-police-sales")
    assert {NKG.Announcement, SDO.Event, PROV.Activity} <= set(g.objects(a, RDF.type))
    assert g.value(a, NKG.agent) == MSFT
    assert g.value(a, NKG.spokesperson) == SMITH
    assert g.value(a, SDO.startDate) == Literal("2020-06-11", datatype=XSD.date)
    assert g.value(a, NKG.occasion) == Literal("a Washington Post video event")
    three = fact("announcement", "companies-call-for-national-rules")
    assert len(set(g.objects(three, NKG.agent))) == 3
    assert g.value(three, NKG.addressee) == URIRef(f"{ID}organization/united-states-congress")


def test_statement_and_quote_spans(dataset: Dataset, sheet: FactSheet) -> None:
    g = merged(dataset)
    s = fact("statement", "cagle-quote")
    assert {NKG.Statement, SDO.Quotation} <= set(g.objects(s, RDF.type))
    assert g.value(s, SDO.spokenByCharacter) == URIRef(f"{ID}person/matt-cagle")
    assert g.value(s, NKG.statementKind) == NKG.DirectQuote
    assert g.value(s, SDO.dateCreated) == Literal("2020-06-11", datatype=XSD.date)
    span = g.value(s, NKG.quoteSpan)
    assert span is not None
    text = sheet.article.text
    pos = URIRef(f"{span}/position")
    start, end = (int(g.value(pos, OA.start)), int(g.value(pos, OA.end)))  # type: ignore[arg-type]
    assert text[start:end] == str(g.value(s, SDO.text))
    indirect = fact("statement", "aclu-criticism")
    assert g.value(indirect, NKG.statementKind) == NKG.IndirectStatement
    assert g.value(indirect, NKG.quoteSpan) is None


def test_dates(dataset: Dataset) -> None:
    g = merged(dataset)
    thursday = fact("date", "thursday-event")
    assert g.value(thursday, NKG.value) == Literal("2020-06-11", datatype=XSD.date)
    assert g.value(thursday, TIME.inXSDDate) == Literal("2020-06-11", datatype=XSD.date)
    assert g.value(thursday, NKG.precision) == NKG.DayPrecision
    assert g.value(thursday, NKG.asWritten) == Literal("Thursday")
    week = fact("date", "this-week")
    assert g.value(week, NKG.precision) == NKG.WeekPrecision
    assert g.value(week, NKG.periodEnd) == Literal("2020-06-14", datatype=XSD.date)
    two = fact("date", "two-years")
    assert g.value(two, NKG.value) == Literal("P2Y", datatype=XSD.duration)
    assert TIME.TemporalDuration in set(g.objects(two, RDF.type))
    published = fact("date", "published")
    assert g.value(published, NKG.precision) == NKG.MinutePrecision


def test_evidence_and_provenance(dataset: Dataset, sheet: FactSheet) -> None:
    g = merged(dataset)
    role = fact("role", "cagle-aclu-northern-california")
    ev = g.value(role, NKG.evidence)
    assert ev == URIRef(f"{ART}/evidence/cagle-aclu-northern-california")
    assert g.value(ev, OA.hasSource) == ART
    quote = g.value(URIRef(f"{ev}/quote"), OA.exact)
    assert quote == Literal("Matt Cagle, an attorney with the ACLU of Northern California")
    assert g.value(role, PROV.wasDerivedFrom) == ART
    build = g.value(role, PROV.wasGeneratedBy)
    assert build == URIRef(f"{ART}/build")
    assert g.value(build, PROV.endedAtTime) == Literal(BUILD_TIME.isoformat(),
                                                       datatype=XSD.dateTime)
    software = g.value(build, PROV.wasAssociatedWith)
    assert (software, RDF.type, PROV.SoftwareAgent) in g


def test_topic_is_skos_concept(dataset: Dataset) -> None:
    g = merged(dataset)
    topic = URIRef(f"{ID}topic/facial-recognition")
    assert {NKG.Topic, SKOS.Concept} <= set(g.objects(topic, RDF.type))
    assert g.value(topic, SKOS.prefLabel) == Literal("facial recognition")
    assert g.value(topic, RDFS.label) == Literal("facial recognition")


def test_iris_are_stable_across_runs(sheet: FactSheet) -> None:
    one = map_facts(sheet, generated_at=BUILD_TIME)
    two = map_facts(sheet, generated_at=BUILD_TIME)
    assert set(one.quads((None, None, None, None))) == set(two.quads((None, None, None, None)))


def test_same_organization_in_two_articles_is_one_node(sheet: FactSheet) -> None:
    article = dataclasses.replace(sheet.article, id="another-article")
    # The other article calls Microsoft by another alias of the authority file.
    entities = tuple(
        dataclasses.replace(e, name="Microsoft Corp.") if e.id == "microsoft" else e
        for e in sheet.entities
    )
    other = dataclasses.replace(sheet, article=article, entities=entities)
    ds = map_many([sheet, other], generated_at=BUILD_TIME)
    graphs = {c.identifier for c in ds.graphs() if len(c)}
    assert len(graphs) == 2
    for graph in graphs:
        assert (MSFT, RDF.type, NKG.Organization) in ds.graph(graph)
    assert len({s for s in merged(ds).subjects(OWL.sameAs, URIRef(WD + "Q2283"))}) == 1


def test_two_sheets_with_one_article_id_are_refused(sheet: FactSheet) -> None:
    with pytest.raises(ValueError, match="used by two facts files"):
        map_many([sheet, sheet])


def test_base_iri(sheet: FactSheet) -> None:
    ds = map_facts(sheet, base="https://example.org/news/", generated_at=BUILD_TIME)
    subjects = {str(s) for s in merged(ds).subjects()}
    assert "https://example.org/news/organization/microsoft" in subjects
    assert not any(s.startswith(DEFAULT_BASE) for s in subjects)


def test_base_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSKG_BASE", raising=False)
    assert resolve_base(cwd=tmp_path) == DEFAULT_BASE
    (tmp_path / "newskg.toml").write_text('base = "https://conf.example/kg"\n')
    assert resolve_base(cwd=tmp_path) == "https://conf.example/kg/"
    monkeypatch.setenv("NEWSKG_BASE", "https://env.example/")
    assert resolve_base(cwd=tmp_path) == "https://env.example/"
    assert resolve_base("https://flag.example/x/", cwd=tmp_path) == "https://flag.example/x/"
    with pytest.raises(ConfigError, match="not an absolute http"):
        resolve_base("not a base")
    monkeypatch.delenv("NEWSKG_BASE")
    (tmp_path / "newskg.toml").write_text("base = [1]\n")
    with pytest.raises(ConfigError, match="must be a string"):
        resolve_base(cwd=tmp_path)


def test_slugify() -> None:
    assert slugify("ACLU of Northern California") == "aclu-of-northern-california"
    assert slugify("Société Générale") == "societe-generale"
    assert slugify("---") == "x"


def test_generated_time_only_from_argument(sheet: FactSheet) -> None:
    ds = map_facts(sheet)
    assert not list(merged(ds).triples((None, PROV.endedAtTime, None)))
    later = map_facts(sheet, generated_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert not isomorphic(merged(ds), merged(later))
