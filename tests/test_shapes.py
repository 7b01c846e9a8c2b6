"""Every constraint has a fixture that violates it and a test that sees the violation.

Tests as data: each ``tests/shapes_cases/NAME.ru`` is a SPARQL Update applied to a copy of the
bundled article's valid graph. Its header (the leading ``#`` lines) is YAML:

``about``
    what the fixture breaks, in words.
``covers``
    the constraints it violates, as keys of :func:`constraint_keys` (``ArticleShape/headline/
    minCount``, ``ArticleFactsShape/sparql/<message>`` …). At run time each key must be the
    source of one of the expected results, so a claim cannot drift from what the case does.
``expect``
    the results the mutation adds: ``severity``, ``focus``, ``path`` (prefixed, as the report
    shows it, or null), ``shape`` (the ``sh:name`` of the property or node shape) and
    ``constraint`` (component local name); ``message`` (a substring) optional. ``focus`` is
    written like a term of the update: ``<statement/smith-quote>`` against its ``BASE``, or
    ``organization:microsoft`` with its ``PREFIX``. Every result the mutation adds must be
    expected (no spurious results), and none of them may be in the unmutated graph's report.
``absent`` (optional)
    results that must not appear (any subset of the ``expect`` keys).
``given`` (optional)
    a SPARQL Update (with the file's PREFIX and BASE lines) applied before the mutation to
    *both* graphs, for a result the bundled graph already has (its control must not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from kg.factsfile import load_facts
from kg.mapping import map_facts, merged
from kg.resources import shapes_path
from kg.validate import ValidationReport, ValidationResult, load_shapes, parse_turtle, validate

SH = Namespace("http://www.w3.org/ns/shacl#")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FACTS = ROOT / "examples" / "microsoft-face-recognition-police" / "facts.yaml"
CASES_DIR = Path(__file__).resolve().parent / "shapes_cases"
CASES = sorted(CASES_DIR.glob("*.ru"))
BUILD_TIME = datetime(2020, 6, 12, 12, 0, tzinfo=UTC)

# SHACL Core constraint parameters (one constraint each) and the SHACL-SPARQL one. A shapes
# graph with an sh: predicate in neither list fails the enumeration: teach it the new word.
CONSTRAINT_PARAMETERS = frozenset({
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
    "xone", "node", "qualifiedMinCount", "qualifiedMaxCount", "closed", "hasValue", "in",
    "sparql",
})
NON_CONSTRAINT_PARAMETERS = frozenset({
    "path", "name", "description", "message", "severity", "order", "group", "deactivated",
    "defaultValue", "flags", "qualifiedValueShape", "qualifiedValueShapesDisjoint",
    "ignoredProperties", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
    "target", "property", "declare", "prefixes",
})
EXPECT_KEYS = ("severity", "focus", "path", "shape", "constraint")


# ---------------------------------------------------------------------------------------------
# Constraints of the shapes graph, named by keys


def _local(node: Node) -> str:
    text = str(node)
    return re.split(r"[#/]", text)[-1] if isinstance(node, URIRef) else text


def _param_of_component(component: str) -> str:
    name = component.removesuffix("ConstraintComponent")
    return "sparql" if name == "SPARQL" else name[:1].lower() + name[1:]


# The shapes file's prefixes (rdflib binds "schema" to https://schema.org/ by itself).
PREFIXES = {
    "nkg": "https://w3id.org/newskg/ns#", "schema": "http://schema.org/",
    "org": "http://www.w3.org/ns/org#", "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#", "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _curie(node: Node) -> str:
    for prefix, ns in PREFIXES.items():
        if str(node).startswith(ns):
            return f"{prefix}:{str(node)[len(ns):]}"
    return f"<{node}>"


def _sparql_id(shapes: Graph, constraint: Node) -> str:
    """A named SPARQL constraint by its IRI's local name, an anonymous one by its message."""
    if isinstance(constraint, URIRef):
        return _local(constraint)
    messages = sorted(str(m) for m in shapes.objects(constraint, SH.message))
    assert messages, f"an anonymous SPARQL constraint without sh:message: {constraint}"
    return messages[0]


