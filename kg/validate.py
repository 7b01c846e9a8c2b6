"""validate: a graph against SHACL shapes (pyshacl), as a report people and machines can read.

https://www.w3.org/TR/shacl/#validation-report

``validate`` never changes the data or the shapes it is given (pyshacl adds triples to the
shapes graph it works on, so it gets a copy). ``conforms`` means "no sh:Violation": warnings
and infos are shown but do not stop an export. The report graph itself stays as the SHACL
spec says (``sh:conforms false`` whenever there is any result).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyshacl
from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ValidationFailure
from pyshacl.graph_abstraction import DataGraph
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import ShapesError
from kg.mapping import OA, merged
from kg.resources import shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")
NKG = Namespace("https://w3id.org/newskg/ns#")

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result, in words."""

    severity: str
    """``Violation``, ``Warning`` or ``Info``."""
    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    shape: str | None
    constraint: str
    evidence: str | None
    """The supporting text of the focus node's fact, when it has one."""


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    """True when there is no sh:Violation (warnings allowed)."""
    results: tuple[ValidationResult, ...]
    graph: Graph
    """The standard SHACL validation report graph."""

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    def counts(self) -> list[tuple[str, str, str, int]]:
        """(severity, shape, path, count), most severe first."""
        c = Counter((r.severity, r.shape or "-", r.path or "-") for r in self.results)
        return sorted(((s, sh, p, n) for (s, sh, p), n in c.items()),
                      key=lambda t: (SEVERITY_ORDER.get(t[0], 9), t[1], t[2]))


def parse_turtle(path: Path) -> Graph:
    # Only the core prefixes: rdflib's default binds schema: to https://schema.org/, which would
    # show the file's http://schema.org/ terms as schema1: in messages.
    graph = Graph(bind_namespaces="core")
    graph.parse(path, format="turtle")
    return graph


@cache
def _shapes() -> Graph:
    return parse_turtle(shapes_path())


def load_shapes() -> Graph:
    """A fresh copy of the shipped shapes graph (callers may change it)."""
    return _copy(_shapes())


def _show(node: Node | None, graph: Graph) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return str(node) if node.datatype is None else node.n3(graph.namespace_manager)
    if isinstance(node, BNode):
        return "(path expression)"
    return graph.namespace_manager.normalizeUri(str(node))


def _value(node: Node | None, data: Graph) -> str | None:
    shown = _show(node, data)
    label = _label(data, node) if isinstance(node, URIRef) else None
    return f"{label} <{node}>" if label and shown else shown


def _label(data: Graph, node: Node) -> str | None:
    value = data.value(node, RDFS.label)
    return str(value) if value is not None else None


def _start(data: Graph, evidence: Node) -> int:
    for selector in data.objects(evidence, OA.hasSelector):
        start = data.value(selector, OA.start)
        if isinstance(start, Literal) and str(start).isdigit():
            return int(str(start))
    return 1 << 62


def _evidence(data: Graph, node: Node) -> str | None:
    """The text of the node's evidence; of several (an article's), the first in the text."""
    if (node, RDF.type, NKG.Evidence) in data:
        spans: list[Node] = [node]
    else:
        spans = sorted(data.objects(node, NKG.evidence), key=lambda ev: _start(data, ev))
    for ev in spans[:1]:
        for selector in data.objects(ev, OA.hasSelector):
            exact = data.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None


def _results(report: Graph, data: Graph, shapes: Graph) -> tuple[ValidationResult, ...]:
    out: list[ValidationResult] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity_node = report.value(result, SH.resultSeverity)
        severity = str(severity_node).rsplit("#", 1)[-1] if severity_node else "Violation"
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        # The report graph copies blank-node shapes only: named shapes' names are in the shapes.
        shape_name = (report.value(shape, SH.name) or shapes.value(shape, SH.name)
                      if shape is not None else None)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        component = report.value(result, SH.sourceConstraintComponent)
        value = report.value(result, SH.value)
        # Article-level rules name the offending fact or span as the value: its evidence is
        # the text a person needs to see.
        evidence = _evidence(data, value) if isinstance(value, URIRef) else None
        if evidence is None and focus is not None:
            evidence = _evidence(data, focus)
        out.append(ValidationResult(
            severity=severity,
            focus=str(focus),
            focus_label=_label(data, focus) if focus is not None else None,
            path=_show(report.value(result, SH.resultPath), data),
            value=_value(value, data),
            message=messages[0] if messages else "(no message)",
            shape=str(shape_name) if shape_name is not None else (
                _show(shape, data) if isinstance(shape, URIRef) else None),
            constraint=str(component).rsplit("#", 1)[-1] if component else "",
            evidence=evidence,
        ))
    out.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), r.shape or "", r.focus,
                            r.path or "", r.message))
    return tuple(out)


@lru_cache(maxsize=512)
def _prepare(text: str, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces))


class _QueryCachingGraph(Graph):
    """A read-only view of a graph's store that parses each SPARQL text once.

    pyshacl sends a SHACL-SPARQL constraint's text again for every focus node, and rdflib
    parses it again every time (~40 ms each with pyparsing): caching the parsed query here
    makes validation several times faster, without patching either library.
    """

    def query(  # type: ignore[override]
        self,
        query_object: str | Query,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Any] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            namespaces = {prefix: str(ns) for prefix, ns in self.namespaces()}
            namespaces.update({k: str(v) for k, v in (initNs or {}).items()})
            query_object = _prepare(query_object, tuple(sorted(namespaces.items())))
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def validate_graphs(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` against ``shapes`` as given: the engine room of ``validate``.

    Raises ``ShapesError`` when the shapes graph is ill-formed (a SHACL "failure").
    """
    try:
        # Handed over as pyshacl's own DataGraph: loaded as is, never cloned (no inference, no
        # SHACL-AF rules), so it reads the caller's store and cannot change it.
        view = _QueryCachingGraph(store=data.store, identifier=data.identifier,
                                  namespace_manager=data.namespace_manager)
        _conforms, report_graph, _text = pyshacl.validate(
            DataGraph.from_rdflib_graph(view),
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            allow_warnings=False,
            allow_infos=False,
        )
    except (ReportableRuntimeError, ShapeLoadError) as exc:
        raise ShapesError(f"the shapes graph is ill-formed: {exc}") from exc
    if isinstance(report_graph, ValidationFailure):
        # pyshacl returns (not raises) the failure when it refuses a shapes graph.
        raise ShapesError(f"the shapes graph is ill-formed: {report_graph}") from report_graph
    assert isinstance(report_graph, Graph)
    results = _results(report_graph, data, shapes)
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        graph=report_graph,
    )


def validate(data: Graph | Dataset, shapes: Graph | None = None) -> ValidationReport:
    """Validate a built graph (all named graphs together) against the shipped shapes."""
    graph = merged(data) if isinstance(data, Dataset) else data
    shapes_copy = load_shapes() if shapes is None else _copy(shapes)
    return validate_graphs(graph, shapes_copy)


def _copy(graph: Graph) -> Graph:
    copy = Graph(bind_namespaces="core")
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns)
    for triple in graph:
        copy.add(triple)
    return copy
