"""The ontology, the shapes, the mapper and the JSON-LD context name one vocabulary.

Every class and property the shapes or the mapper use is declared in ``ontology/newskg.ttl``
(as the right kind of term), every nkg: class the mapper emits has a node shape, every declared
term is labelled and explained, and every JSON-LD context term expands to a declared IRI.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

import kg.mapping
from kg.factsfile import load_facts
from kg.mapping import map_facts, merged
from kg.resources import context_path, ontology_path
from kg.validate import load_shapes, parse_turtle

SH = Namespace("http://www.w3.org/ns/shacl#")
NKG = Namespace("https://w3id.org/newskg/ns#")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = str(RDF)
ONTOLOGY_IRI = URIRef("https://w3id.org/newskg/ns")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FACTS = ROOT / "examples" / "microsoft-face-recognition-police" / "facts.yaml"

CLASS = "class"
PROPERTY = "property"
INDIVIDUAL = "individual"
ANY = "term"  # named in a SPARQL text, which does not say what kind of term it is
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
TERM_TYPES = (OWL.Class, *PROPERTY_TYPES)

# Vocabularies the ontology describes the used terms of (xsd:, rdf: and sh: are not among them).
VOCABULARIES = {
    "nkg": str(NKG), "schema": "http://schema.org/", "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#", "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "time": "http://www.w3.org/2006/time#",
    "owl": str(OWL), "rdfs": str(RDFS),
}


@cache
def ontology() -> Graph:
    return parse_turtle(ontology_path())


@cache
def shapes() -> Graph:
    return load_shapes()


@cache
def bundled_graph() -> Graph:
    sheet = load_facts(EXAMPLE_FACTS)
    return merged(map_facts(sheet, generated_at=datetime(2020, 6, 12, 12, 0, tzinfo=UTC)))


def _in_vocabulary(iri: Node) -> bool:
    return isinstance(iri, URIRef) and any(str(iri).startswith(ns) for ns in VOCABULARIES.values())


def declared_as(iri: Node) -> set[str]:
    """What the ontology declares ``iri`` to be: class, property and/or individual."""
    onto = ontology()
    types = set(onto.objects(iri, RDF.type))
    kinds: set[str] = set()
    if OWL.Class in types:
        kinds.add(CLASS)
    if types & set(PROPERTY_TYPES):
        kinds.add(PROPERTY)
    # An individual: typed with a class the ontology declares (nkg:DirectQuote a
    # nkg:StatementKind), or an owl:NamedIndividual.
    if OWL.NamedIndividual in types or any((t, RDF.type, OWL.Class) in onto for t in types):
        kinds.add(INDIVIDUAL)
    return kinds


def _undeclared(uses: dict[Node, set[str]]) -> list[str]:
    """``iri (used as kind, at where)`` for each use the ontology does not declare."""
    problems = []
    for iri, wheres in sorted(uses.items(), key=lambda kv: str(kv[0])):
        for where in sorted(wheres):
            kind = where.split(" ", 1)[0]
            kinds = declared_as(iri)
            if not kinds or (kind != ANY and kind not in kinds):
                problems.append(f"{iri} (used as {where}; declared as "
                                f"{sorted(declared_as(iri)) or 'nothing'})")
    return problems


# ---------------------------------------------------------------------------------------------
# (1) Terms the shapes use


SHAPE_TERM_KINDS: dict[URIRef, str] = {
    SH.targetClass: CLASS,
    SH["class"]: CLASS,
    SH.targetSubjectsOf: PROPERTY,
    SH.targetObjectsOf: PROPERTY,
    SH.equals: PROPERTY,
    SH.disjoint: PROPERTY,
    SH.lessThan: PROPERTY,
    SH.lessThanOrEquals: PROPERTY,
    SH.hasValue: INDIVIDUAL,
}


def _path_properties(graph: Graph, path: Node) -> Iterator[Node]:
    """The properties in a SHACL property path (predicate, sequence, alternative, inverse …)."""
    if isinstance(path, URIRef):
        yield path
        return
    if (path, RDF.first, None) in graph:
        for step in Collection(graph, path):
            yield from _path_properties(graph, step)
        return
    for modifier in (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath,
                     SH.zeroOrOnePath):
        for inner in graph.objects(path, modifier):
            yield from _path_properties(graph, inner)


def _sparql_prefixes(graph: Graph) -> dict[str, str]:
    prefixes: dict[str, str] = {}
    for decl in graph.objects(None, SH.declare):
        prefix, namespace = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
        if prefix is not None and namespace is not None:
            prefixes[str(prefix)] = str(namespace)
    return prefixes


def sparql_terms(text: str, prefixes: dict[str, str]) -> set[URIRef]:
    """IRIs a SPARQL query names: <full IRIs> and prefixed names of the declared prefixes."""
    text = re.sub(r"(?m)#.*$", "", re.sub(r'"[^"\n]*"', '""', text))  # strings and comments
    terms = {URIRef(iri) for iri in re.findall(r"<([a-z][a-z0-9+.-]*:[^<>\s]*)>", text)}
    for prefix, local in re.findall(r"(?<![\w?$:])([A-Za-z][\w-]*):([A-Za-z_][\w-]*)", text):
        if prefix in prefixes:
            terms.add(URIRef(prefixes[prefix] + local))
    return terms


def shape_term_uses() -> dict[Node, set[str]]:
    """Every vocabulary term the shapes name, with the kind of term each use needs."""
    graph = shapes()
    uses: dict[Node, set[str]] = {}

    def use(iri: Node, kind: str, where: str) -> None:
        if _in_vocabulary(iri):
            uses.setdefault(iri, set()).add(f"{kind} in {where}")

    for predicate, kind in SHAPE_TERM_KINDS.items():
        for obj in graph.objects(None, predicate):
            use(obj, kind, f"sh:{predicate.split('#')[-1]}")
    # sh:path anywhere: property shapes, and those nested in sh:or / sh:qualifiedValueShape.
    for path in graph.objects(None, SH.path):
        for prop in _path_properties(graph, path):
            use(prop, PROPERTY, "sh:path")
    for values in graph.objects(None, SH["in"]):
        for member in Collection(graph, values):
            if isinstance(member, URIRef):
                use(member, INDIVIDUAL, "sh:in")
    prefixes = _sparql_prefixes(graph)
    for select in graph.objects(None, SH.select):
        for iri in sparql_terms(str(select), prefixes):
            use(iri, ANY, "sh:select")
    return uses


def test_shapes_are_parsed_into_term_uses() -> None:
    uses = shape_term_uses()
    wheres = {w.split(" in ", 1)[1] for ws in uses.values() for w in ws}
    assert {"sh:targetClass", "sh:class", "sh:path", "sh:in", "sh:select"} <= wheres, wheres
    assert URIRef("http://schema.org/datePublished") in uses  # named in SPARQL only
    assert any("sh:hasValue" in w for w in wheres) or not any(
        shapes().objects(None, SH.hasValue))


def test_every_term_the_shapes_use_is_declared_in_the_ontology() -> None:
    problems = _undeclared(shape_term_uses())
    assert not problems, "terms the shapes use but the ontology does not declare:\n" + "\n".join(
        problems)


def test_sparql_prefixes_are_the_ontology_namespaces() -> None:
    for prefix, namespace in _sparql_prefixes(shapes()).items():
        if prefix in VOCABULARIES:
            assert namespace == VOCABULARIES[prefix], prefix


# ---------------------------------------------------------------------------------------------
# (2) Terms the mapper emits, (3) and the shapes that check them


def test_every_class_and_predicate_the_mapper_emits_is_declared() -> None:
    graph = bundled_graph()
    uses: dict[Node, set[str]] = {}
    for cls in set(graph.objects(None, RDF.type)):
        uses.setdefault(cls, set()).add(f"{CLASS} (rdf:type in the bundled graph)")
    for predicate in set(graph.predicates()) - {RDF.type}:
        uses.setdefault(predicate, set()).add(f"{PROPERTY} (predicate in the bundled graph)")
    problems = _undeclared(uses)
    assert not problems, "the mapper emits terms the ontology does not declare:\n" + "\n".join(
        problems)


def _mapper_source_terms() -> dict[Node, set[str]]:
    """Every ``NKG.x`` / ``SDO.x`` … attribute in kg/mapping.py: what it can ever emit."""
    namespaces = {
        "NKG": str(NKG), "SDO": "http://schema.org/", "ORG": "http://www.w3.org/ns/org#",
        "OA": "http://www.w3.org/ns/oa#", "PROV": "http://www.w3.org/ns/prov#",
        "SKOS": "http://www.w3.org/2004/02/skos/core#", "TIME": "http://www.w3.org/2006/time#",
        "OWL": str(OWL), "RDFS": str(RDFS),
    }
    tree = ast.parse(Path(kg.mapping.__file__).read_text(encoding="utf-8"))
    terms: dict[Node, set[str]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in namespaces and not node.attr.startswith("_")):
            iri = URIRef(namespaces[node.value.id] + node.attr)
            terms.setdefault(iri, set()).add(f"{node.value.id}.{node.attr}")
    return terms


def test_every_term_in_the_mapper_source_is_declared() -> None:
    """Optional fields too (confidence, implicit speaker …), which the bundled article lacks."""
    terms = _mapper_source_terms()
    assert URIRef(str(NKG) + "implicitSpeaker") in terms
    missing = sorted(f"{iri} ({', '.join(sorted(names))})" for iri, names in terms.items()
                     if not declared_as(iri))
    assert not missing, "kg/mapping.py uses terms the ontology does not declare:\n" + "\n".join(
        missing)


def test_every_nkg_class_the_mapper_emits_has_a_node_shape() -> None:
    targeted = set(shapes().objects(None, SH.targetClass))
    emitted = {c for c in bundled_graph().objects(None, RDF.type) if str(c).startswith(str(NKG))}
    assert emitted, "the bundled graph has no nkg: classes?"
    untargeted = sorted(str(c) for c in emitted - targeted)
    assert not untargeted, f"nkg: classes without a node shape (sh:targetClass): {untargeted}"


def test_every_declared_nkg_class_is_emitted_or_a_value_class() -> None:
    """An nkg: class no data can have is dead weight (value classes: statement kind, precision)."""
    onto = ontology()
    declared = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(NKG))}
    emitted = set(bundled_graph().objects(None, RDF.type))
    individuals = {i for i in onto.subjects(RDF.type, None)
                   if str(i).startswith(str(NKG)) and INDIVIDUAL in declared_as(i)}
    value_classes = {cls for i in individuals for cls in onto.objects(i, RDF.type)}
    dead = sorted(str(c) for c in declared - emitted - value_classes)
    assert not dead, f"nkg: classes the mapper never emits: {dead}"


# ---------------------------------------------------------------------------------------------
# (4) Labels and comments, (5) the ontology header


def ontology_terms() -> set[Node]:
    onto = ontology()
    terms: set[Node] = set()
    for term_type in TERM_TYPES:
        terms |= set(onto.subjects(RDF.type, term_type))
    terms |= {s for s in onto.subjects(RDF.type, None)
              if isinstance(s, URIRef) and str(s).startswith(str(NKG))}
    return terms


def test_the_ontology_declares_terms() -> None:
    terms = ontology_terms()
    assert len(terms) > 50
    assert NKG.DirectQuote in terms and NKG.Article in terms and NKG.evidence in terms


@pytest.mark.parametrize("predicate", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_ontology_term_has_a_label_and_a_comment(predicate: URIRef) -> None:
    onto = ontology()
    missing = sorted(str(t) for t in ontology_terms()
                     if not any(isinstance(v, Literal) and str(v).strip()
                                for v in onto.objects(t, predicate)))
    assert not missing, f"terms without an rdfs:{predicate.split('#')[-1]}: {missing}"


def test_every_ontology_term_is_in_a_known_vocabulary() -> None:
    strays = sorted(str(t) for t in ontology_terms()
                    if isinstance(t, BNode) or not _in_vocabulary(t))
    assert not strays, f"terms outside the known vocabularies: {strays}"


def test_the_ontology_has_a_header_with_a_version_iri() -> None:
    onto = ontology()
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    versions = list(onto.objects(ONTOLOGY_IRI, OWL.versionIRI))
    assert len(versions) == 1 and isinstance(versions[0], URIRef)
    assert versions[0] != ONTOLOGY_IRI and str(versions[0]).startswith(f"{ONTOLOGY_IRI}/")
    info = onto.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert info is not None and str(versions[0]).endswith(f"/{info}"), (versions[0], info)
    for predicate in (RDFS.label, RDFS.comment):
        assert onto.value(ONTOLOGY_IRI, predicate) is not None


def test_the_shapes_import_the_ontology() -> None:
    assert ONTOLOGY_IRI in set(shapes().objects(None, OWL.imports))


# ---------------------------------------------------------------------------------------------
# (6) The JSON-LD context


@cache
def context() -> dict[str, object]:
    data = json.loads(context_path().read_text(encoding="utf-8"))
    ctx = data["@context"]
    assert isinstance(ctx, dict)
    return ctx


def _prefixes() -> dict[str, str]:
    return {k: v for k, v in context().items()
            if isinstance(v, str) and not k.startswith("@") and v.endswith(("#", "/"))}


def _expand(value: str) -> str:
    if value.startswith("@") or re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return value
    prefix, sep, local = value.partition(":")
    prefixes = _prefixes()
    assert sep and prefix in prefixes, f"{value!r}: not a CURIE of a context prefix"
    return prefixes[prefix] + local


def context_terms() -> dict[str, tuple[str, str | None]]:
    """term → (expanded IRI or keyword, expanded @type coercion or None); prefixes left out."""
    prefixes = _prefixes()
    out: dict[str, tuple[str, str | None]] = {}
    for term, definition in context().items():
        if term.startswith("@") or term in prefixes:
            continue
        if isinstance(definition, str):
            out[term] = (_expand(definition), None)
        else:
            assert isinstance(definition, dict), term
            iri, coercion = definition.get("@id", term), definition.get("@type")
            assert isinstance(iri, str), term
            out[term] = (_expand(iri), _expand(coercion) if isinstance(coercion, str) else None)
    return out


def test_context_prefixes_are_the_vocabularies() -> None:
    for prefix, namespace in _prefixes().items():
        if prefix in VOCABULARIES:
            assert namespace == VOCABULARIES[prefix], prefix


def test_every_context_term_expands_to_a_declared_iri() -> None:
    problems = []
    for term, (iri, _) in sorted(context_terms().items()):
        if iri.startswith("@") or iri.startswith((RDF_NS, XSD_NS)):
            continue
        if not declared_as(URIRef(iri)):
            problems.append(f"{term} → {iri}")
    assert not problems, "context terms the ontology does not declare:\n" + "\n".join(problems)


def test_context_coercions_match_the_kind_of_property() -> None:
    """``"@type": "@id"`` for object properties, a datatype for datatype properties."""
    onto = ontology()
    problems = []
    for term, (iri, coercion) in sorted(context_terms().items()):
        if coercion is None:
            continue
        types = set(onto.objects(URIRef(iri), RDF.type))
        if coercion == "@id" and OWL.ObjectProperty not in types:
            problems.append(f"{term}: @id but {iri} is not an owl:ObjectProperty")
        if coercion.startswith(XSD_NS) and OWL.DatatypeProperty not in types:
            problems.append(f"{term}: {coercion} but {iri} is not an owl:DatatypeProperty")
        range_ = onto.value(URIRef(iri), RDFS.range)
        if coercion.startswith(XSD_NS) and range_ is not None and str(range_) != coercion:
            problems.append(f"{term}: coerced to {coercion}, range {range_}")
    assert not problems, "\n".join(problems)


def test_the_context_names_every_nkg_term_the_mapper_emits() -> None:
    named = {iri for iri, _ in context_terms().values()}
    graph = bundled_graph()
    emitted = set(graph.predicates()) | set(graph.objects(None, RDF.type))
    missing = sorted(str(t) for t in emitted if str(t).startswith(str(NKG)) and str(t) not in named)
    assert not missing, f"nkg: terms the JSON-LD context has no term for: {missing}"