def _shape_keys(shapes: Graph, shape: Node, prefix: list[str]) -> set[str]:
    keys: set[str] = set()
    for predicate in sorted(set(shapes.predicates(shape, None)), key=str):
        if not str(predicate).startswith(str(SH)):
            continue
        param = _local(predicate)
        if param in NON_CONSTRAINT_PARAMETERS:
            continue
        assert param in CONSTRAINT_PARAMETERS, (
            f"sh:{param} on {'/'.join(prefix)}: a parameter this test does not know; add it to "
            "CONSTRAINT_PARAMETERS or NON_CONSTRAINT_PARAMETERS")
        values = list(shapes.objects(shape, predicate))
        if param == "sparql":
            keys |= {"/".join([*prefix, "sparql", _sparql_id(shapes, v)]) for v in values}
        elif len(values) > 1:
            assert param == "class", f"several sh:{param} values on {'/'.join(prefix)}"
            keys |= {"/".join([*prefix, param, _curie(v)]) for v in values}
        else:
            keys.add("/".join([*prefix, param]))
    return keys


def constraint_keys(shapes: Graph) -> set[str]:
    """Every constraint of the shapes graph: ``NodeShape[/property name]/parameter[/which]``.

    A property shape is named by its ``sh:name``; several ``sh:class`` values on one shape are
    separate constraints (``/schema:Event``); a SPARQL constraint is named by its IRI's local
    name, or by its message when anonymous.
    """
    keys: set[str] = set()
    under_node_shapes: set[Node] = set()
    for node_shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        assert isinstance(node_shape, URIRef), f"anonymous node shape {node_shape}"
        keys |= _shape_keys(shapes, node_shape, [_local(node_shape)])
        names: list[str] = []
        for prop in shapes.objects(node_shape, SH.property):
            under_node_shapes.add(prop)
            name = shapes.value(prop, SH.name)
            assert name is not None, f"a property shape of {_local(node_shape)} has no sh:name"
            names.append(str(name))
            keys |= _shape_keys(shapes, prop, [_local(node_shape), str(name)])
        duplicates = {n for n in names if names.count(n) > 1}
        assert not duplicates, f"{_local(node_shape)}: property shapes named twice: {duplicates}"
    # Property shapes elsewhere are nested (in sh:or, sh:qualifiedValueShape …): part of the
    # constraint that holds them. A top-level one (with targets) would need keys of its own.
    targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
    for prop in set(shapes.subjects(SH.path, None)) - under_node_shapes:
        assert not targets & set(shapes.predicates(prop, None)), (
            f"a property shape with targets of its own: {prop}")
    return keys


def _is_instance(data: Graph, node: Node, cls: Node) -> bool:
    classes = set(data.transitive_subjects(RDFS.subClassOf, cls))
    return any((node, RDF.type, c) in data for c in classes)


def result_keys(report: Graph, result: Node, shapes: Graph, data: Graph) -> set[str]:
    """The key(s) of the constraint a report result comes from (see :func:`constraint_keys`)."""
    source = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    assert source is not None and component is not None
    param = _param_of_component(_local(component))
    prefix: list[str]
    if (source, SH.path, None) in shapes:
        node_shape = shapes.value(predicate=SH.property, object=source)
        assert node_shape is not None, f"property shape {source} is under no node shape"
        prefix = [_local(node_shape), str(shapes.value(source, SH.name))]
    else:
        prefix = [_local(source)]
    if param == "sparql":
        constraint = report.value(result, SH.sourceConstraint)
        assert constraint is not None
        return {"/".join([*prefix, "sparql", _sparql_id(shapes, constraint)])}
    values = list(shapes.objects(source, SH[param]))
    if param == "class" and len(values) > 1:
        node = report.value(result, SH.value) or report.value(result, SH.focusNode)
        assert node is not None
        return {"/".join([*prefix, param, _curie(c)])
                for c in values if not _is_instance(data, node, c)}
    return {"/".join([*prefix, param])}


# ---------------------------------------------------------------------------------------------
# Case files


