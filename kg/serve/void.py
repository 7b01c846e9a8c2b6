"""``/.well-known/void``: the dataset described in VoID and DCAT.

https://www.w3.org/TR/void/#well-known · https://www.w3.org/TR/vocab-dcat-3/

One ``void:Dataset`` (also a ``dcat:Dataset``) with its size (triples, entities, distinct
subjects, properties, classes and a class partition), where its IRIs live (``void:uriSpace``),
how to get it (the SPARQL endpoint, the three dumps as ``void:dataDump`` and as
``dcat:Distribution``s with their media types) and under what license (``dcterms:license``,
set with ``kg serve --license``; left out, with a ``dcterms:rights`` note, when none is given:
a server must not invent a license for data it does not own). Nodes are IRIs in the document
(``#dataset``, ``#class-1``, …), never blank nodes.
"""

from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox

from kg.mapping import NKG, PREFIXES
from kg.serve.data import Overview
from kg.serve.downloads import DUMPS

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
IANA = "https://www.iana.org/assignments/media-types/"
VOID_PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "xsd": XSD}


def void_triples(overview: Overview, *, server: str, base: str, license_iri: str | None,
                 modified: datetime) -> list[ox.Triple]:
    """``server``: this server's address (``http://127.0.0.1:8000``) for the access URLs."""
    doc = f"{server}/.well-known/void"
    ds = ox.NamedNode(f"{doc}#dataset")
    out: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Triple(s, ox.NamedNode(p), o))

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))

    add(ds, RDF_TYPE.value, ox.NamedNode(VOID + "Dataset"))
    add(ds, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset"))
    add(ds, DCT + "title", ox.Literal("newskg knowledge graph", language="en"))
    add(ds, DCT + "description", ox.Literal(
        "Facts stated in news articles (organizations, people, roles, announcements, "
        "statements, dates), each linked to the article text that supports it; one named "
        "graph per article.", language="en"))
    if license_iri:
        add(ds, DCT + "license", ox.NamedNode(license_iri))
    else:
        add(ds, DCT + "rights", ox.Literal(
            "No license was stated by the publisher of this server (kg serve --license).",
            language="en"))
    add(ds, DCT + "modified", ox.Literal(modified.isoformat(),
                                         datatype=ox.NamedNode(XSD + "dateTime")))
    add(ds, VOID + "triples", count(overview.triples))
    add(ds, VOID + "entities", count(overview.entities))
    add(ds, VOID + "distinctSubjects", count(overview.subjects))
    add(ds, VOID + "properties", count(overview.properties))
    add(ds, VOID + "classes", count(len(overview.classes)))
    add(ds, VOID + "uriSpace", ox.Literal(base))
    add(ds, VOID + "sparqlEndpoint", ox.NamedNode(f"{server}/sparql"))
    for ns in (NKG, *(PREFIXES[p] for p in ("schema", "org", "prov", "oa", "skos", "time"))):
        add(ds, VOID + "vocabulary", ox.NamedNode(str(ns)))
    if overview.articles:
        add(ds, VOID + "exampleResource", ox.NamedNode(overview.articles[0].iri))
    for n, (cls, entities) in enumerate(sorted(overview.classes.items()), start=1):
        part = ox.NamedNode(f"{doc}#class-{n}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", ox.NamedNode(cls))
        add(part, VOID + "entities", count(entities))
    for name, (_, media_type) in DUMPS.items():
        url = ox.NamedNode(f"{server}/download/{name}")
        dist = ox.NamedNode(f"{doc}#{name.replace('.', '-')}")
        add(ds, VOID + "dataDump", url)
        add(ds, DCAT + "distribution", dist)
        add(dist, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution"))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "mediaType", ox.NamedNode(IANA + media_type.split(";")[0]))
        if license_iri:
            add(dist, DCT + "license", ox.NamedNode(license_iri))
    return out
