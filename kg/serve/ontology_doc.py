"""``/ontology``: documentation generated from ``ontology/newskg.ttl``, and the file itself.

https://www.w3.org/TR/owl2-primer/ · the page lists the ontology's header (version, license),
then its classes, properties and individuals, then the reused terms it describes, each with
its label, comment, and its relations (super-class, domain, range, …) as links. Terms of the
ontology's namespace get an anchor named by their local name, which is where ``nkg:X`` links
(and the namespace IRI ``https://w3id.org/newskg/ns#X`` mapped by ``Site``) land.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kg.mapping import NKG
from kg.resources import ontology_path

RELATIONS = (
    (RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
    (RDFS.domain, "domain"), (RDFS.range, "range"), (SKOS.inScheme, "in scheme"),
    (SKOS.closeMatch, "close match"), (RDFS.seeAlso, "see also"),
)
KINDS = ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"),
         (OWL.DatatypeProperty, "datatype property"),
         (OWL.AnnotationProperty, "annotation property"), (SKOS.ConceptScheme, "concept scheme"))


@dataclass(frozen=True)
class TermDoc:
    iri: str
    anchor: str
    name: str
    label: str
    comment: str
    kind: str
    relations: list[tuple[str, list[str]]] = field(default_factory=list)
    """(relation, IRIs)."""


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    label: str
    comment: str
    version: str
    version_iri: str
    license: str
    sections: list[tuple[str, list[TermDoc]]]
    turtle: bytes

    def term_iris(self) -> set[str]:
        return {t.iri for _, terms in self.sections for t in terms}


def _text(graph: Graph, node: URIRef, predicate: URIRef) -> str:
    values = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
    english = [v for v in values if v.language in (None, "en")]
    chosen = english or values
    return str(chosen[0]) if chosen else ""


def _term(graph: Graph, node: URIRef, ns: str) -> TermDoc:
    iri = str(node)
    local = iri[len(ns):] if iri.startswith(ns) else None
    name = f"nkg:{local}" if local else graph.namespace_manager.normalizeUri(node)
    types = set(graph.objects(node, RDF.type))
    kind = next((k for cls, k in KINDS if cls in types),
                "individual" if types else "term")
    relations = []
    for predicate, label in RELATIONS:
        objects = sorted(str(o) for o in graph.objects(node, predicate) if isinstance(o, URIRef))
        if objects:
            relations.append((label, objects))
    anchor = local if local else "ext-" + name.replace(":", "-")
    return TermDoc(iri, anchor, name, _text(graph, node, RDFS.label),
                   _text(graph, node, RDFS.comment), kind, relations)


@cache
def ontology_doc() -> OntologyDoc:
    """The ontology's documentation, read once from the shipped Turtle."""
    path = ontology_path()
    turtle = path.read_bytes()
    graph = Graph()
    graph.parse(data=turtle, format="turtle")
    ns = str(NKG)
    onto = next(s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    own: list[TermDoc] = []
    reused: list[TermDoc] = []
    subjects = {s for s in graph.subjects(RDFS.label, None) if isinstance(s, URIRef)}
    for node in sorted(subjects - {onto}, key=str):
        (own if str(node).startswith(ns) else reused).append(_term(graph, node, ns))
    classes = [t for t in own if t.kind == "class"]
    properties = [t for t in own if t.kind.endswith("property")]
    others = [t for t in own if t not in classes and t not in properties]
    version_iri = next((str(o) for o in graph.objects(onto, OWL.versionIRI)), "")
    license_iri = next((str(o) for o in graph.objects(
        onto, URIRef("http://purl.org/dc/terms/license"))), "")
    return OntologyDoc(
        str(onto), _text(graph, onto, RDFS.label), _text(graph, onto, RDFS.comment),
        _text(graph, onto, OWL.versionInfo), version_iri, license_iri,
        [("Classes", classes), ("Properties", properties),
         ("Individuals and concept schemes", others), ("Reused terms", reused)],
        turtle)


def ontology_as(fmt: ox.RdfFormat) -> bytes:
    """The ontology in another RDF syntax (pyoxigraph's parser and serializer)."""
    doc = ontology_doc()
    triples = [q.triple for q in ox.parse(doc.turtle, format=ox.RdfFormat.TURTLE)]
    return ox.serialize(triples, format=fmt) or b""