@dataclass(frozen=True)
class Case:
    path: Path
    about: str
    covers: tuple[str, ...]
    expect: tuple[dict[str, Any], ...]
    absent: tuple[dict[str, Any], ...]
    given: str | None
    update: str
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None

    def resolve(self, term: str) -> str:
        """``<rel>`` against the update's BASE, ``<abs>``, or ``prefix:local``."""
        if term.startswith("<") and term.endswith(">"):
            inner = term[1:-1]
            if re.match(r"^[a-z][a-z0-9+.-]*:", inner):
                return inner
            assert self.base, f"{self.path.name}: relative IRI {term} but no BASE"
            return urljoin(self.base, inner)
        prefix, sep, local = term.partition(":")
        assert sep and prefix in self.prefixes, (
            f"{self.path.name}: focus {term!r} is neither <IRI> nor a declared prefixed name")
        return self.prefixes[prefix] + local


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    header: list[str] = []
    body_start = 0
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            body_start = i
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    meta = yaml.safe_load("".join(header)) or {}
    unknown = set(meta) - {"about", "covers", "expect", "absent", "given"}
    assert not unknown, f"{path.name}: unknown header keys {unknown}"
    assert isinstance(meta.get("about"), str), f"{path.name}: header needs 'about'"
    covers = meta.get("covers") or []
    expect = meta.get("expect") or []
    absent = meta.get("absent") or []
    assert isinstance(covers, list) and isinstance(expect, list) and isinstance(absent, list)
    for e in expect:
        missing = [k for k in EXPECT_KEYS if k not in e]
        assert not missing, f"{path.name}: an expected result lacks {missing}"
    for e in (*expect, *absent):
        extra = set(e) - {*EXPECT_KEYS, "message"}
        assert not extra, f"{path.name}: unknown expectation keys {extra}"
    update = "".join(lines[body_start:])
    prologue = "".join(line for line in lines[body_start:]
                       if re.match(r"(?i)\s*(PREFIX|BASE)\b", line))
    prefixes = dict(re.findall(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", prologue))
    bases = re.findall(r"(?im)^\s*BASE\s*<([^>]*)>", prologue)
    given = prologue + meta["given"] if meta.get("given") else None
    return Case(path=path, about=meta["about"], covers=tuple(covers), expect=tuple(expect),
                absent=tuple(absent), given=given, update=update,
                prefixes=prefixes, base=bases[0] if bases else None)


# ---------------------------------------------------------------------------------------------
# Graphs and reports


@cache
def _base() -> Graph:
    return merged(map_facts(load_facts(EXAMPLE_FACTS), generated_at=BUILD_TIME))


def base_graph() -> Graph:
    """A fresh copy of the bundled article's merged graph (it conforms)."""
    graph = Graph()
    for prefix, ns in _base().namespaces():
        graph.bind(prefix, ns, override=True, replace=True)
    for triple in _base():
        graph.add(triple)
    return graph


def apply(graph: Graph, update: str) -> None:
    """Run a SPARQL Update, then give the typed literals it made what a parser gives them.

    rdflib's SPARQL parser builds literals without checking their lexical form
    (``Literal.ill_typed`` stays None), so pyshacl would take ``"-1"^^xsd:nonNegativeInteger``
    for well-typed; the mapper and the Turtle parser check it. Lexical forms stay as written.
    """
    graph.update(update)
    unchecked = [(s, p, o) for s, p, o in graph
                 if isinstance(o, Literal) and o.datatype is not None and o.ill_typed is None]
    for s, p, o in unchecked:
        assert isinstance(o, Literal)
        graph.remove((s, p, o))
        graph.add((s, p, Literal(str(o), datatype=o.datatype, normalize=False)))


@cache
def _shape_names() -> dict[str, str]:
    """Node shape IRI (as kg.validate may show it) → its sh:name."""
    shapes = load_shapes()
    names: dict[str, str] = {}
    for shape, name in shapes.subject_objects(SH.name):
        if isinstance(shape, URIRef):
            names[f"<{shape}>"] = str(name)
            names[_curie(shape)] = str(name)
    return names


@cache
def control_report(given: str | None) -> ValidationReport:
    graph = base_graph()
    if given:
        apply(graph, given)
    return validate(graph)


def _shape_name(result: ValidationResult) -> str | None:
    # kg.validate names node shapes by IRI when the report graph lacks their sh:name (see
    # test_results_name_node_shapes_by_sh_name); match cases on the name either way.
    return _shape_names().get(result.shape or "", result.shape)


def matches(result: ValidationResult, expected: dict[str, Any], case: Case) -> bool:
    for key, want in expected.items():
        if key == "focus":
            if result.focus != case.resolve(str(want)):
                return False
        elif key == "shape":
            if _shape_name(result) != want:
                return False
        elif key == "message":
            if str(want) not in result.message:
                return False
        elif getattr(result, key) != want:
            return False
    return True


def _signature(r: ValidationResult) -> tuple[str | None, ...]:
    return (r.severity, r.focus, r.path, r.shape, r.constraint, r.message)


def _show(results: Iterable[ValidationResult]) -> str:
    return "\n".join(
        f"  {r.severity} focus={r.focus} path={r.path} shape={_shape_name(r)!r} "
        f"constraint={r.constraint} message={r.message!r}" for r in results) or "  (none)"


Signature = tuple[str | None, ...]


def _keys_of_report(report: ValidationReport, data: Graph) -> dict[Signature, set[str]]:
    shapes = load_shapes()
    out: dict[Signature, set[str]] = {}
    for node in report.graph.subjects(RDF.type, SH.ValidationResult):
        focus = report.graph.value(node, SH.focusNode)
        component = report.graph.value(node, SH.sourceConstraintComponent)
        severity = report.graph.value(node, SH.resultSeverity)
        path = report.graph.value(node, SH.resultPath)
        messages = sorted(str(m) for m in report.graph.objects(node, SH.resultMessage))
        sig = (
            _local(severity) if severity is not None else "Violation",
            str(focus),
            data.namespace_manager.normalizeUri(str(path)) if isinstance(path, URIRef) else None,
            _local(component) if component is not None else "",
            messages[0] if messages else "(no message)",
        )
        out.setdefault(sig, set()).update(result_keys(report.graph, node, shapes, data))
    return out


# ---------------------------------------------------------------------------------------------
# Tests


def test_there_are_cases() -> None:
    assert len(CASES) >= 40, f"expected the case files in {CASES_DIR}"


def test_the_bundled_graph_conforms() -> None:
    report = control_report(None)
    assert report.conforms, _show(report.violations)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case = load_case(path)
    control = control_report(case.given)
    graph = base_graph()
    if case.given:
        apply(graph, case.given)
    before = set(graph)
    apply(graph, case.update)
    assert set(graph) != before, f"{path.name}: the update changed nothing"
    report = validate(graph)

    control_sigs = {_signature(r) for r in control.results}
    new = [r for r in report.results if _signature(r) not in control_sigs]
    problems: list[str] = []
    matched: list[ValidationResult] = []
    for expected in case.expect:
        hits = [r for r in report.results if matches(r, expected, case)]
        if not hits:
            problems.append(f"expected result not reported: {expected}")
        in_control = [r for r in control.results if matches(r, expected, case)]
        if in_control:
            problems.append(f"expected result already in the unmutated graph: {expected}")
        matched.extend(hits)
    for expected in case.absent:
        hits = [r for r in report.results if matches(r, expected, case)]
        if hits:
            problems.append(f"result that must not appear: {expected}\n{_show(hits)}")
    unexpected = [r for r in new if not any(matches(r, e, case) for e in case.expect)]
    if unexpected:
        problems.append(f"results the case does not expect:\n{_show(unexpected)}")
    if not case.expect:
        assert not case.covers, f"{path.name}: a case that expects nothing covers nothing"
    else:
        keys_by_sig = _keys_of_report(report, graph)
        seen: set[str] = set()
        for r in matched:
            seen |= keys_by_sig.get((r.severity, r.focus, r.path, r.constraint, r.message), set())
        for key in case.covers:
            if key not in seen:
                problems.append(f"covers {key!r}, but no expected result comes from it "
                                f"(expected results come from {sorted(seen)})")
    assert not problems, f"{path.name}: {case.about}\n" + "\n".join(problems) + (
        f"\nall new results:\n{_show(new)}")


def test_every_constraint_has_a_case() -> None:
    keys = constraint_keys(load_shapes())
    claimed: dict[str, list[str]] = {}
    for path in CASES:
        for key in load_case(path).covers:
            claimed.setdefault(key, []).append(path.name)
    uncovered = sorted(keys - set(claimed))
    stale = sorted(f"{k} ({', '.join(v)})" for k, v in claimed.items() if k not in keys)
    assert not uncovered, "constraints without a case in tests/shapes_cases:\n" + "\n".join(
        uncovered)
    assert not stale, "cases claim constraints the shapes do not have:\n" + "\n".join(stale)


def test_constraint_enumeration_sees_every_kind() -> None:
    keys = constraint_keys(load_shapes())
    assert len(keys) > 150
    for param in ("minCount", "maxCount", "datatype", "class", "pattern", "minLength", "in", "or",
                  "nodeKind", "qualifiedMinCount", "qualifiedMaxCount", "minInclusive",
                  "maxInclusive", "lessThanOrEquals", "sparql"):
        assert any(k.endswith(f"/{param}") or f"/{param}/" in k for k in keys), (
            f"no sh:{param} constraint found: is the enumeration broken?")


def test_case_headers_are_well_formed() -> None:
    for path in CASES:
        case = load_case(path)
        for e in (*case.expect, *case.absent):
            if "focus" in e:
                case.resolve(str(e["focus"]))
            if "severity" in e:
                assert e["severity"] in ("Violation", "Warning", "Info"), path.name


def test_results_name_node_shapes_by_sh_name() -> None:
    """``ValidationResult.shape`` is the shape's sh:name, for node shapes too."""
    graph = base_graph()
    article = URIRef("https://w3id.org/newskg/id/article/microsoft-face-recognition-police")
    graph.remove((article, RDF.type, URIRef("http://schema.org/NewsArticle")))
    report = validate(graph)
    node_level = [r for r in report.results if r.focus == str(article) and r.path is None]
    assert node_level, _show(report.results)
    assert {r.shape for r in node_level} == {"article"}, _show(node_level)


# ---------------------------------------------------------------------------------------------
# validate() leaves its inputs alone


def _snapshot(graph: Graph) -> tuple[int, set[tuple[Node, Node, Node]]]:
    return len(graph), set(graph)


@pytest.fixture
def violating_graph() -> Graph:
    graph = base_graph()
    apply(graph, load_case(CASES_DIR / "article-headline-minCount.ru").update)
    return graph


def test_validate_does_not_change_the_data_or_the_shapes(violating_graph: Graph) -> None:
    """Same length, same triples (blank nodes included: stronger than isomorphism)."""
    shapes = load_shapes()
    shapes_before = _snapshot(shapes)
    for data in (base_graph(), violating_graph):
        data_before = _snapshot(data)
        copy = Graph()
        for triple in data:
            copy.add(triple)
        validate(data, shapes)
        assert _snapshot(data) == data_before
        assert isomorphic(data, copy)
        assert _snapshot(shapes) == shapes_before


def test_validate_with_the_shipped_shapes_leaves_them_as_parsed(violating_graph: Graph) -> None:
    data_before = _snapshot(violating_graph)
    validate(violating_graph)
    validate(violating_graph)
    assert _snapshot(violating_graph) == data_before
    shipped = parse_turtle(shapes_path())
    assert len(load_shapes()) == len(shipped)
    assert isomorphic(load_shapes(), shipped)


def test_validate_does_not_change_a_dataset() -> None:
    dataset = map_facts(load_facts(EXAMPLE_FACTS), generated_at=BUILD_TIME)
    def quads() -> set[tuple[object, ...]]:
        return {(s, p, o, g if isinstance(g, URIRef) else getattr(g, "identifier", g))
                for s, p, o, g in dataset.quads((None, None, None, None))}

    before = quads()
    graphs_before = {g.identifier for g in dataset.graphs()}
    assert validate(dataset).conforms
    assert quads() == before
    assert {g.identifier for g in dataset.graphs()} == graphs_before
